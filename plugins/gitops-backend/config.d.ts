import type { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';
import { HumanDuration } from '@backstage/types';

export interface Config {
  gitops?: {
    repository?: {
      /**
       * How often the desired-state index checks the GitOps repository for a
       * new version (local: git HEAD and index; URL: one conditional read of
       * the apps folder) and re-reads what changed. Requests never read Git:
       * a folder committed since the last check is reported missing until the
       * next one. Default 2 seconds with `localPath` (a check is a look at
       * `.git`), else 15 seconds.
       * @visibility backend
       */
      cacheTtl?: HumanDuration | string;
    };

    /** How the live-state providers are polled. */
    polling?: {
      /**
       * How many providers (Argo CD instances, Flux clusters, added ones) one
       * backend replica polls at once; the others wait for a slot, and the
       * wait counts against their schedule's timeout. Each provider is polled
       * by one replica at a time, so across R replicas at most R times this
       * many polls run at once. An integer of at least 1; default 4.
       * @visibility backend
       */
      concurrency?: number;
    };

    /** Argo CD instances whose Applications give live state. */
    argocd?: {
      /**
       * When each instance is polled (`frequency`) and the budget of one poll
       * (`timeout`, after which its request is aborted and the instance
       * marked failed), as Backstage's scheduler takes it. An instance's own
       * `schedule` wins. Polled by one replica (global scope) whatever
       * `scope` says. Default: every 30 seconds, one-minute timeout.
       * @visibility backend
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * How often each instance is polled. Ignored when schedule is set.
       * @deprecated use schedule.frequency
       * @visibility backend
       */
      pollInterval?: HumanDuration | string;
      /**
       * Timeout of one poll of an instance. Ignored when schedule is set.
       * @deprecated use schedule.timeout
       * @visibility backend
       */
      requestTimeout?: HumanDuration | string;
      /**
       * Largest applications list read from an instance, in bytes (at least
       * 1024). A larger answer is not read: the instance is marked failed
       * with that reason and its last known state is served. Default
       * 268435456 (256 MiB). The list is parsed as it arrives, so this
       * bounds what an instance may send, not what is held.
       * @visibility backend
       */
      maxResponseBytes?: number;
      instances?: Array<{
        /**
         * Unique name of the instance, shown in errors.
         * @visibility backend
         */
        name: string;
        /**
         * Base URL of the Argo CD API server. A user name or password in it is
         * never sent (use token) and never shown.
         * @visibility backend
         */
        url: string;
        /**
         * Argo CD API token (a read-only account is enough).
         * @visibility secret
         */
        token: string;
        /**
         * Base URL of the Argo CD UI for deep links, when it differs from url.
         * @visibility backend
         */
        frontendUrl?: string;
        /**
         * This instance's schedule, in place of gitops.argocd.schedule.
         * @visibility backend
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      }>;
    };

    /** Kubernetes clusters whose Flux Kustomizations give live state. */
    flux?: {
      /**
       * When each cluster is polled (`frequency`) and the budget of one poll
       * (`timeout`: every page of both lists; the requests are aborted when
       * it passes), as Backstage's scheduler takes it. A cluster's own
       * `schedule` wins. Polled by one replica (global scope) whatever
       * `scope` says. Default: every 30 seconds, one-minute timeout.
       * @visibility backend
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * How often each cluster is polled. Ignored when schedule is set.
       * @deprecated use schedule.frequency
       * @visibility backend
       */
      pollInterval?: HumanDuration | string;
      /**
       * Timeout of one poll of a cluster. Ignored when schedule is set.
       * @deprecated use schedule.timeout
       * @visibility backend
       */
      requestTimeout?: HumanDuration | string;
      clusters?: Array<{
        /**
         * Unique name of the cluster, shown in the UI and in errors.
         * @visibility backend
         */
        name: string;
        /**
         * URL of the Kubernetes API server.
         * @visibility backend
         */
        url: string;
        /**
         * Token of a service account that may list kustomizations.kustomize.toolkit.fluxcd.io and deployments.
         * @visibility secret
         */
        serviceAccountToken: string;
        /**
         * Base64 PEM CA bundle of the API server.
         * @visibility backend
         */
        caData?: string;
        /**
         * Skip TLS verification (development only).
         * @visibility backend
         */
        skipTLSVerify?: boolean;
        /**
         * This cluster's schedule, in place of gitops.flux.schedule.
         * @visibility backend
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      }>;
    };
  };
}
