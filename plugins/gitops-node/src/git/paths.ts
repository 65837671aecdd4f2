import { checkRepositoryPath } from '@goldenpath/plugin-gitops-common';

/**
 * Why `value` cannot be a path inside a git working tree, or undefined when
 * it can. On top of the repository path rule, `.git` is refused in any case:
 * case-insensitive file systems (macOS, Windows) treat `.GIT` as the git
 * folder, and git itself refuses such paths on checkout.
 */
export function checkGitPath(value: string): string | undefined {
  if (value.includes('\0')) return 'must not contain NUL characters';
  const problem = checkRepositoryPath(value);
  if (problem) return problem;
  const segments = value.replace(/\/+$/, '').split('/');
  if (segments.some(s => s.toLowerCase() === '.git')) {
    return 'must not contain a ".git" segment (in any case)';
  }
  return undefined;
}
