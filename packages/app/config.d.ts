export interface Config {
  app: {
    signIn?: {
      /**
       * The sign-in providers the sign-in page offers, in order: `guest` for
       * local use (app-config.yaml), `github` in production
       * (app-config.production.yaml). Each needs its provider under
       * `auth.providers` of the backend. Required: without it the sign-in
       * page shows what is missing instead of falling back to guest.
       * @visibility frontend
       */
      providers?: Array<'guest' | 'github'>;
    };
  };
}
