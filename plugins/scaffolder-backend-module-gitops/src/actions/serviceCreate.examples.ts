import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { toYaml } from '@goldenpath/plugin-gitops-node';

export const examples: TemplateExample[] = [
  {
    description:
      'A service with two secrets from its own prefix of the external store (e.g. staging/my-ai-service/DATABASE_URL), deployed to staging and production',
    example: toYaml({
      steps: [
        {
          id: 'manifests',
          action: 'gitops:service:create',
          name: 'Generate GitOps manifests',
          input: {
            name: 'my-ai-service',
            owner: 'group:default/ml-team',
            description: 'Serves model predictions',
            image: 'registry.example.com/my-ai-service',
            port: 8080,
            config: { LOG_LEVEL: 'info' },
            secrets: [
              { name: 'DATABASE_URL', remoteKey: 'DATABASE_URL' },
              {
                name: 'API_KEY',
                remoteKey: 'api',
                property: 'api-key',
              },
            ],
            environments: [
              { name: 'staging', imageTag: 'latest' },
              { name: 'production', imageTag: 'v1.2.3' },
            ],
          },
        },
      ],
    }),
  },
  {
    description:
      'Flux instead of Argo CD, one environment, a digest-pinned image',
    example: toYaml({
      steps: [
        {
          id: 'manifests',
          action: 'gitops:service:create',
          input: {
            name: 'embeddings-worker',
            owner: 'group:default/ml-team',
            image: 'ghcr.io/example/embeddings-worker',
            controller: 'flux',
            environments: [
              {
                name: 'production',
                imageTag: `sha256:${'0'.repeat(64)}`,
                replicas: 4,
              },
            ],
          },
        },
      ],
    }),
  },
  {
    description: 'Regenerate an existing service folder in place',
    example: toYaml({
      steps: [
        {
          id: 'manifests',
          action: 'gitops:service:create',
          input: {
            name: 'checkout-web',
            owner: 'group:default/payments-team',
            image: 'registry.example.com/checkout-web',
            port: 3000,
            healthPaths: { readiness: '/ready', liveness: '/live' },
            environments: [{ name: 'staging' }],
            targetPath: 'apps/checkout-web',
            overwrite: true,
          },
        },
      ],
    }),
  },
];
