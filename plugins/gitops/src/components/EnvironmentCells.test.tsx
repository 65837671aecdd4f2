import { renderInTestApp } from '@backstage/test-utils';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { environment } from '../testUtils/fixtures';
import {
  EnvironmentCell,
  ImageCell,
  RevisionCell,
  StatusCell,
} from './EnvironmentCells';
import { TeamEnvironmentCell } from './GitopsStatusPage/TeamEnvironmentCell';

const DIGEST = `sha256:${'4f2a9c1d'.repeat(8)}`;
const SHA = '4f2a9c1d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b';

// The nearest element that keeps its text on one line.
const oneLine = (el: HTMLElement) => {
  for (let e: HTMLElement | null = el; e; e = e.parentElement) {
    if (getComputedStyle(e).whiteSpace === 'nowrap') return e;
  }
  return undefined;
};

describe('environment cells', () => {
  let writeText: jest.Mock;
  beforeEach(() => {
    writeText = jest.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', {
      value: { writeText },
      configurable: true,
    });
  });

  it('shows a digest and a long tag cut on one line, the full reference on hover, and copies it', async () => {
    const longTag = 'v2.14.0-rc.3-build.20261122.1f2e3d4c';
    await renderInTestApp(
      <ImageCell
        env={environment('production', {
          desired: { image: 'registry.example.com/ml/api', digest: DIGEST },
          live: {
            images: [`registry.example.com/ml/api:${longTag}`],
            sync: 'OutOfSync',
            health: 'Healthy',
          },
          drift: true,
        })}
      />,
    );
    const desired = screen.getByText(`@${DIGEST}`);
    expect(desired).toHaveAttribute(
      'title',
      `registry.example.com/ml/api@${DIGEST}`,
    );
    expect(oneLine(desired)).toBeDefined();
    expect(desired).toHaveStyle({ textOverflow: 'ellipsis' });
    const live = screen.getByText(longTag);
    expect(live).toHaveAttribute(
      'title',
      `registry.example.com/ml/api:${longTag}`,
    );
    expect(oneLine(live)).toBeDefined();
    expect(screen.getByText('drift')).toBeInTheDocument();

    const copies = screen.getAllByRole('button', {
      name: 'Copy image reference',
    });
    expect(copies).toHaveLength(2);
    fireEvent.click(copies[0]);
    await waitFor(() =>
      expect(writeText).toHaveBeenCalledWith(
        `registry.example.com/ml/api@${DIGEST}`,
      ),
    );
  });

  it('shows the short revision with the whole one on hover and a copy button', async () => {
    await renderInTestApp(
      <RevisionCell
        env={environment('staging', {
          live: {
            images: [],
            sync: 'Synced',
            health: 'Healthy',
            revision: `main@sha1:${SHA}`,
          },
        })}
      />,
    );
    const revision = screen.getByText('main@sha1:4f2a9c1');
    expect(revision).toHaveAttribute('title', `main@sha1:${SHA}`);
    expect(oneLine(revision)).toBeDefined();
    fireEvent.click(screen.getByRole('button', { name: 'Copy revision' }));
    await waitFor(() =>
      expect(writeText).toHaveBeenCalledWith(`main@sha1:${SHA}`),
    );
  });

  it('keeps every status word on one line', async () => {
    await renderInTestApp(
      <>
        <StatusCell
          env={environment('production', {
            live: { images: [], sync: 'OutOfSync', health: 'Progressing' },
          })}
        />
        <TeamEnvironmentCell
          env={environment('staging', {
            live: { images: [], sync: 'Unknown', health: 'Degraded' },
          })}
        />
      </>,
    );
    for (const word of ['OutOfSync', 'Progressing', 'Unknown', 'Degraded']) {
      for (const el of screen.getAllByText(word)) {
        expect(oneLine(el)).toBeDefined();
      }
    }
  });

  it('lets words wrap only between each other in the environment cell', async () => {
    const { container } = await renderInTestApp(
      <EnvironmentCell env={environment('production')} />,
    );
    expect(container.firstElementChild).toHaveStyle({
      wordBreak: 'normal',
    });
    expect(oneLine(screen.getByText('production'))).toBeDefined();
  });

  it("shows the controller's reasons in full, since when, and stuck", async () => {
    const since = new Date(Date.now() - 2 * 86_400_000 - 60_000).toISOString();
    await renderInTestApp(
      <StatusCell
        env={environment('production', {
          live: {
            images: ['registry.example.com/svc:v1.4.1'],
            sync: 'OutOfSync',
            health: 'Degraded',
            since,
            reasons: [
              {
                source: 'resource',
                type: 'Deployment/inference-api',
                message:
                  'Deployment "inference-api" exceeded its progress deadline',
              },
              {
                source: 'operation',
                type: 'Failed',
                message:
                  'one or more synchronization tasks completed unsuccessfully (retried 5 times).',
                since,
              },
            ],
          },
        })}
      />,
    );
    expect(screen.getAllByText('since 2 days ago')[0]).toHaveAttribute(
      'title',
      since,
    );
    expect(screen.getByText('stuck for 2 days')).toBeInTheDocument();
    expect(screen.getAllByRole('listitem').map(li => li.textContent)).toEqual([
      'Deployment/inference-api: Deployment "inference-api" exceeded its progress deadline',
      'last sync Failed: one or more synchronization tasks completed unsuccessfully (retried 5 times). (since 2 days ago)',
    ]);
    expect(oneLine(screen.getByText('stuck for 2 days'))).toBeDefined();
  });

  it('is not stuck before the threshold, nor when Synced and Healthy', async () => {
    await renderInTestApp(
      <>
        <StatusCell
          env={environment('staging', {
            live: {
              images: [],
              sync: 'OutOfSync',
              health: 'Degraded',
              since: new Date(Date.now() - 5 * 60_000).toISOString(),
            },
          })}
        />
        <StatusCell env={environment('production')} />
      </>,
    );
    expect(screen.getAllByText(/^since /)).toHaveLength(2);
    expect(screen.queryByText(/stuck for/)).toBeNull();
  });

  it('marks what Git wanted at the last good read', async () => {
    await renderInTestApp(
      <ImageCell
        env={environment('production', {
          desired: {
            image: 'registry.example.com/svc',
            tag: 'v1.2.3',
            stale: true,
          },
        })}
      />,
    );
    expect(screen.getByText('last read')).toHaveAttribute(
      'title',
      expect.stringMatching(/could not be re-read/),
    );
  });

  it('names a third controller by its own name, never as Flux', async () => {
    await renderInTestApp(
      <EnvironmentCell
        env={environment('qa', {
          controller: 'kargo',
          controllerName: 'Kargo',
          live: undefined,
        })}
      />,
    );
    expect(screen.getByText('Kargo')).toBeInTheDocument();
    expect(screen.queryByText('Flux')).toBeNull();
  });

  it('shows the first reason shortened and stuck under a team-page cell', async () => {
    await renderInTestApp(
      <TeamEnvironmentCell
        env={environment('production', {
          desired: {
            image: 'registry.example.com/svc',
            tag: 'v1.4.2',
            stale: true,
          },
          live: {
            images: ['registry.example.com/svc:v1.4.1'],
            sync: 'OutOfSync',
            health: 'Degraded',
            since: new Date(Date.now() - 3 * 3_600_000).toISOString(),
            reasons: [
              {
                source: 'resource',
                message: `Deployment "inference-api" exceeded its progress deadline while ${'waiting '.repeat(
                  20,
                )}`,
              },
            ],
          },
        })}
      />,
    );
    expect(screen.getByText('stuck for 3 hours')).toBeInTheDocument();
    const reason = screen.getByTestId('short-reason');
    expect(reason.textContent).toMatch(
      /^Deployment "inference-api" exceeded its progress deadline while waiting .*…$/,
    );
    expect(reason.textContent!.length).toBeLessThanOrEqual(90);
    expect(screen.getByText(/· stale/)).toBeInTheDocument();
  });
});
