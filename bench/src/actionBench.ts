import type { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { EnvironmentStatus } from '@goldenpath/plugin-gitops-common';
import {
  LocalGitRepository,
  LocalServiceFolderSource,
  generateService,
  readPlatformProfile,
} from '@goldenpath/plugin-gitops-node';
import {
  createEnvironmentPromoteAction,
  createServiceCreateAction,
} from '@goldenpath/plugin-scaffolder-backend-module-gitops';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  IMAGE_REGISTRY,
  benchProfileConfig,
  benchServiceInput,
  desiredTag,
  expectedEnvironment,
  expectedEnvironments,
  serviceName,
} from './scenario';
import { elapsedMs } from './stats';

const quietLogger: LoggerService = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child() {
    return quietLogger;
  },
};

/**
 * Times `gitops:service:create` end to end as the scaffolder runs it: generate
 * a service with three environments, validate every object against its
 * schema, render each overlay with `kubectl kustomize`, write the tree into
 * a fresh workspace.
 */
export async function benchServiceCreateAction(options: {
  runs: number;
  kubectl?: string;
}): Promise<{ runsMs: number[]; renderedObjects: number }> {
  const profile = readPlatformProfile(
    new ConfigReader({
      gitops: {
        ...benchProfileConfig('/unused'),
        kubectl: { validate: true, path: options.kubectl ?? 'kubectl' },
      },
    }),
  );
  // The bench's organisation: every team its scenario names is a Group,
  // answered as the catalog would (the action looks the owner up).
  const catalog = {
    async getEntityByRef(ref: string) {
      const { kind, namespace, name } = parseEntityRef(ref);
      return kind.toLocaleLowerCase('en-US') === 'group'
        ? {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Group',
            metadata: { name, namespace },
            spec: { type: 'team', children: [] },
          }
        : undefined;
    },
  } as unknown as Parameters<typeof createServiceCreateAction>[0]['catalog'];
  const action = createServiceCreateAction({ profile, catalog });
  const runsMs: number[] = [];
  let renderedObjects = 0;
  for (let run = 0; run < options.runs; run++) {
    const workspacePath = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-ws-'));
    const outputs: Record<string, unknown> = {};
    const lines: string[] = [];
    const logger: LoggerService = {
      ...quietLogger,
      info: (message: string) => void lines.push(message),
    };
    const start = process.hrtime.bigint();
    await action.handler({
      input: benchServiceInput(run),
      workspacePath,
      logger,
      isDryRun: false,
      output: (name: string, value: unknown) => {
        outputs[name] = value;
      },
      createTemporaryDirectory: async () =>
        fs.mkdtempSync(path.join(os.tmpdir(), 'bench-tmp-')),
      checkpoint: async ({ fn }: { fn: () => Promise<unknown> }) => fn(),
      getInitiatorCredentials: async () => ({
        $$type: '@backstage/BackstageCredentials',
        principal: { type: 'user', userEntityRef: 'user:default/bench' },
      }),
      signal: new AbortController().signal,
      task: { id: `bench-${run}` },
      templateInfo: undefined,
      each: undefined,
      user: undefined,
    } as any);
    runsMs.push(elapsedMs(start));
    const rendered = lines
      .map(l => /kubectl kustomize rendered (\d+) objects/.exec(l))
      .filter(Boolean);
    if (rendered.length !== 3 || !outputs.path) {
      throw new Error(
        `gitops:service:create did not render the three overlays: ${lines.join(
          '; ',
        )}`,
      );
    }
    renderedObjects = rendered.reduce((n, m) => n + Number(m![1]), 0);
    fs.rmSync(workspacePath, { recursive: true, force: true });
  }
  return { runsMs, renderedObjects };
}

/**
 * Times `gitops:environment:promote` as the scaffolder runs it: read the
 * service folder from the local GitOps repository through the git layer,
 * check the gate, edit production's overlay, render it with
 * `kubectl kustomize` and write it into a fresh workspace. Each run promotes
 * another service of the scenario from staging to production; the status
 * the gate reads is the scenario's (the status route's own cost is the
 * entity view, measured apart).
 */
export async function benchPromoteAction(options: {
  runs: number;
  kubectl?: string;
}): Promise<{ runsMs: number[] }> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-promote-'));
  const repoDir = path.join(workDir, 'gitops');
  const profile = readPlatformProfile(
    new ConfigReader({
      gitops: {
        ...benchProfileConfig(repoDir),
        kubectl: { validate: true, path: options.kubectl ?? 'kubectl' },
      },
    }),
  );
  // Services whose staging is Healthy (every 11th is still progressing).
  const services = Array.from({ length: options.runs * 2 }, (_, i) => i)
    .filter(i => expectedEnvironment(i, 'staging').health === 'Healthy')
    .slice(0, options.runs);
  const repository = new LocalGitRepository(repoDir);
  for (const index of services) {
    const generated = generateService(benchServiceInput(index), profile);
    const dir = path.join(workDir, 'generated', serviceName(index));
    for (const file of generated.files) {
      fs.mkdirSync(path.dirname(path.join(dir, file.path)), {
        recursive: true,
      });
      fs.writeFileSync(path.join(dir, file.path), file.content);
    }
    await repository.commitFolder({
      sourceDir: dir,
      targetPath: `apps/${serviceName(index)}`,
      message: `Add ${serviceName(index)}`,
      author: { name: 'Bench', email: 'bench@example.com' },
    });
  }

  const statusOf = (index: number): EnvironmentStatus[] =>
    expectedEnvironments(index).map(e => ({
      name: e.environment,
      controller: 'argocd',
      desired: {
        image: `${IMAGE_REGISTRY}/${serviceName(index)}`,
        tag: e.desiredTag,
      },
      live: {
        images: [`${IMAGE_REGISTRY}/${serviceName(index)}:${e.liveTag}`],
        sync: e.sync,
        health: e.health,
      },
      drift: e.desiredTag !== e.liveTag,
    }));
  const action = createEnvironmentPromoteAction({
    profile,
    catalog: {
      async getEntityByRef(ref: string) {
        const { name } = parseEntityRef(ref);
        return {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: {
            name,
            namespace: 'default',
            annotations: { 'gitops/path': `apps/${name}` },
          },
          spec: {},
        };
      },
    } as any,
    permissions: {
      authorize: async (requests: unknown[]) =>
        requests.map(() => ({ result: AuthorizeResult.ALLOW })),
    } as any,
    status: {
      async environments(ref) {
        const index = services.find(i => serviceName(i) === ref.name)!;
        return { entityRef: ref.name, environments: statusOf(index) };
      },
      async history() {
        return { items: [] };
      },
    },
    source: new LocalServiceFolderSource(repository),
  });

  const runsMs: number[] = [];
  try {
    for (const [run, index] of services.entries()) {
      const workspacePath = path.join(workDir, `ws-${run}`);
      fs.mkdirSync(workspacePath);
      const outputs: Record<string, unknown> = {};
      const start = process.hrtime.bigint();
      await action.handler({
        input: {
          entityRef: `component:default/${serviceName(index)}`,
          targetEnvironment: 'production',
        },
        workspacePath,
        logger: quietLogger,
        isDryRun: false,
        output: (name: string, value: unknown) => {
          outputs[name] = value;
        },
        getInitiatorCredentials: async () => ({
          $$type: '@backstage/BackstageCredentials',
          principal: { type: 'user', userEntityRef: 'user:default/bench' },
        }),
        user: { ref: 'user:default/bench' },
        signal: new AbortController().signal,
        task: { id: `bench-promote-${run}` },
      } as any);
      runsMs.push(elapsedMs(start));
      if (outputs.version !== desiredTag(index, 'staging')) {
        throw new Error(
          `gitops:environment:promote promoted ${String(
            outputs.version,
          )} for ${serviceName(index)}, not staging's ${desiredTag(
            index,
            'staging',
          )}`,
        );
      }
    }
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
  return { runsMs };
}
