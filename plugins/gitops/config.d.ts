export interface Config {
  gitops?: {
    /** Settings of the GitOps views in the portal. */
    ui?: {
      /**
       * How often the entity tab and the team page refresh, in seconds. 0 turns periodic refresh off. Default 30.
       * @visibility frontend
       */
      refreshIntervalSeconds?: number;
      /**
       * How long an environment may be other than Synced and Healthy before the views mark it "stuck for ...": "10m", "2h", "1d" or { minutes: 10 }. Default 10 minutes.
       * @visibility frontend
       */
      stuckAfter?:
        | string
        | {
            days?: number;
            hours?: number;
            minutes?: number;
            seconds?: number;
          };
    };
  };
}
