export interface Config {
  /**
   * The GitOps golden path: what the platform team decides, read by the
   * scaffolder module and the GitOps backend.
   */
  gitops?: {
    /**
     * The GitOps repository the golden path writes to and reads from.
     */
    repository?: {
      /**
       * Where the repository is read and written: local (localPath, the
       * default when it is set) or url (the URL reader; localPath ignored).
       * @visibility backend
       */
      source?: 'local' | 'url';
      /**
       * A local git working tree (the embedded default). Relative paths are
       * resolved against the backend's working directory. Created on first use.
       * @visibility backend
       */
      localPath?: string;
      /**
       * Clone URL of the GitOps repository. Written into Argo CD Applications,
       * and read through the backend's URL reader when no localPath is set.
       * @visibility backend
       */
      url?: string;
      /**
       * Branch (Argo CD targetRevision) of the GitOps repository. Defaults to main.
       * @visibility backend
       */
      branch?: string;
      /**
       * Folder new services go into, relative to the repository root. Defaults to apps.
       * @visibility backend
       */
      appsPath?: string;
    };

    /**
     * Namespaces (or patterns with "*") no service may be deployed into, in
     * addition to kube-*, default and the Argo CD and Flux namespaces of the
     * profile, which are always reserved.
     * @visibility backend
     */
    reservedNamespaces?: string[];

    /**
     * Controller used when a template does not choose one: argocd, flux or none.
     * Defaults to argocd.
     * @visibility backend
     */
    defaultController?: 'argocd' | 'flux' | 'none';

    /**
     * Extra labels put on every generated object through Kustomize `labels`.
     * @visibility backend
     */
    labels?: { [name: string]: string };

    /**
     * Value of app.kubernetes.io/part-of when the template names no system.
     * @visibility backend
     */
    partOf?: string;

    /**
     * Named CPU and memory requests and limits, chosen per environment.
     * Tiers small, medium and large exist unless redefined here.
     */
    resourceTiers?: {
      [tier: string]: {
        requests: {
          /** @visibility backend */
          cpu: string;
          /** @visibility backend */
          memory: string;
        };
        limits: {
          /**
           * Leave out to set no CPU limit (avoids throttling); recommended.
           * @visibility backend
           */
          cpu?: string;
          /** @visibility backend */
          memory: string;
        };
      };
    };

    /**
     * Secret store used by environments that name none.
     */
    secretStore?: {
      /** @visibility backend */
      name?: string;
      /** @visibility backend */
      kind?: 'SecretStore' | 'ClusterSecretStore';
      /**
       * Prepended to every remoteRef.key, e.g. staging/. A literal: no
       * placeholders, no "." or ".." segments.
       * @visibility backend
       */
      keyPrefix?: string;
      /**
       * Put between keyPrefix and a template's remoteKey; confines each
       * service to its own keys. Must contain {{name}} as a whole segment
       * followed by "/" unless allowSharedKeys is set. Placeholders:
       * {{name}}, {{environment}}, {{owner.name}}, {{owner.namespace}}.
       * Default {{name}}/ ("" with allowSharedKeys).
       * @visibility backend
       */
      serviceKeyPrefix?: string;
      /**
       * Opt out of confining each service to its own keys: any template may
       * then read any key under keyPrefix. Default false.
       * @visibility backend
       */
      allowSharedKeys?: boolean;
      /**
       * ExternalSecret refreshInterval, e.g. 1h.
       * @visibility backend
       */
      refreshInterval?: string;
    };

    /**
     * PodDisruptionBudget settings.
     */
    podDisruptionBudget?: {
      /**
       * Environments with at least this many replicas get a PDB (maxUnavailable 1). Default 2.
       * @visibility backend
       */
      minReplicas?: number;
    };

    /**
     * Rendering generated overlays before they are written.
     */
    kubectl?: {
      /**
       * Render every overlay with `kubectl kustomize` when kubectl is present. Default true.
       * @visibility backend
       */
      validate?: boolean;
      /**
       * Path of the kubectl binary. Default kubectl (from PATH).
       * @visibility backend
       */
      path?: string;
    };

    /**
     * The environments of the golden path, in promotion order. Defaults to
     * staging (mutable tags, 1 replica, small) then production (immutable
     * tags, 3 replicas, medium).
     */
    environments?: Array<{
      /**
       * Environment name, a DNS-1123 label.
       * @visibility backend
       */
      name: string;
      /**
       * Namespace pattern with {{name}}, {{environment}}, {{owner.name}} and
       * {{owner.namespace}}. Default {{name}}-{{environment}}.
       * @visibility backend
       */
      namespace?: string;
      /**
       * Namespaces a template may choose instead of the pattern's, as
       * patterns with placeholders and "*", e.g. {{owner.name}}-*. Empty
       * (the default): no other namespace. Reserved ones are never allowed.
       * @visibility backend
       */
      allowedNamespaces?: string[];
      /**
       * Display name of the cluster the environment runs on.
       * @visibility backend
       */
      cluster?: string;
      /** @visibility backend */
      replicas?: number;
      /** @visibility backend */
      resourceTier?: string;
      /**
       * immutable refuses moving tags such as latest.
       * @visibility backend
       */
      tagPolicy?: 'mutable' | 'immutable';
      /**
       * Tag used when the template gives none.
       * @visibility backend
       */
      defaultTag?: string;
      secretStore?: {
        /** @visibility backend */
        name?: string;
        /** @visibility backend */
        kind?: 'SecretStore' | 'ClusterSecretStore';
        /**
         * Prepended to every remoteRef.key, e.g. staging/. A literal: no
         * placeholders, no "." or ".." segments.
         * @visibility backend
         */
        keyPrefix?: string;
        /**
         * Put between keyPrefix and a template's remoteKey; confines each
         * service to its own keys. Must contain {{name}} as a whole segment
         * followed by "/" unless allowSharedKeys is set. Placeholders:
         * {{name}}, {{environment}}, {{owner.name}}, {{owner.namespace}}.
         * Default {{name}}/ ("" with allowSharedKeys).
         * @visibility backend
         */
        serviceKeyPrefix?: string;
        /**
         * Opt out of confining each service to its own keys: any template may
         * then read any key under keyPrefix. Default false.
         * @visibility backend
         */
        allowSharedKeys?: boolean;
        /** @visibility backend */
        refreshInterval?: string;
      };
      argocd?: {
        /**
         * Argo CD project; may use {{owner.name}} for one AppProject per team.
         * @visibility backend
         */
        project?: string;
        /** @visibility backend */
        namespace?: string;
        destination?: {
          /** @visibility backend */
          server?: string;
          /** @visibility backend */
          name?: string;
        };
        syncPolicy?: {
          /** @visibility backend */
          automated?: boolean;
          /** @visibility backend */
          prune?: boolean;
          /** @visibility backend */
          selfHeal?: boolean;
          /**
           * Write CreateNamespace=true (default). Turn off when namespaces are
           * provisioned by the platform and projects whitelist no cluster
           * resources.
           * @visibility backend
           */
          createNamespace?: boolean;
        };
      };
      flux?: {
        /** @visibility backend */
        namespace?: string;
        sourceRef?: {
          /** @visibility backend */
          kind?: 'GitRepository' | 'OCIRepository' | 'Bucket';
          /** @visibility backend */
          name?: string;
          /** @visibility backend */
          namespace?: string;
        };
        /** @visibility backend */
        interval?: string;
        /** @visibility backend */
        timeout?: string;
        /** @visibility backend */
        prune?: boolean;
      };
    }>;

    /** Argo CD defaults of the generated Applications. */
    argocd?: {
      application?: {
        /**
         * Argo CD project; may use {{owner.name}} for one AppProject per team.
         * @visibility backend
         */
        project?: string;
        /** @visibility backend */
        namespace?: string;
        destination?: {
          /** @visibility backend */
          server?: string;
          /** @visibility backend */
          name?: string;
        };
        syncPolicy?: {
          /** @visibility backend */
          automated?: boolean;
          /** @visibility backend */
          prune?: boolean;
          /** @visibility backend */
          selfHeal?: boolean;
          /**
           * Write CreateNamespace=true (default). Turn off when namespaces are
           * provisioned by the platform and projects whitelist no cluster
           * resources.
           * @visibility backend
           */
          createNamespace?: boolean;
        };
      };
    };

    /** Flux defaults of the generated Kustomizations. */
    flux?: {
      kustomization?: {
        /** @visibility backend */
        namespace?: string;
        sourceRef?: {
          /** @visibility backend */
          kind?: 'GitRepository' | 'OCIRepository' | 'Bucket';
          /** @visibility backend */
          name?: string;
          /** @visibility backend */
          namespace?: string;
        };
        /** @visibility backend */
        interval?: string;
        /** @visibility backend */
        timeout?: string;
        /** @visibility backend */
        prune?: boolean;
      };
    };
  };
}
