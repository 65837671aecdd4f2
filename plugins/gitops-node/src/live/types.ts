import {
  createExtensionPoint,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type {
  GitopsControllerId,
  HealthStatus,
  StatusReason,
  SyncStatus,
} from '@goldenpath/plugin-gitops-common';

/**
 * One object a GitOps controller reconciles (an Argo CD Application, a Flux
 * Kustomization), as a provider reports it.
 *
 * @public
 */
export interface LiveResource {
  /** Unique within its provider, e.g. `<namespace>/<name>`. */
  key: string;
  name: string;
  namespace?: string;
  labels: Record<string, string>;
  /** Namespace the resource deploys into. */
  targetNamespace?: string;
  /** Display name of the cluster it deploys to. */
  cluster?: string;
  /** Images running, as `repository:tag` or `repository@digest`. */
  images: string[];
  revision?: string;
  sync: SyncStatus;
  health: HealthStatus;
  /** ISO 8601 time of the last finished sync or applied revision. */
  lastSyncedAt?: string;
  /**
   * ISO 8601 time since which `sync` and `health` have had their values, as
   * the controller says; without it, the backend uses the first poll that
   * saw the state.
   */
  since?: string;
  /** Why it is not Synced and Healthy, in the controller's words (plain text). */
  reasons?: StatusReason[];
  /** Deep link to the controller's UI. */
  url?: string;
}

/**
 * A source of live state, polled by the GitOps backend on a schedule. User
 * requests never call a provider; they read the snapshot of its last poll.
 *
 * @public
 */
export interface GitopsLiveStateProvider {
  /** Unique and stable, e.g. `argocd:main`; keys the snapshot rows. */
  readonly id: string;
  /** Shown in errors, e.g. `Argo CD instance "main"`. */
  readonly displayName: string;
  /** `argocd`, `flux`, or the id of another controller, e.g. `kargo`. */
  readonly controller: GitopsControllerId;
  /**
   * How the UI names a controller other than Argo CD and Flux, e.g. `Kargo`;
   * without it, the UI shows `controller`.
   */
  readonly controllerName?: string;
  /**
   * When and how long to poll, as Backstage's scheduler takes it (read it
   * from a `schedule` config key with
   * `readSchedulerServiceTaskScheduleDefinitionFromConfig`). The backend
   * always polls with `scope: 'global'`, whatever is set here: one replica
   * polls. Wins over `pollIntervalMs`.
   */
  readonly schedule?: SchedulerServiceTaskScheduleDefinition;
  /**
   * How often to poll, in milliseconds, when there is no `schedule`; kept for
   * providers written before it. Without either, every 30 seconds.
   */
  readonly pollIntervalMs?: number;
  /** Lists every resource the controller reconciles. Must honour the signal. */
  list(options: { signal: AbortSignal }): Promise<LiveResource[]>;
  /**
   * The label selector of an entity's resources, or undefined when the entity
   * does not say how to find them (e.g. no `argocd/app-selector`).
   */
  selectorFor(entity: Entity): string | undefined;
}

/**
 * Lets backend modules add live-state providers (e.g. Kargo) to the GitOps
 * backend.
 *
 * @public
 */
export interface GitopsLiveStateExtensionPoint {
  addProvider(...providers: GitopsLiveStateProvider[]): void;
}

/** @public */
export const gitopsLiveStateExtensionPoint =
  createExtensionPoint<GitopsLiveStateExtensionPoint>({
    id: 'gitops.live-state',
  });
