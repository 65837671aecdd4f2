import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /** The portal's permission policy (src/modules/permission). */
  permissionPolicy: {
    /**
     * The group whose members may register catalog locations and create
     * entities, e.g. `group:default/platform-team`. Required: the backend
     * does not start without it.
     */
    adminGroup: string;
  };

  catalog?: {
    providers?: {
      /**
       * The entity provider of the local GitOps repository
       * (`gitops.repository.localPath`); off without a local repository.
       */
      gitopsRepository?: {
        /**
         * How often the repository's branch is checked for a new commit.
         * Default every 10 seconds, per instance (`scope: local`).
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };
  };
}
