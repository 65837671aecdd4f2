export interface Config {
  gitops?: {
    /** Settings of the GitOps views in the portal. */
    ui?: {
      /**
       * How often the entity tab and the team page refresh, in seconds. 0 turns periodic refresh off. Default 30.
       * @visibility frontend
       */
      refreshIntervalSeconds?: number;
    };
  };
}
