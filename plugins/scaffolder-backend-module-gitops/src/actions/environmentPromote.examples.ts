import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { toYaml } from '@goldenpath/plugin-gitops-node';

export const examples: TemplateExample[] = [
  {
    description:
      'Promote what staging runs to production, then commit the changed overlay',
    example: toYaml({
      steps: [
        {
          id: 'promote',
          action: 'gitops:environment:promote',
          name: 'Promote to production',
          input: {
            entityRef: 'component:default/inference-api',
            targetEnvironment: 'production',
            reason: 'Release 1.5: smoke tests passed in staging',
          },
        },
        {
          id: 'commit',
          action: 'gitops:repository:commit',
          name: 'Commit the overlay',
          input: {
            files: [
              {
                path: '${{ steps.promote.output.path }}',
                expectedBlob: '${{ steps.promote.output.expectedBlob }}',
              },
            ],
            commitMessage: '${{ steps.promote.output.commitMessage }}',
          },
        },
      ],
    }),
  },
  {
    description: 'Roll production back to a version it ran before',
    example: toYaml({
      steps: [
        {
          id: 'promote',
          action: 'gitops:environment:promote',
          name: 'Roll back production',
          input: {
            entityRef: 'component:default/inference-api',
            targetEnvironment: 'production',
            version: 'v1.4.0',
            reason: 'v1.4.1 raises the error rate',
          },
        },
      ],
    }),
  },
];
