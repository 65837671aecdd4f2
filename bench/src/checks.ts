import { ENVIRONMENTS, expectedEnvironments } from './scenario';

/**
 * Whether a backend's answer for one service is the right one. Each returns
 * undefined when it is, else what is wrong, so a fast wrong answer never
 * counts as a result.
 */

const tagOf = (image: string) => image.slice(image.lastIndexOf(':') + 1);

/** This project's answer: desired tag from Git, live tag, sync and health. */
export function checkGitopsAnswer(
  index: number,
  body: any,
): string | undefined {
  const envs: any[] = body?.environments ?? [];
  for (const expected of expectedEnvironments(index)) {
    const env = envs.find(e => e.name === expected.environment);
    if (!env) return `no ${expected.environment} environment`;
    if (env.error) return `${expected.environment}: ${env.error.message}`;
    if (env.desired?.tag !== expected.desiredTag) {
      return `${expected.environment}: desired ${env.desired?.tag}, expected ${expected.desiredTag}`;
    }
    const live = env.live;
    if (!live) return `${expected.environment}: no live state`;
    if (!live.images.some((i: string) => tagOf(i) === expected.liveTag)) {
      return `${expected.environment}: live ${live.images.join(
        ' ',
      )}, expected ${expected.liveTag}`;
    }
    if (live.sync !== expected.sync || live.health !== expected.health) {
      return `${expected.environment}: ${live.sync}/${live.health}, expected ${expected.sync}/${expected.health}`;
    }
    if (env.drift !== (expected.liveTag !== expected.desiredTag)) {
      return `${expected.environment}: drift ${env.drift}`;
    }
  }
  return undefined;
}

/**
 * A peer's answer: the service's Argo CD Applications, one per environment,
 * with the running image, sync and health. (They do not read Git, so there is
 * no desired tag to check.)
 */
export function checkArgoApplications(
  index: number,
  items: any[] | null | undefined,
): string | undefined {
  const apps = items ?? [];
  if (apps.length !== ENVIRONMENTS.length) {
    return `${apps.length} applications, expected ${ENVIRONMENTS.length}`;
  }
  for (const expected of expectedEnvironments(index)) {
    const app = apps.find(
      a => a?.metadata?.labels?.['gitops/environment'] === expected.environment,
    );
    if (!app) return `no ${expected.environment} application`;
    const images: string[] = app.status?.summary?.images ?? [];
    if (!images.some(i => tagOf(i) === expected.liveTag)) {
      return `${expected.environment}: live ${images.join(' ')}, expected ${
        expected.liveTag
      }`;
    }
    if (
      app.status?.sync?.status !== expected.sync ||
      app.status?.health?.status !== expected.health
    ) {
      return `${expected.environment}: ${app.status?.sync?.status}/${app.status?.health?.status}`;
    }
  }
  return undefined;
}
