import type { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { readPlatformProfile } from '@goldenpath/plugin-gitops-node';
import { createServiceCreateAction } from '@goldenpath/plugin-scaffolder-backend-module-gitops';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchProfileConfig, benchServiceInput } from './scenario';
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
