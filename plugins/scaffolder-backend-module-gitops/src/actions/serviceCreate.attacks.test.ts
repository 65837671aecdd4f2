import { ConfigReader } from '@backstage/config';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { readPlatformProfile } from '@goldenpath/plugin-gitops-node';
import fs from 'fs-extra';
import path from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import { createServiceCreateAction } from './serviceCreate';

// The attacks reported against the running portal, replayed through
// gitops:service:create with the portal's own platform profile
// (app-config.yaml). Each must be refused with an InputError naming the
// field, before anything is written.

jest.setTimeout(60_000);

const root = path.resolve(__dirname, '../../../..');
const demoGitops = parse(
  fs.readFileSync(path.join(root, 'app-config.yaml'), 'utf8'),
).gitops;

const entity = (kind: string, name: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name, namespace: 'default' },
  spec: {},
});
const orgEntities = [
  entity('Group', 'ml-team'),
  entity('Group', 'payments-team'),
  entity('Component', 'some-service'),
];

const validInput = {
  name: 'my-ai-service',
  owner: 'group:default/ml-team',
  image: 'registry.example.com/my-ai-service',
  secrets: [{ name: 'API_KEY', remoteKey: 'API_KEY' }],
  environments: [
    { name: 'staging', imageTag: 'latest' },
    { name: 'production', imageTag: 'v1.2.3' },
  ],
};

const attacks: Array<[string, string, object, RegExp]> = [
  [
    'a service written into kube-system',
    'environments[0].namespace',
    {
      environments: [
        { name: 'staging', imageTag: 'latest', namespace: 'kube-system' },
      ],
    },
    /^environments\[0\]\.namespace "kube-system" is reserved \(matches "kube-\*"\)/,
  ],
  [
    "a service written into Argo CD's namespace",
    'environments[0].namespace',
    {
      environments: [
        { name: 'staging', imageTag: 'latest', namespace: 'argocd' },
      ],
    },
    /^environments\[0\]\.namespace "argocd" is reserved \(matches "argocd"\)/,
  ],
  [
    "a service written into another team's namespace",
    'environments[0].namespace',
    {
      environments: [
        {
          name: 'staging',
          imageTag: 'latest',
          namespace: 'checkout-web-staging',
        },
      ],
    },
    /^environments\[0\]\.namespace "checkout-web-staging" is not allowed in staging: the platform profile allows "my-ai-service-staging" only/,
  ],
  [
    "another team's secret through ..",
    'secrets[0].remoteKey',
    { secrets: [{ name: 'DB', remoteKey: '../payments/db-password' }] },
    /^secrets\[0\]\.remoteKey must not contain "\." or "\.\." segments/,
  ],
  [
    "another team's secret through a leading /",
    'secrets[0].remoteKey',
    { secrets: [{ name: 'DB', remoteKey: '/payments/db-password' }] },
    /^secrets\[0\]\.remoteKey must be relative to the service's prefix in the secret store: no leading "\/"/,
  ],
  [
    'a remoteKey with a control character',
    'secrets[0].remoteKey',
    { secrets: [{ name: 'DB', remoteKey: 'db\u0000password' }] },
    /^secrets\[0\]\.remoteKey must not contain control characters/,
  ],
  [
    'an owner that is no entity reference',
    'owner',
    { owner: 'not a ref!!' },
    /^owner must be an entity reference such as group:default\/ml-team/,
  ],
  [
    'a component as owner',
    'owner',
    { owner: 'component:default/some-service' },
    /^owner must be a Group or a User, not a component/,
  ],
  [
    'an owner the catalog does not hold',
    'owner',
    { owner: 'group:default/ghost-team' },
    /^owner "group:default\/ghost-team" is not a Group or User in the catalog/,
  ],
];

describe('gitops:service:create attacks', () => {
  const dirs = createMockDirectory();
  beforeEach(() => dirs.setContent({ 'workspace/README.md': 'left alone\n' }));

  it.each(attacks)(
    'refuses %s, naming %s, and writes nothing',
    async (_label, field, patch, message) => {
      const repository = dirs.resolve('gitops');
      const profile = readPlatformProfile(
        new ConfigReader({
          gitops: {
            ...demoGitops,
            repository: { ...demoGitops.repository, localPath: repository },
          },
        }),
      );
      const catalog = catalogServiceMock({ entities: orgEntities });
      const action = createServiceCreateAction({ profile, catalog });
      const workspace = dirs.resolve('workspace');
      const logger = mockServices.logger.mock();
      const ctx = createMockActionContext({
        input: { ...validInput, ...patch } as any,
        workspacePath: workspace,
        logger,
      });

      const error = await action.handler(ctx).then(
        () => undefined,
        e => e,
      );
      expect(error).toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(message),
      });
      expect(error.message.startsWith(`${field} `)).toBe(true);
      // The workspace is as it was, the repository never created, no output.
      expect(dirs.content()).toEqual({
        workspace: { 'README.md': 'left alone\n' },
      });
      expect(await fs.pathExists(repository)).toBe(false);
      expect(ctx.output).not.toHaveBeenCalled();
    },
  );

  it('has one row per reported attack', () => {
    expect(attacks.length).toBeGreaterThanOrEqual(6);
  });
});

describe('the template editor dry run', () => {
  const dirs = createMockDirectory();

  it("lists the files of the real template's generation step, and writes no repository", async () => {
    // The template's form and its generation step; the commit and register
    // steps belong to their own actions and are left out here.
    const template = parse(
      fs.readFileSync(
        path.join(root, 'examples/templates/gitops-service/template.yaml'),
        'utf8',
      ),
    );
    template.spec.steps = template.spec.steps.filter(
      (s: { action: string }) => s.action === 'gitops:service:create',
    );
    template.spec.output = {};
    dirs.setContent({ work: {} });
    const repository = dirs.resolve('gitops');
    const gitopsConfig = {
      repository: {
        localPath: repository,
        url: 'https://git.example.com/gitops.git',
      },
    };
    const catalog = catalogServiceMock({ entities: orgEntities });
    const serviceCreateOnly = createBackendModule({
      pluginId: 'scaffolder',
      moduleId: 'gitops-service-create',
      register(env) {
        env.registerInit({
          deps: { scaffolder: scaffolderActionsExtensionPoint },
          async init({ scaffolder }) {
            scaffolder.addActions(
              createServiceCreateAction({
                profile: readPlatformProfile(
                  new ConfigReader({ gitops: gitopsConfig }),
                ),
                catalog,
              }),
            );
          },
        });
      },
    });
    const { server } = await startTestBackend({
      features: [
        scaffolderPlugin,
        serviceCreateOnly,
        createServiceFactory({
          service: catalogServiceRef,
          deps: {},
          factory: () => catalog,
        }),
        mockServices.rootConfig.factory({
          data: {
            backend: {
              baseUrl: 'http://localhost:7007',
              workingDirectory: dirs.resolve('work'),
            },
            gitops: gitopsConfig,
          },
        }),
      ],
    });

    const response = await request(server)
      .post('/api/scaffolder/v2/dry-run')
      .set('Authorization', mockCredentials.user.header())
      .send({
        template,
        values: {
          name: 'my-ai-service',
          owner: 'group:default/ml-team',
          image: 'registry.example.com/my-ai-service',
          environments: [
            { name: 'staging', imageTag: 'latest' },
            { name: 'production', imageTag: 'v1.2.3' },
          ],
        },
        directoryContents: [],
      });

    expect(response.status).toBe(200);
    const paths = response.body.directoryContents.map(
      (f: { path: string }) => f.path,
    );
    expect(paths).toEqual(
      expect.arrayContaining([
        'apps/my-ai-service/base/deployment.yaml',
        'apps/my-ai-service/overlays/production/kustomization.yaml',
        'apps/my-ai-service/argocd/staging.yaml',
      ]),
    );
    expect(await fs.pathExists(repository)).toBe(false);
  });
});
