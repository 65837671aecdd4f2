import type { Entity } from '@backstage/catalog-model';
import {
  ARGOCD_APP_SELECTOR_ANNOTATION,
  GITOPS_PATH_ANNOTATION,
} from './annotations';

/**
 * Checks a repository-relative folder such as `apps/my-ai-service`: no
 * absolute paths, no `..`, no backslashes, no empty segments.
 *
 * @public
 */
export function checkRepositoryPath(value: string): string | undefined {
  if (value.length === 0) return 'must not be empty';
  if (value.startsWith('/')) return 'must be relative to the repository root';
  if (value.includes('\\')) return 'must use "/" as separator';
  const segments = value.replace(/\/+$/, '').split('/');
  if (segments.some(s => s === '' || s === '.' || s === '..')) {
    return 'must not contain empty, "." or ".." segments';
  }
  return undefined;
}

/**
 * The `gitops/path` annotation of an entity, without a trailing slash, or
 * undefined when it is absent or blank.
 *
 * @public
 */
export function getGitopsPath(entity: Entity): string | undefined {
  const value = entity.metadata.annotations?.[GITOPS_PATH_ANNOTATION]?.trim();
  return value ? value.replace(/\/+$/, '') : undefined;
}

/** @public */
export function getArgocdAppSelector(entity: Entity): string | undefined {
  const value =
    entity.metadata.annotations?.[ARGOCD_APP_SELECTOR_ANNOTATION]?.trim();
  return value || undefined;
}

/**
 * Whether the entity carries what the GitOps views need.
 *
 * @public
 */
export function isGitopsAvailable(entity: Entity): boolean {
  return Boolean(getGitopsPath(entity));
}
