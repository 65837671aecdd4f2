import {
  APP_NAME_LABEL,
  GITOPS_ENVIRONMENT_LABEL,
} from '@goldenpath/plugin-gitops-common';
import type { PlatformProfile } from '../profile';
import {
  configMapName,
  controllerObjectName,
  externalSecretName,
} from './names';
import type {
  KubernetesObject,
  ResolvedEnvironment,
  ResolvedService,
} from './types';

// Builders of the Kubernetes objects of one service, as plain data. Field
// order here is the order in the written YAML.

const selector = (s: ResolvedService) => ({ [APP_NAME_LABEL]: s.name });

const containerResources = (env: ResolvedEnvironment) => {
  const { requests, limits } = env.resources;
  const clean = (q: { cpu?: string; memory?: string }) =>
    Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined));
  return { requests: clean(requests), limits: clean(limits) };
};

export function deployment(
  s: ResolvedService,
  base: ResolvedEnvironment,
): KubernetesObject {
  const envFrom: object[] = [];
  if (s.config.length > 0) {
    envFrom.push({ configMapRef: { name: configMapName(s.name) } });
  }
  if (s.secrets.length > 0) {
    envFrom.push({ secretRef: { name: externalSecretName(s.name) } });
  }
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: s.name, labels: selector(s) },
    spec: {
      replicas: base.replicas,
      revisionHistoryLimit: 5,
      selector: { matchLabels: selector(s) },
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' },
      },
      template: {
        metadata: { labels: selector(s) },
        spec: {
          serviceAccountName: s.name,
          automountServiceAccountToken: false,
          securityContext: {
            runAsNonRoot: true,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: s.name,
              // Tags and digests live in the overlays only.
              image: s.image,
              imagePullPolicy: 'IfNotPresent',
              ports: [{ name: 'http', containerPort: s.port, protocol: 'TCP' }],
              ...(envFrom.length > 0 ? { envFrom } : {}),
              readinessProbe: {
                httpGet: { path: s.healthPaths.readiness, port: 'http' },
                initialDelaySeconds: 10,
                periodSeconds: 15,
                timeoutSeconds: 3,
                failureThreshold: 3,
              },
              livenessProbe: {
                httpGet: { path: s.healthPaths.liveness, port: 'http' },
                initialDelaySeconds: 30,
                periodSeconds: 30,
                timeoutSeconds: 3,
                failureThreshold: 3,
              },
              resources: containerResources(base),
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                capabilities: { drop: ['ALL'] },
                seccompProfile: { type: 'RuntimeDefault' },
              },
              // A writable /tmp, since the root filesystem is read-only.
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: {} }],
        },
      },
    },
  };
}

export function service(s: ResolvedService): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: s.name, labels: selector(s) },
    spec: {
      type: 'ClusterIP',
      selector: selector(s),
      ports: [
        { name: 'http', port: s.port, targetPort: 'http', protocol: 'TCP' },
      ],
    },
  };
}

export function serviceAccount(s: ResolvedService): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: s.name, labels: selector(s) },
    automountServiceAccountToken: false,
  };
}

export function configMap(s: ResolvedService): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: configMapName(s.name), labels: selector(s) },
    data: Object.fromEntries(s.config),
  };
}

const externalSecretData = (s: ResolvedService, env: ResolvedEnvironment) =>
  s.secrets.map(secret => ({
    secretKey: secret.name,
    remoteRef: {
      key: `${env.secretKeyPrefix}${secret.remoteKey}`,
      ...(secret.property ? { property: secret.property } : {}),
    },
  }));

const secretStoreRef = (env: ResolvedEnvironment) => ({
  name: env.secretStore.name,
  kind: env.secretStore.kind,
});

export function externalSecret(
  s: ResolvedService,
  base: ResolvedEnvironment,
): KubernetesObject {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name: externalSecretName(s.name), labels: selector(s) },
    spec: {
      refreshInterval: base.secretStore.refreshInterval,
      secretStoreRef: secretStoreRef(base),
      target: {
        name: externalSecretName(s.name),
        creationPolicy: 'Owner',
        deletionPolicy: 'Retain',
      },
      data: externalSecretData(s, base),
    },
  };
}

export function podDisruptionBudget(s: ResolvedService): KubernetesObject {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: s.name, labels: selector(s) },
    spec: {
      maxUnavailable: 1,
      selector: { matchLabels: selector(s) },
    },
  };
}

// Patches: only what an overlay changes, named so kustomize can match them.

export function replicasPatch(s: ResolvedService, env: ResolvedEnvironment) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: s.name },
    spec: { replicas: env.replicas },
  };
}

export function resourcesPatch(s: ResolvedService, env: ResolvedEnvironment) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: s.name },
    spec: {
      template: {
        spec: {
          containers: [{ name: s.name, resources: containerResources(env) }],
        },
      },
    },
  };
}

export function externalSecretPatch(
  s: ResolvedService,
  env: ResolvedEnvironment,
) {
  // A custom resource has no strategic-merge keys: lists are replaced
  // whole, so the patch carries every data entry.
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name: externalSecretName(s.name) },
    spec: {
      refreshInterval: env.secretStore.refreshInterval,
      secretStoreRef: secretStoreRef(env),
      data: externalSecretData(s, env),
    },
  };
}

const controllerLabels = (s: ResolvedService, env: ResolvedEnvironment) => ({
  [APP_NAME_LABEL]: s.name,
  [GITOPS_ENVIRONMENT_LABEL]: env.name,
});

export function argocdApplication(
  s: ResolvedService,
  env: ResolvedEnvironment,
  profile: PlatformProfile,
): KubernetesObject {
  const argo = env.profile.argocd;
  const syncPolicy: Record<string, unknown> = {};
  if (argo.automated) {
    syncPolicy.automated = { prune: argo.prune, selfHeal: argo.selfHeal };
  }
  if (argo.createNamespace) {
    syncPolicy.syncOptions = ['CreateNamespace=true'];
    // Namespaces Argo CD creates enforce the restricted Pod Security level
    // the workload is written for.
    syncPolicy.managedNamespaceMetadata = {
      labels: { 'pod-security.kubernetes.io/enforce': 'restricted' },
    };
  }
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: controllerObjectName(s.name, env.name),
      namespace: argo.namespace,
      labels: controllerLabels(s, env),
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    },
    spec: {
      project: env.argocdProject,
      source: {
        repoURL: profile.repository.url!,
        targetRevision: profile.repository.branch,
        path: `${s.targetPath}/overlays/${env.name}`,
      },
      destination: {
        ...(argo.destinationName
          ? { name: argo.destinationName }
          : { server: argo.destinationServer }),
        namespace: env.namespace,
      },
      syncPolicy,
    },
  };
}

export function fluxKustomization(
  s: ResolvedService,
  env: ResolvedEnvironment,
): KubernetesObject {
  const flux = env.profile.flux;
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: {
      name: controllerObjectName(s.name, env.name),
      namespace: flux.namespace,
      labels: controllerLabels(s, env),
    },
    spec: {
      interval: flux.interval,
      path: `./${s.targetPath}/overlays/${env.name}`,
      prune: flux.prune,
      sourceRef: {
        kind: flux.sourceKind,
        name: flux.sourceName,
        ...(flux.sourceNamespace ? { namespace: flux.sourceNamespace } : {}),
      },
      timeout: flux.timeout,
      wait: false,
      healthChecks: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: s.name,
          namespace: env.namespace,
        },
      ],
    },
  };
}
