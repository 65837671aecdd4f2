import type {
  DesiredImage,
  EnvironmentStatus,
} from '@goldenpath/plugin-gitops-common';

/** The tag or short digest Git wants, for display. */
export function formatDesired(desired?: DesiredImage): string {
  if (!desired) return '—';
  if (desired.digest) return `@${desired.digest.slice(0, 19)}`;
  return desired.tag ?? '—';
}

/** The tags of the running images, without their repositories. */
export function formatLiveTags(env: EnvironmentStatus): string[] {
  return (env.live?.images ?? []).map(image => {
    const at = image.indexOf('@');
    if (at >= 0) return `@${image.slice(at + 1, at + 20)}`;
    const colon = image.lastIndexOf(':');
    return colon > image.lastIndexOf('/') ? image.slice(colon + 1) : 'latest';
  });
}
