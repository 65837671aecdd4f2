import type { GitopsApi } from '../src/api';
import {
  component,
  environment,
  staticGitopsApi,
} from '../src/testUtils/fixtures';

// What both dev apps show, from a mocked API (no backend needed): drift, a
// degraded environment, a controller error, long tags and digests.
export const entities = [
  component('inference-api', { system: 'system:default/ai-platform' }),
  component('checkout-web', { owner: 'group:default/payments-team' }),
  component('embeddings-worker', { system: 'system:default/ai-platform' }),
  component('legacy-batch', { annotated: false }),
];

const DIGEST = `sha256:${'4f2a9c1d5e6f7a8b'.repeat(4)}`;

const answers = staticGitopsApi({
  'component:default/inference-api': [
    environment('staging', { tag: 'v1.5.0-rc.1' }),
    environment('production', {
      tag: 'v1.4.2',
      liveTag: 'v1.4.1',
      live: {
        images: ['registry.example.com/svc:v1.4.1'],
        sync: 'OutOfSync',
        health: 'Degraded',
      },
    }),
  ],
  'component:default/checkout-web': [
    environment('staging', {
      error: {
        message:
          'Argo CD instance "main": no answer within 5000 ms; showing the last known state',
      },
    }),
    environment('production', {
      live: {
        images: ['registry.example.com/svc:v1.2.3'],
        sync: 'Synced',
        health: 'Progressing',
      },
    }),
  ],
  'component:default/embeddings-worker': [
    environment('staging', {
      tag: 'v2.14.0-rc.3-build.20261122.1f2e3d4c',
    }),
    environment('production', {
      desired: { image: 'registry.example.com/ml/embeddings', digest: DIGEST },
      live: {
        images: [`registry.example.com/ml/embeddings@${DIGEST}`],
        sync: 'Synced',
        health: 'Healthy',
        revision: `main@sha1:${'4f2a9c1d5e6f7a8b9c0d'.repeat(2)}`,
      },
    }),
  ],
});

// embeddings-worker as a backend restarted moments ago answers it: from the
// snapshot stored before its start, marked with its age.
export const gitopsApi: GitopsApi = {
  ...answers,
  getEntityEnvironments: async ref => {
    const answer = await answers.getEntityEnvironments(ref);
    if (ref.name !== 'embeddings-worker') return answer;
    return {
      ...answer,
      snapshot: {
        polledAt: new Date(Date.now() - 754_000).toISOString(),
        ageSeconds: 754,
        message:
          'Live state from the stored snapshot of a poll 12 min ago: this backend restarted and answers from it until its first poll ends.',
      },
    };
  },
};
