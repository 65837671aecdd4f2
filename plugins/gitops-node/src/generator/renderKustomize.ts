import { execFile } from 'node:child_process';
import { parseAllDocuments } from 'yaml';

/** Result of {@link renderKustomize}. @public */
export type KustomizeRenderResult =
  | { rendered: true; objects: Array<Record<string, any>> }
  | { rendered: false; reason: string };

/**
 * Renders a kustomization with `kubectl kustomize`. When kubectl is not
 * installed, says so instead of failing; a render error rejects with
 * kustomize's own message.
 *
 * @public
 */
export function renderKustomize(
  dir: string,
  options: { kubectlPath?: string; timeoutMs?: number } = {},
): Promise<KustomizeRenderResult> {
  const kubectl = options.kubectlPath ?? 'kubectl';
  return new Promise((resolve, reject) => {
    execFile(
      kubectl,
      ['kustomize', dir],
      { timeout: options.timeoutMs ?? 30_000, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
            resolve({ rendered: false, reason: `${kubectl} not found` });
            return;
          }
          const message = (stderr || error.message).trim();
          reject(new Error(`kubectl kustomize failed: ${message}`));
          return;
        }
        const objects = parseAllDocuments(stdout)
          .map(doc => doc.toJS())
          .filter(Boolean);
        resolve({ rendered: true, objects });
      },
    );
  });
}
