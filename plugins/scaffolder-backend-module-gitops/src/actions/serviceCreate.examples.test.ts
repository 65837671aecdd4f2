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
import { examples } from './serviceCreate.examples';

// Every documented example runs through the action, so examples never rot.
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
          tagPolicy: 'immutable',
          secretStore: { keyPrefix: 'production/' },
        },
      ],
    },
  }),
);
const group = (name: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: {},
});
const catalog = catalogServiceMock({
  entities: [group('ml-team'), group('payments-team')],
});
const action = createServiceCreateAction({ profile, catalog });

describe('gitops:service:create examples', () => {
  const workspace = createMockDirectory();
  beforeEach(() => workspace.clear());

  it.each(examples.map(e => [e.description, e] as const))(
    'runs: %s',
    async (_description, example) => {
      const { steps } = parse(example.example);
      const input = steps[0].input;
      const ctx = createMockActionContext({
        input,
        workspacePath: workspace.path,
        logger: mockServices.logger.mock(),
      });
      await action.handler(ctx);
      const out = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
      expect(out.path).toBe(input.targetPath ?? `apps/${input.name}`);
      for (const file of out.files) {
        expect(await fs.pathExists(path.join(workspace.path, file))).toBe(true);
      }
      // Every key the example writes is under <keyPrefix><name>/.
      const externalSecret = path.join(
        workspace.path,
        out.path,
        'base/externalsecret.yaml',
      );
      const keys: string[] = (await fs.pathExists(externalSecret))
        ? parse(await fs.readFile(externalSecret, 'utf8')).spec.data.map(
            (d: any) => d.remoteRef.key,
          )
        : [];
      expect(keys).toHaveLength(input.secrets?.length ?? 0);
      const confined = new RegExp(`^(staging|production)/${input.name}/`);
      expect(keys.filter(k => !confined.test(k))).toEqual([]);
    },
  );
});
