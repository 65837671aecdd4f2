import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

// Issue #12's attacks, tried against the running portal as a signed-in user
// would try them: each is refused with a message naming the field or the
// annotation, and nothing is written to the GitOps repository. Runs after
// the other specs (file order), since it commits two hostile components.
test.describe.configure({ mode: 'serial' });

const API = 'http://localhost:7007/api';
const REPO = process.env.E2E_GITOPS_REPO!;

let token: string;

async function guestToken(): Promise<string> {
  for (let i = 0; i < 120; i++) {
    try {
      const res = await fetch(`${API}/auth/guest/refresh`, {
        headers: { 'x-requested-with': 'XMLHttpRequest' },
      });
      if (res.ok) return (await res.json()).backstageIdentity.token;
    } catch {
      // not up yet
    }
    await new Promise(r => setTimeout(r, 1000));
  }
  throw new Error('no guest sign-in');
}

async function call(method: string, url: string, body?: unknown) {
  const res = await fetch(`${API}${url}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, text, json: text ? JSON.parse(text) : {} };
}

const git = (...args: string[]) =>
  execFileSync('git', args, { cwd: REPO, encoding: 'utf8' }).trim();
const repoState = () =>
  fs.existsSync(path.join(REPO, '.git'))
    ? `${git('rev-parse', 'HEAD')} ${git('status', '--porcelain')}`
    : 'no repository';

/** A template of one gitops:service:create step, as the dry-run API takes it. */
function hostileTemplate(input: Record<string, unknown>) {
  return {
    template: {
      apiVersion: 'scaffolder.backstage.io/v1beta3',
      kind: 'Template',
      metadata: { name: 'hostile' },
      spec: {
        type: 'service',
        parameters: [],
        steps: [{ id: 'create', action: 'gitops:service:create', input }],
      },
    },
    values: {},
    directoryContents: [],
  };
}

const service = {
  name: 'attacker-svc',
  owner: 'group:default/ml-team',
  image: 'registry.example.com/attacker-svc',
  environments: [
    { name: 'staging', imageTag: 'latest' },
    { name: 'production', imageTag: 'v1.0.0' },
  ],
};

test.beforeAll(async () => {
  token = await guestToken();
});

for (const [attack, input, message] of [
  [
    'a namespace in kube-system',
    {
      ...service,
      environments: [
        { name: 'staging', namespace: 'kube-system', imageTag: 'latest' },
      ],
    },
    'environments[0].namespace "kube-system" is reserved',
  ],
  [
    "a namespace in Argo CD's own",
    {
      ...service,
      environments: [
        { name: 'staging', namespace: 'argocd', imageTag: 'latest' },
      ],
    },
    'environments[0].namespace "argocd" is reserved',
  ],
  [
    "another team's secret by ..",
    {
      ...service,
      secrets: [{ name: 'DB', remoteKey: '../payments/db-password' }],
    },
    'secrets[0].remoteKey must not contain "." or ".." segments',
  ],
  [
    "another team's secret by an absolute key",
    {
      ...service,
      secrets: [{ name: 'DB', remoteKey: '/payments/db-password' }],
    },
    "secrets[0].remoteKey must be relative to the service's prefix",
  ],
  [
    'an owner that is not a reference',
    { ...service, owner: 'not a ref!!' },
    'owner must be an entity reference',
  ],
  [
    'a component as owner',
    { ...service, owner: 'component:default/some-service' },
    'owner must be a Group or a User, not a component',
  ],
] as const) {
  test(`gitops:service:create refuses ${attack}`, async () => {
    const before = repoState();
    const res = await call(
      'POST',
      '/scaffolder/v2/dry-run',
      hostileTemplate(input),
    );
    expect(res.status).toBe(400);
    expect(res.json.error.name).toBe('InputError');
    expect(res.json.error.message).toContain(message);
    expect(repoState()).toBe(before);
  });
}

test("the template editor's dry run shows the generated files and changes nothing", async () => {
  const before = repoState();
  const template = await call(
    'GET',
    '/catalog/entities/by-name/template/default/gitops-service',
  );
  expect(template.status).toBe(200);
  const res = await call('POST', '/scaffolder/v2/dry-run', {
    template: template.json,
    values: {
      name: 'dry-run-svc',
      owner: 'group:default/ml-team',
      image: 'registry.example.com/dry-run-svc',
      environments: [
        { name: 'staging', imageTag: 'latest' },
        { name: 'production', imageTag: 'v1.0.0' },
      ],
    },
    directoryContents: [],
  });
  expect(res.status).toBe(200);
  const files = (res.json.directoryContents as Array<{ path: string }>).map(
    f => f.path,
  );
  expect(files).toEqual(
    expect.arrayContaining([
      'apps/dry-run-svc/base/deployment.yaml',
      'apps/dry-run-svc/overlays/production/kustomization.yaml',
      'apps/dry-run-svc/catalog-info.yaml',
    ]),
  );
  expect(repoState()).toBe(before);
});

test('the locations API refuses file targets for users', async () => {
  const before = await call('GET', '/catalog/locations');
  const res = await call('POST', '/catalog/locations', {
    type: 'file',
    target: '/etc/passwd',
  });
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  expect(res.text).not.toContain('root:');
  expect((await call('GET', '/catalog/locations')).json).toEqual(before.json);
});

test('hostile annotations get no status and no other service', async () => {
  // Someone with write access to the GitOps repository commits two
  // components whose annotations reach too far; the portal's catalog
  // provider picks them up like any other.
  const hostile = {
    'hostile-selector': {
      'gitops/path': 'apps/hostile-selector',
      'argocd/app-selector': 'app.kubernetes.io/name',
    },
    'hostile-path': {
      'gitops/path': 'apps/%2e%2e/infra',
      'argocd/app-selector': 'app.kubernetes.io/name=hostile-path',
    },
  };
  if (!fs.existsSync(path.join(REPO, '.git'))) {
    execFileSync('git', ['init', '-q', '-b', 'main', REPO]);
  }
  for (const [name, annotations] of Object.entries(hostile)) {
    const file = path.join(REPO, 'apps', name, 'catalog-info.yaml');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(
      file,
      `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
  annotations:
${Object.entries(annotations)
  .map(([k, v]) => `    ${k}: '${v}'`)
  .join('\n')}
spec:
  type: service
  lifecycle: experimental
  owner: group:default/ml-team
`,
    );
    git('add', `apps/${name}/catalog-info.yaml`);
  }
  execFileSync(
    'git',
    [
      '-c',
      'user.name=Attacker',
      '-c',
      'user.email=a@example.com',
      'commit',
      '-q',
      '-m',
      'hostile components',
    ],
    { cwd: REPO },
  );

  for (const [name, annotation, rule] of [
    [
      'hostile-selector',
      'argocd/app-selector',
      'must hold at least one key=value equality',
    ],
    ['hostile-path', 'gitops/path', 'must not contain "%"'],
  ]) {
    await expect
      .poll(
        async () =>
          (
            await call(
              'GET',
              `/catalog/entities/by-name/component/default/${name}`,
            )
          ).status,
        { timeout: 60_000 },
      )
      .toBe(200);
    const res = await call(
      'GET',
      `/gitops/v1/entities/default/component/${name}/environments`,
    );
    expect(res.status).toBe(200);
    expect(res.json.environments).toEqual([]);
    expect(res.json.reason).toContain(`The ${annotation} annotation`);
    expect(res.json.reason).toContain(rule);
    expect(res.json.problems).toEqual([
      expect.objectContaining({ annotation }),
    ]);
    // Nothing of another service: no image, namespace or Argo CD link.
    expect(res.text).not.toMatch(
      /registry\.example\.com|-staging|-production|applications\//,
    );
    const history = await call(
      'GET',
      `/gitops/v1/entities/default/component/${name}/environments/production/history`,
    );
    expect(history.status).toBe(200);
    expect(history.json.items).toEqual([]);
  }
});
