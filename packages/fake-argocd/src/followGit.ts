import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { FakeApplication, FakeArgoCd } from './index';

/**
 * What a scenario file says of one Application: a state the fake holds
 * instead of following Git, until a commit changes what the Application's
 * overlay wants (a fix or a promotion rolls out like any change). Times are durations before the fake started
 * (`90s`, `45m`, `3h`, `2d`), so the demo always shows a state that began
 * that long ago.
 */
export interface ScenarioEntry {
  sync?: 'Synced' | 'OutOfSync' | 'Unknown';
  health?: string;
  /** The live images, instead of what Git wants. */
  images?: string[];
  /** `status.health.message`. */
  healthMessage?: string;
  /** How long ago the health took its status (`health.lastTransitionTime`). */
  healthSince?: string;
  /** The last sync operation (`status.operationState`). */
  operation?: { phase?: string; message?: string; finishedAgo?: string };
  /** `status.conditions[]`. */
  conditions?: Array<{ type: string; message: string; since?: string }>;
  /** Health of the Application's Deployment (`status.resources[]`). */
  deployment?: { health?: string; message?: string };
}

/** Reads `applications:` of a scenario file. */
export function readScenario(file: string): Record<string, ScenarioEntry> {
  return parse(fs.readFileSync(file, 'utf8'))?.applications ?? {};
}

// Healthy Applications took their state this long before the fake started.
const DEFAULT_AGO = '1h';
const UNKNOWN_REVISION = '4f2a9c1d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b';

function readYaml(file: string): any {
  try {
    return parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function desiredImage(serviceDir: string, env: string): string | undefined {
  const k = readYaml(
    path.join(serviceDir, 'overlays', env, 'kustomization.yaml'),
  );
  const image = k?.images?.[0];
  if (!image) return undefined;
  const name = image.newName ?? image.name;
  return image.digest
    ? `${name}@${image.digest}`
    : `${name}:${image.newTag ?? 'latest'}`;
}

function headRevision(repo: string): string {
  try {
    return execFileSync('git', ['-C', repo, 'rev-parse', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return UNKNOWN_REVISION;
  }
}

/** What an Application has applied, as the follower remembers it. */
interface Applied {
  image?: string;
  revision: string;
  /** ISO time the applied image became Synced and Healthy. */
  since?: string;
  finishedAt?: string;
  /** A newer image Git wants, and when the follower first saw it. */
  pending?: { image?: string; seenAt: number };
  /** What Git wanted when the follower first saw the Application. */
  firstWanted?: string;
}

/**
 * Serves the Argo CD Applications of a local GitOps repository
 * (apps/<service>/argocd/<env>.yaml) as an automated-sync Argo CD would: an
 * Application runs what its overlay wants; when the overlay changes it is
 * OutOfSync, still running the old image, for `followDelayMs`, then Synced
 * and Healthy on the new image and the repository's HEAD. A scenario entry
 * holds its Application's state until Git changes what it wants.
 */
export class GitFollower {
  private readonly repo: string;
  private readonly scenario: Record<string, ScenarioEntry>;
  private readonly followDelayMs: number;
  private readonly now: () => number;
  private readonly started: number;
  private readonly applied = new Map<string, Applied>();

  constructor(options: {
    repo: string;
    scenario?: Record<string, ScenarioEntry>;
    followDelayMs?: number;
    now?: () => number;
  }) {
    this.repo = path.resolve(options.repo);
    this.scenario = options.scenario ?? {};
    this.followDelayMs = options.followDelayMs ?? 10_000;
    this.now = options.now ?? Date.now;
    this.started = this.now();
  }

  private ago(duration: string | undefined): string | undefined {
    if (!duration) return undefined;
    const match = /^(\d+)\s*([smhd])$/.exec(duration.trim());
    if (!match) {
      throw new Error(
        `scenario: "${duration}" is not a duration such as 90s, 45m, 3h or 2d`,
      );
    }
    const unit = { s: 1e3, m: 6e4, h: 36e5, d: 864e5 }[match[2] as 's'];
    return new Date(this.started - Number(match[1]) * unit).toISOString();
  }

  /** What the Application runs now, moving it on once Git's change is old enough. */
  private follow(name: string, wants: string | undefined): Applied {
    const now = this.now();
    let state = this.applied.get(name);
    if (!state) {
      state = {
        image: this.scenario[name]?.images?.[0] ?? wants,
        revision: headRevision(this.repo),
        firstWanted: wants,
      };
      this.applied.set(name, state);
      return state;
    }
    if (wants === state.image) {
      state.pending = undefined;
      return state;
    }
    if (!state.pending || state.pending.image !== wants) {
      state.pending = { image: wants, seenAt: now };
    }
    if (now - state.pending.seenAt >= this.followDelayMs) {
      const at = new Date(now).toISOString();
      state.image = wants;
      state.revision = headRevision(this.repo);
      state.since = at;
      state.finishedAt = at;
      state.pending = undefined;
    }
    return state;
  }

  /** The Applications as Argo CD would report them now. */
  scan(): FakeApplication[] {
    const apps: FakeApplication[] = [];
    const appsDir = path.join(this.repo, 'apps');
    if (!fs.existsSync(appsDir)) return apps;
    for (const service of fs.readdirSync(appsDir).sort()) {
      const argoDir = path.join(appsDir, service, 'argocd');
      if (!fs.existsSync(argoDir)) continue;
      for (const file of fs.readdirSync(argoDir).sort()) {
        const app = readYaml(path.join(argoDir, file));
        if (app?.kind !== 'Application') continue;
        const env = file.replace(/\.ya?ml$/, '');
        const wants = desiredImage(path.join(appsDir, service), env);
        const state = this.follow(app.metadata.name, wants);
        // The scenario's state lasts until Git wants something else.
        const override =
          wants === state.firstWanted
            ? this.scenario[app.metadata.name] ?? {}
            : {};
        const following = Boolean(state.pending) && !override.sync;
        const sync = override.sync ?? (following ? 'OutOfSync' : 'Synced');
        const namespace = app.spec?.destination?.namespace;
        const finishedAt =
          (override.operation?.finishedAgo
            ? this.ago(override.operation.finishedAgo)
            : state.finishedAt) ?? this.ago(DEFAULT_AGO)!;
        apps.push({
          metadata: app.metadata,
          spec: {
            project: app.spec?.project,
            source: app.spec?.source,
            destination: app.spec?.destination ?? {},
          },
          status: {
            sync: { status: sync, revision: state.revision },
            health: {
              status: override.health ?? 'Healthy',
              ...(override.healthMessage
                ? { message: override.healthMessage }
                : {}),
              lastTransitionTime: override.healthSince
                ? this.ago(override.healthSince)
                : state.since ?? this.ago(DEFAULT_AGO),
            },
            ...(override.conditions
              ? {
                  conditions: override.conditions.map(c => ({
                    type: c.type,
                    message: c.message,
                    lastTransitionTime: this.ago(c.since),
                  })),
                }
              : {}),
            resources: [
              {
                group: 'apps',
                version: 'v1',
                kind: 'Deployment',
                namespace,
                name: service,
                status: sync,
                health: {
                  status: override.deployment?.health ?? 'Healthy',
                  ...(override.deployment?.message
                    ? { message: override.deployment.message }
                    : {}),
                },
              },
            ],
            summary: {
              images: override.images ?? (state.image ? [state.image] : []),
            },
            operationState: {
              phase: override.operation?.phase ?? 'Succeeded',
              ...(override.operation?.message
                ? { message: override.operation.message }
                : {}),
              startedAt: new Date(Date.parse(finishedAt) - 4000).toISOString(),
              finishedAt,
            },
          },
        });
      }
    }
    return apps;
  }
}

/**
 * Keeps a fake Argo CD's Applications following a local GitOps repository,
 * re-read every `intervalMs`. Returns a function that stops following.
 */
export function followGitopsRepository(
  fake: FakeArgoCd,
  options: ConstructorParameters<typeof GitFollower>[0] & {
    intervalMs?: number;
  },
): () => void {
  const follower = new GitFollower(options);
  const refresh = () => fake.setApplications(follower.scan());
  refresh();
  const timer = setInterval(refresh, options.intervalMs ?? 2000);
  timer.unref();
  return () => clearInterval(timer);
}
