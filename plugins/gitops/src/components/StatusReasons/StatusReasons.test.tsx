import { configApiRef } from '@backstage/core-plugin-api';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import type { LiveState } from '@goldenpath/plugin-gitops-common';
import { screen } from '@testing-library/react';
import {
  AnnotationProblems,
  ReasonList,
  ShortReason,
  StuckMarker,
} from './StatusReasons';

const now = Date.parse('2026-11-22T12:00:00Z');
const ago = (ms: number) => new Date(now - ms).toISOString();
const DAY = 86_400_000;

const degraded: LiveState = {
  images: ['r/api:v1'],
  sync: 'OutOfSync',
  health: 'Degraded',
  since: ago(2 * DAY + 3_600_000),
};

function withConfig(data: object, node: React.ReactNode) {
  return (
    <TestApiProvider apis={[[configApiRef, mockApis.config({ data })]]}>
      {node}
    </TestApiProvider>
  );
}

describe('ReasonList', () => {
  it('shows every reason in full, as text, with its source and since', async () => {
    jest.useFakeTimers({ now, doNotFake: ['setTimeout', 'setInterval'] });
    try {
      await renderInTestApp(
        <ReasonList
          reasons={[
            {
              source: 'resource',
              type: 'Deployment/inference-api',
              message:
                'Deployment "inference-api" exceeded its progress deadline',
            },
            {
              source: 'condition',
              type: 'Ready',
              reason: 'HealthCheckFailed',
              message:
                '<img src=x onerror="window.hacked=1"> health check failed',
              since: ago(2 * DAY),
            },
            {
              source: 'operation',
              type: 'Failed',
              message:
                'one or more synchronization tasks completed unsuccessfully',
            },
          ]}
        />,
      );
      const items = screen.getAllByRole('listitem').map(li => li.textContent);
      expect(items).toEqual([
        'Deployment/inference-api: Deployment "inference-api" exceeded its progress deadline',
        'Ready (HealthCheckFailed): <img src=x onerror="window.hacked=1"> health check failed (since 2 days ago)',
        'last sync Failed: one or more synchronization tasks completed unsuccessfully',
      ]);
      // Markup in a message is text, never an element.
      expect(document.querySelector('img')).toBeNull();
      expect((window as any).hacked).toBeUndefined();
    } finally {
      jest.useRealTimers();
    }
  });

  it('shows nothing without reasons', async () => {
    await renderInTestApp(<ReasonList reasons={[]} />);
    expect(screen.queryByRole('list')).toBeNull();
  });
});

describe('ShortReason', () => {
  it('shortens the first reason at a word, readable without hovering', async () => {
    await renderInTestApp(
      <ShortReason
        maxLength={40}
        reasons={[
          {
            source: 'resource',
            message:
              'Deployment "inference-api" exceeded its progress deadline',
          },
        ]}
      />,
    );
    expect(screen.getByTestId('short-reason')).toHaveTextContent(
      'Deployment "inference-api" exceeded…',
    );
  });
});

describe('StuckMarker', () => {
  it('marks an environment failing for longer than the default 10 minutes', async () => {
    await renderInTestApp(<StuckMarker live={degraded} now={now} />);
    expect(screen.getByText('stuck for 2 days')).toBeInTheDocument();
  });

  it.each([
    ['healthy', { ...degraded, sync: 'Synced', health: 'Healthy' } as const],
    ['failing for 5 minutes', { ...degraded, since: ago(300_000) }],
    ['failing since an unknown time', { ...degraded, since: undefined }],
  ])('does not mark an environment %s', async (_, live) => {
    await renderInTestApp(<StuckMarker live={live} now={now} />);
    expect(screen.queryByText(/stuck for/)).toBeNull();
  });

  it('uses gitops.ui.stuckAfter', async () => {
    await renderInTestApp(
      withConfig(
        { gitops: { ui: { stuckAfter: '3d' } } },
        <StuckMarker live={degraded} now={now} />,
      ),
    );
    expect(screen.queryByText(/stuck for/)).toBeNull();
  });

  it('accepts a duration object in gitops.ui.stuckAfter', async () => {
    await renderInTestApp(
      withConfig(
        { gitops: { ui: { stuckAfter: { hours: 1 } } } },
        <StuckMarker
          live={{ ...degraded, since: ago(2 * 3_600_000) }}
          now={now}
        />,
      ),
    );
    expect(screen.getByText('stuck for 2 hours')).toBeInTheDocument();
  });
});

describe('AnnotationProblems', () => {
  it('lists each refused annotation with its rule', async () => {
    await renderInTestApp(
      <AnnotationProblems
        problems={[
          {
            annotation: 'gitops/path',
            message: 'must not contain "." or ".." segments',
          },
        ]}
      />,
    );
    expect(screen.getByRole('listitem')).toHaveTextContent(
      'gitops/path must not contain "." or ".." segments',
    );
  });
});
