import type { Entity } from '@backstage/catalog-model';
import {
  AnnotationProblem,
  ARGOCD_APP_SELECTOR_ANNOTATION,
  checkArgocdAppSelectorAnnotation,
  checkGitopsPathAnnotation,
  checkKubernetesIdAnnotation,
  GITOPS_PATH_ANNOTATION,
  KUBERNETES_ID_ANNOTATION,
} from '@goldenpath/plugin-gitops-common';

/** Each checked annotation and its rule. */
const CHECKS: Array<
  [string, (value: string, options: { appsPath: string }) => string | undefined]
> = [
  [GITOPS_PATH_ANNOTATION, checkGitopsPathAnnotation],
  [ARGOCD_APP_SELECTOR_ANNOTATION, checkArgocdAppSelectorAnnotation],
  [KUBERNETES_ID_ANNOTATION, checkKubernetesIdAnnotation],
];

/** The annotations `refusedAnnotations` reads, and only those. */
export const CHECKED_ANNOTATIONS = CHECKS.map(([annotation]) => annotation);

/**
 * The annotations of an entity that are out of bounds, each with the rule it
 * breaks. Absent annotations are not problems here. Pure.
 */
export function refusedAnnotations(
  entity: Entity,
  options: { appsPath: string },
): AnnotationProblem[] {
  const annotations = entity.metadata.annotations ?? {};
  const problems: AnnotationProblem[] = [];
  for (const [annotation, check] of CHECKS) {
    const value = annotations[annotation]?.trim();
    if (!value) continue;
    const message = check(value, options);
    if (message) problems.push({ annotation, message });
  }
  return problems;
}

const quote = (value: string) =>
  JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value);

/** One sentence per refused annotation, for the response's `reason`. */
export function refusalReason(
  entity: Entity,
  problems: AnnotationProblem[],
): string {
  return problems
    .map(
      p =>
        `The ${p.annotation} annotation ${quote(
          entity.metadata.annotations?.[p.annotation]?.trim() ?? '',
        )} is refused: it ${p.message}.`,
    )
    .join(' ');
}
