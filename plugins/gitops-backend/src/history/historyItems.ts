import {
  EnvironmentHistoryItem,
  imageVersion,
  parseImageRef,
} from '@goldenpath/plugin-gitops-common';
import type { HistoryRun } from './HistoryStore';

/**
 * The image of the service among those a run had (sidecars run too): the
 * one of the repository Git wants, else the first.
 */
export function serviceImage(images: string[], desiredImage?: string): string {
  return (
    (desiredImage &&
      images.find(i => parseImageRef(i).repository === desiredImage)) ||
    images[0]
  );
}

/**
 * The runs of an environment's resources as history items, newest first,
 * at most `limit`. Each resource's runs are already newest first; several
 * resources (e.g. two controllers during a migration) are merged by
 * `since` without reordering either. Pure.
 */
export function historyItems(
  runsPerResource: HistoryRun[][],
  desiredImage: string | undefined,
  limit: number,
): EnvironmentHistoryItem[] {
  const heads = runsPerResource.map(() => 0);
  const items: EnvironmentHistoryItem[] = [];
  while (items.length < limit) {
    let pick = -1;
    runsPerResource.forEach((runs, i) => {
      const run = runs[heads[i]];
      if (!run) return;
      if (pick < 0 || run.since > runsPerResource[pick][heads[pick]].since) {
        pick = i;
      }
    });
    if (pick < 0) break;
    const run = runsPerResource[pick][heads[pick]++];
    if (run.images.length === 0) continue;
    const image = serviceImage(run.images, desiredImage);
    items.push({
      version: imageVersion(image),
      image,
      since: run.since,
      ...(run.until ? { until: run.until } : {}),
      ...(run.revision ? { revision: run.revision } : {}),
    });
  }
  return items;
}
