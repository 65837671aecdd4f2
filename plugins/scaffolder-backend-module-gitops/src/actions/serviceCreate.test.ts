import { ConfigReader } from '@backstage/config';
import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { readPlatformProfile } from '@goldenpath/plugin-gitops-node';
import fs from 'fs-extra';
import path from 'node:path';
import { parse } from 'yaml';
import { createServiceCreateAction } from './serviceCreate';

// kubectl kustomize and the schema models load slowly on a busy machine.
jest.setTimeout(60_000);

const profile = readPlatformProfile(
  new ConfigReader({
    gitops: {
      repository: { url: 'https://git.example.com/gitops.git' },
      environments: [
        {
          name: 'staging',
          defaultTag: 'latest',
          secretStore: { keyPrefix: 'staging/' },
        },
        {
          name: 'production',
          replicas: 3,
          resourceTier: 'medium',
          tagPolicy: 'immutable',
          secretStore: { keyPrefix: 'production/' },
        },
      ],
    },
  }),
);

// The catalog the owner is looked up in: one group, one user, one component.
const entity = (kind: string, name: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name, namespace: 'default' },
  spec: {},
});
const catalog = catalogServiceMock({
  entities: [
    entity('Group', 'ml-team'),
    entity('User', 'ada'),
    entity('Component', 'some-service'),
  ],
});

const validInput = {
  name: 'my-ai-service',
  owner: 'group:default/ml-team',
  image: 'registry.example.com/my-ai-service',
  secrets: [
    { name: 'DATABASE_URL', remoteKey: 'DATABASE_URL' },
    { name: 'API_KEY', remoteKey: 'API_KEY' },
  ],
  environments: [
    { name: 'staging', imageTag: 'latest' },
    { name: 'production', imageTag: 'v1.2.3' },
  ],
};

describe('gitops:service:create', () => {
  const workspace = createMockDirectory();
  const repositoryRoot = createMockDirectory();
  const action = createServiceCreateAction({ profile, catalog });
  beforeEach(() => workspace.clear());

  const run = async (input: object, extra: object = {}) => {
    const ctx = createMockActionContext({
      input: input as any,
      workspacePath: workspace.path,
      logger: mockServices.logger.mock(),
    });
    // createMockActionContext does not take isDryRun; set it like the runner does.
    Object.assign(ctx, extra);
    await action.handler(ctx);
    return ctx;
  };
  const outputs = (ctx: { output: jest.Mock }) =>
    Object.fromEntries(ctx.output.mock.calls);

  it('writes the service folder and outputs path, files, environments and annotations', async () => {
    const ctx = await run(validInput);
    const out = outputs(ctx as any);
    expect(out.path).toBe('apps/my-ai-service');
    expect(out.environments).toEqual([
      {
        name: 'staging',
        namespace: 'my-ai-service-staging',
        imageTag: 'latest',
      },
      {
        name: 'production',
        namespace: 'my-ai-service-production',
        imageTag: 'v1.2.3',
      },
    ]);
    expect(out.annotations).toEqual({
      'backstage.io/kubernetes-id': 'my-ai-service',
      'gitops/path': 'apps/my-ai-service',
      'argocd/app-selector': 'app.kubernetes.io/name=my-ai-service',
    });
    for (const file of out.files) {
      expect(await fs.pathExists(path.join(workspace.path, file))).toBe(true);
    }
    expect(out.files).toContain(
      'apps/my-ai-service/overlays/production/kustomization.yaml',
    );
    const overlay = parse(
      await fs.readFile(
        path.join(
          workspace.path,
          'apps/my-ai-service/overlays/production/kustomization.yaml',
        ),
        'utf8',
      ),
    );
    expect(overlay.images).toEqual([
      { name: 'registry.example.com/my-ai-service', newTag: 'v1.2.3' },
    ]);
    // Every overlay was rendered with the real kubectl kustomize.
    const logged = (ctx.logger.info as jest.Mock).mock.calls
      .map(c => c[0])
      .join('\n');
    expect(logged).toMatch(
      /overlays\/staging: kubectl kustomize rendered \d+ objects/,
    );
    expect(logged).toMatch(
      /overlays\/production: kubectl kustomize rendered \d+ objects/,
    );
  });

  it('never writes a secret value or a Secret object', async () => {
    const ctx = await run(validInput);
    const contents = await Promise.all(
      outputs(ctx as any).files.map((f: string) =>
        fs.readFile(path.join(workspace.path, f), 'utf8'),
      ),
    );
    expect(contents.join('\n')).not.toMatch(/kind: Secret\b|stringData/);
    // Keys are confined under the environment's prefix and the service name.
    const es = parse(
      await fs.readFile(
        path.join(
          workspace.path,
          'apps/my-ai-service/base/externalsecret.yaml',
        ),
        'utf8',
      ),
    );
    expect(es.spec.data.map((d: any) => d.remoteRef.key)).toEqual([
      'staging/my-ai-service/DATABASE_URL',
      'staging/my-ai-service/API_KEY',
    ]);
  });

  it('writes the files into the workspace in a dry run, so the template editor shows them', async () => {
    // The repository of the profile; a dry run must never create or touch it.
    const repository = repositoryRoot.resolve('gitops');
    const dryProfile = readPlatformProfile(
      new ConfigReader({
        gitops: {
          repository: {
            localPath: repository,
            url: 'https://git.example.com/gitops.git',
          },
          environments: [
            { name: 'staging', defaultTag: 'latest' },
            { name: 'production', tagPolicy: 'immutable' },
          ],
        },
      }),
    );
    const dry = createServiceCreateAction({ profile: dryProfile, catalog });
    const ctx = createMockActionContext({
      input: validInput as any,
      workspacePath: workspace.path,
      logger: mockServices.logger.mock(),
    });
    Object.assign(ctx, { isDryRun: true });
    await dry.handler(ctx);

    const files: string[] = outputs(ctx as any).files;
    expect(files).toContain('apps/my-ai-service/base/deployment.yaml');
    expect(files).toContain('apps/my-ai-service/argocd/production.yaml');
    for (const file of files) {
      expect(await fs.pathExists(path.join(workspace.path, file))).toBe(true);
    }
    expect(await fs.readdir(workspace.path)).toEqual(['apps']);
    expect(await fs.pathExists(repository)).toBe(false);
  });

  describe('owner', () => {
    it('looks the owner up with the credentials of the user running the template', async () => {
      const spy = jest.spyOn(catalog, 'getEntityByRef');
      const ctx = await run({ ...validInput, owner: 'ml-team' });
      const credentials = await ctx.getInitiatorCredentials();
      expect(spy).toHaveBeenCalledWith('group:default/ml-team', {
        credentials,
      });
      expect(outputs(ctx as any).path).toBe('apps/my-ai-service');
      spy.mockRestore();
    });

    it('accepts a user', async () => {
      await run({ ...validInput, owner: 'user:default/ada' });
      expect(await fs.readdir(workspace.path)).toEqual(['apps']);
    });

    it.each([
      [
        'missing from the catalog',
        'group:default/ghost-team',
        /^owner "group:default\/ghost-team" is not a Group or User in the catalog \(or you may not see it\)/,
      ],
      [
        'of the wrong kind, though in the catalog',
        'component:default/some-service',
        /^owner must be a Group or a User, not a component/,
      ],
      [
        'malformed',
        'not a ref!!',
        /^owner must be an entity reference such as group:default\/ml-team/,
      ],
    ])(
      'refuses an owner %s, writing nothing',
      async (_label, owner, message) => {
        await expect(run({ ...validInput, owner })).rejects.toMatchObject({
          name: 'InputError',
          message: expect.stringMatching(message),
        });
        expect(await fs.readdir(workspace.path)).toEqual([]);
      },
    );
  });

  it('refuses an existing folder with a ConflictError unless overwrite is set', async () => {
    workspace.setContent({ 'apps/my-ai-service/old.yaml': 'old: true' });
    await expect(run(validInput)).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringMatching(
        /targetPath "apps\/my-ai-service" already exists/,
      ),
    });
    expect(
      await fs.readFile(
        path.join(workspace.path, 'apps/my-ai-service/old.yaml'),
        'utf8',
      ),
    ).toBe('old: true');
    await run({ ...validInput, overwrite: true });
    expect(
      await fs.pathExists(
        path.join(workspace.path, 'apps/my-ai-service/old.yaml'),
      ),
    ).toBe(false);
    expect(
      await fs.pathExists(
        path.join(workspace.path, 'apps/my-ai-service/base/deployment.yaml'),
      ),
    ).toBe(true);
  });

  const long = 'a'.repeat(55);
  const badInputs: Array<[string, object, RegExp]> = [
    ['missing name', { name: undefined }, /^name is required/],
    [
      'upper-case name',
      { name: 'MyService' },
      /^name must be a DNS-1035 label/,
    ],
    [
      'name starting with a digit',
      { name: '1service' },
      /^name must be a DNS-1035 label/,
    ],
    [
      'name ending with -',
      { name: 'service-' },
      /^name must be a DNS-1035 label/,
    ],
    ['name with _', { name: 'my_service' }, /^name must be a DNS-1035 label/],
    [
      'name over 63',
      { name: `a${'b'.repeat(63)}` },
      /^name must be at most 63/,
    ],
    [
      'name whose derived names are too long',
      { name: long },
      /^name gives the namespace "a{55}-production", which must be at most 63/,
    ],
    ['missing owner', { owner: undefined }, /^owner is required/],
    [
      'malformed owner',
      { owner: 'group:' },
      /^owner must be an entity reference/,
    ],
    [
      'malformed system',
      { system: 'system:' },
      /^system must be an entity reference/,
    ],
    [
      'bad lifecycle',
      { lifecycle: 'Prod Ready' },
      /^lifecycle must be a lowercase word/,
    ],
    ['missing image', { image: undefined }, /^image is required/],
    [
      'image with tag',
      { image: 'registry.example.com/svc:v1' },
      /^image must be an image repository without a tag/,
    ],
    [
      'image with digest',
      { image: `svc@sha256:${'a'.repeat(64)}` },
      /^image must be an image repository without a digest/,
    ],
    [
      'upper-case image',
      { image: 'Registry/Svc' },
      /^image must be an image repository/,
    ],
    ['port 0', { port: 0 }, /^port must be a whole number from 1 to 65535/],
    [
      'port 70000',
      { port: 70000 },
      /^port must be a whole number from 1 to 65535/,
    ],
    ['fractional port', { port: 80.5 }, /^port must be a whole number/],
    [
      'readiness path without /',
      { healthPaths: { readiness: 'health' } },
      /^healthPaths\.readiness must be an HTTP path/,
    ],
    [
      'liveness path with a space',
      { healthPaths: { liveness: '/a b' } },
      /^healthPaths\.liveness must be an HTTP path/,
    ],
    [
      'config key with -',
      { config: { 'LOG-LEVEL': 'x' } },
      /^config\.LOG-LEVEL is not a valid environment variable name/,
    ],
    [
      'config value object',
      { config: { A: { b: 1 } } },
      /^config\.A must be a string, number or boolean/,
    ],
    [
      'secret with a value',
      { secrets: [{ name: 'API_KEY', remoteKey: 'k', value: 'hunter2' }] },
      /^secrets\[0\]\.value is not allowed: secrets are references/,
    ],
    [
      'lower-case secret name',
      { secrets: [{ name: 'api_key', remoteKey: 'k' }] },
      /^secrets\[0\]\.name must match \[A-Z_\]/,
    ],
    [
      'secret without remoteKey',
      { secrets: [{ name: 'API_KEY' }] },
      /^secrets\[0\]\.remoteKey must be a key of the external store/,
    ],
    [
      'remoteKey with a space',
      { secrets: [{ name: 'API_KEY', remoteKey: 'a b' }] },
      /^secrets\[0\]\.remoteKey must not contain whitespace/,
    ],
    [
      'duplicate secret',
      {
        secrets: [
          { name: 'A', remoteKey: 'x' },
          { name: 'A', remoteKey: 'y' },
        ],
      },
      /^secrets\[1\]\.name "A" is listed twice/,
    ],
    [
      'secret also a config key',
      { config: { A: '1' }, secrets: [{ name: 'A', remoteKey: 'x' }] },
      /^secrets\[0\]\.name "A" is also a config key/,
    ],
    [
      'unknown environment',
      { environments: [{ name: 'qa' }] },
      /^environments\[0\]\.name "qa" is not an environment of the platform profile \(staging, production\)/,
    ],
    [
      'duplicate environment',
      { environments: [{ name: 'staging' }, { name: 'staging' }] },
      /^environments\[1\]\.name "staging" is listed twice/,
    ],
    [
      'no environments',
      { environments: [] },
      /^environments must list at least one environment/,
    ],
    [
      'latest in production',
      { environments: [{ name: 'production', imageTag: 'latest' }] },
      /^environments\[0\]\.imageTag "latest" is a moving tag, but production only accepts immutable ones/,
    ],
    [
      'v1 in production',
      { environments: [{ name: 'production', imageTag: 'v1' }] },
      /^environments\[0\]\.imageTag "v1" is a moving tag/,
    ],
    [
      'no tag for production',
      { environments: [{ name: 'production' }] },
      /^environments\[0\]\.imageTag is required for production/,
    ],
    [
      'malformed tag',
      { environments: [{ name: 'staging', imageTag: '-bad' }] },
      /^environments\[0\]\.imageTag must be an image tag/,
    ],
    [
      'short digest',
      { environments: [{ name: 'staging', imageTag: 'sha256:abc' }] },
      /^environments\[0\]\.imageTag must be a digest/,
    ],
    [
      'negative replicas',
      { environments: [{ name: 'staging', replicas: -1 }] },
      /^environments\[0\]\.replicas must be a whole number from 0 to 100/,
    ],
    [
      'bad namespace',
      { environments: [{ name: 'staging', namespace: 'Team_NS' }] },
      /^environments\[0\]\.namespace must be a DNS-1123 label/,
    ],
    [
      'unknown controller',
      { controller: 'jenkins' },
      /^controller must be one of argocd, flux, none/,
    ],
    [
      'absolute targetPath',
      { targetPath: '/etc/apps' },
      /^targetPath must be relative to the repository root/,
    ],
    [
      'targetPath escaping',
      { targetPath: '../outside' },
      /^targetPath must not contain empty, "\." or "\.\." segments/,
    ],
  ];

  it.each(badInputs)(
    'refuses %s, naming the field, and writes nothing',
    async (_label, patch, message) => {
      await expect(run({ ...validInput, ...patch })).rejects.toMatchObject({
        name: expect.stringMatching(/InputError/),
        message: expect.stringMatching(message),
      });
      expect(await fs.readdir(workspace.path)).toEqual([]);
    },
  );

  it('has at least 30 bad inputs in its table', () => {
    expect(badInputs.length).toBeGreaterThanOrEqual(30);
  });

  it('refuses argocd when the profile has no repository URL', async () => {
    const noUrl = createServiceCreateAction({
      profile: readPlatformProfile(new ConfigReader({})),
      catalog,
    });
    const ctx = createMockActionContext({
      input: { ...validInput, environments: [{ name: 'staging' }] } as any,
      workspacePath: workspace.path,
    });
    await expect(noUrl.handler(ctx)).rejects.toThrow(
      /^controller argocd needs gitops\.repository\.url/,
    );
    expect(await fs.readdir(workspace.path)).toEqual([]);
  });

  it('publishes a zod input schema that rejects a secret value', () => {
    const schema = action.schema?.input as any;
    expect(schema.properties.secrets.items.additionalProperties).toBe(false);
    expect(schema.required).toEqual(
      expect.arrayContaining(['name', 'owner', 'image']),
    );
    for (const [key, property] of Object.entries<any>(schema.properties)) {
      expect({ key, description: property.description }).toEqual({
        key,
        description: expect.any(String),
      });
    }
  });

  describe('the gitops-service template', () => {
    const template = parse(
      fs.readFileSync(
        path.resolve(
          __dirname,
          '../../../../examples/templates/gitops-service/template.yaml',
        ),
        'utf8',
      ),
    );
    const schema = action.schema?.input as any;
    const form = Object.assign(
      {},
      ...template.spec.parameters.map((page: any) => page.properties),
    );
    const step = template.spec.steps.find(
      (s: any) => s.action === 'gitops:service:create',
    );

    it('passes only inputs the action declares', () => {
      for (const key of Object.keys(step.input)) {
        expect({ key, declared: key in schema.properties }).toEqual({
          key,
          declared: true,
        });
      }
    });

    it.each(['secrets', 'environments'])(
      'closes the %s items and declares only fields of the action, with its types',
      field => {
        const items = form[field].items;
        const actionItems = schema.properties[field].items;
        expect(items.additionalProperties).toBe(false);
        for (const [key, property] of Object.entries<any>(items.properties)) {
          expect({ key, type: property.type }).toEqual({
            key,
            type:
              actionItems.properties[key]?.type === 'number' &&
              property.type === 'integer'
                ? 'integer'
                : actionItems.properties[key]?.type,
          });
        }
      },
    );

    it('refuses in the form what the action refuses in a remoteKey', () => {
      const pattern = new RegExp(
        form.secrets.items.properties.remoteKey.pattern,
      );
      for (const bad of ['../payments/db', '/payments/db', 'a b', 'a/./b']) {
        expect({ bad, accepted: pattern.test(bad) }).toEqual({
          bad,
          accepted: false,
        });
      }
      expect(pattern.test('db/password')).toBe(true);
    });
  });
});
