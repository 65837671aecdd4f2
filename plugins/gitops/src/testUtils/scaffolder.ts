import type { ScaffolderApi } from '@backstage/plugin-scaffolder-react';

/** One event of a task's log stream, as the scaffolder backend sends it. */
type TaskEvent = {
  type: 'log' | 'completion';
  body: Record<string, unknown>;
};

/**
 * A ScaffolderApi whose tasks run the promotion template's two steps and end
 * with `completion` (its output, or a failed step's error), for the tests.
 */
export function fakeScaffolderApi(events: TaskEvent[]) {
  const scaffold = jest.fn(async () => ({ taskId: 'task-1' }));
  const api = {
    scaffold,
    getTask: async (taskId: string) => ({
      id: taskId,
      status: 'processing',
      createdAt: '2026-11-22T12:00:00Z',
      spec: {
        apiVersion: 'scaffolder.backstage.io/v1beta3',
        parameters: {},
        output: {},
        templateInfo: { entityRef: 'template:default/gitops-promote' },
        steps: [
          {
            id: 'promote',
            name: 'Check the gate and change the overlay',
            action: 'gitops:environment:promote',
          },
          {
            id: 'commit',
            name: 'Commit to the GitOps repository',
            action: 'gitops:repository:commit',
          },
        ],
      },
    }),
    streamLogs: () => {
      const observable = {
        subscribe(observer: { next: (e: unknown) => void }) {
          const timer = setTimeout(() =>
            events.forEach((e, id) =>
              observer.next({
                ...e,
                id,
                taskId: 'task-1',
                createdAt: '2026-11-22T12:00:01Z',
              }),
            ),
          );
          return { unsubscribe: () => clearTimeout(timer), closed: false };
        },
        [Symbol.observable ?? '@@observable']() {
          return observable;
        },
      };
      return observable;
    },
  };
  return { api: api as unknown as ScaffolderApi, scaffold };
}

/** The events of a run whose steps completed, ending with `output`. */
export function completedRun(output: Record<string, unknown>): TaskEvent[] {
  return [
    {
      type: 'log',
      body: {
        message: 'Beginning step',
        stepId: 'promote',
        status: 'processing',
      },
    },
    {
      type: 'log',
      body: {
        message: 'Finished step',
        stepId: 'promote',
        status: 'completed',
      },
    },
    {
      type: 'log',
      body: {
        message: 'Beginning step',
        stepId: 'commit',
        status: 'processing',
      },
    },
    {
      type: 'log',
      body: { message: 'Finished step', stepId: 'commit', status: 'completed' },
    },
    {
      type: 'completion',
      body: { message: 'Run completed with status: completed', output },
    },
  ];
}

/** The events of a run whose first step failed with `error`. */
export function failedRun(error: {
  name: string;
  message: string;
}): TaskEvent[] {
  return [
    {
      type: 'log',
      body: {
        message: 'Beginning step',
        stepId: 'promote',
        status: 'processing',
      },
    },
    {
      type: 'log',
      body: { message: error.message, stepId: 'promote', status: 'failed' },
    },
    {
      type: 'completion',
      body: { message: 'Run completed with status: failed', error },
    },
  ];
}
