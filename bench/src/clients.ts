import http from 'node:http';
import zlib from 'node:zlib';
import { checkArgoApplications, checkGitopsAnswer } from './checks';
import { appSelector, ARGOCD_INSTANCE, serviceName } from './scenario';
import { withConcurrency } from './stats';

/** A browser opens at most this many connections per host (HTTP/1.1). */
export const BROWSER_CONNECTIONS_PER_HOST = 6;

export type BackendId = 'ours' | 'roadie' | 'community';

/**
 * A backend as its own frontend calls it. `entity` returns undefined when the
 * answer for the service is correct, else what is wrong; `team` returns the
 * number of services answered correctly.
 */
export interface BenchClient {
  id: BackendId;
  /** Backend requests one entity view makes (the frontend's calls). */
  entity(index: number): Promise<string | undefined>;
  team(indices: number[]): Promise<number>;
}

// Like a browser: persistent connections, at most BROWSER_CONNECTIONS_PER_HOST
// per backend, gzip accepted and inflated natively. (The bench's own client
// must not be what is measured: Node's fetch reads large bodies through web
// streams, several times slower than a browser.)
const agent = new http.Agent({
  keepAlive: true,
  maxSockets: BROWSER_CONNECTIONS_PER_HOST,
});

export function getJson(
  url: string,
  token: string,
  init?: { method?: string; body?: string },
): Promise<any> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: init?.method ?? 'GET',
        agent,
        headers: {
          Accept: 'application/json',
          'Accept-Encoding': 'gzip',
          Authorization: `Bearer ${token}`,
          ...(init?.body
            ? {
                'Content-Type': 'application/json',
                'Content-Length': Buffer.byteLength(init.body),
              }
            : {}),
        },
      },
      response => {
        const chunks: Buffer[] = [];
        response.on('data', c => chunks.push(c));
        response.on('error', reject);
        response.on('end', () => {
          try {
            let body = Buffer.concat(chunks);
            if (response.headers['content-encoding'] === 'gzip') {
              body = zlib.gunzipSync(body);
            }
            const text = body.toString('utf8');
            const status = response.statusCode ?? 0;
            if (status < 200 || status >= 300) {
              reject(new Error(`${status} from ${url}: ${text.slice(0, 200)}`));
            } else {
              resolve(JSON.parse(text));
            }
          } catch (e) {
            reject(e);
          }
        });
      },
    );
    request.on('error', reject);
    request.end(init?.body);
  });
}

const settle = async (p: Promise<string | undefined>) =>
  p.catch((e: Error) => e.message);

/**
 * This project's frontend: one GET per entity view; one POST with all the
 * team's entity refs (chunks of 500) for the team page.
 */
export function oursClient(baseUrl: string, token: string): BenchClient {
  const api = `${baseUrl}/api/gitops`;
  return {
    id: 'ours',
    entity: index =>
      settle(
        getJson(
          `${api}/v1/entities/default/component/${serviceName(
            index,
          )}/environments`,
          token,
        ).then(body => checkGitopsAnswer(index, body)),
      ),
    async team(indices) {
      let correct = 0;
      for (let i = 0; i < indices.length; i += 500) {
        const chunk = indices.slice(i, i + 500);
        const body = await getJson(`${api}/v1/environments/query`, token, {
          method: 'POST',
          body: JSON.stringify({
            entityRefs: chunk.map(n => `component:default/${serviceName(n)}`),
            view: 'summary', // as the team page asks
          }),
        });
        for (let k = 0; k < chunk.length; k++) {
          if (!checkGitopsAnswer(chunk[k], body.items[k])) correct++;
        }
      }
      return correct;
    },
  };
}

/**
 * `@roadiehq/backstage-plugin-argo-cd` with `argocd.appLocatorMethods` set
 * (useAppDetails): find the instances holding the selector, then list the
 * applications of each.
 */
export function roadieClient(baseUrl: string, token: string): BenchClient {
  const api = `${baseUrl}/api/argocd`;
  const entity = async (index: number) => {
    const selector = encodeURIComponent(appSelector(index));
    const instances: Array<{ name: string }> = await getJson(
      `${api}/find/selector/${selector}`,
      token,
    );
    const lists = await Promise.all(
      instances.map(instance =>
        getJson(
          `${api}/argoInstance/${instance.name}/applications/selector/${selector}`,
          token,
        ),
      ),
    );
    return checkArgoApplications(
      index,
      lists.flatMap(l => l.items ?? []).filter(Boolean),
    );
  };
  return {
    id: 'roadie',
    entity: index => settle(entity(index)),
    team: indices => peerTeam(indices, i => settle(entity(i))),
  };
}

/**
 * `@backstage-community/plugin-argocd` (ArgoCDInstanceApiClient): one list
 * by selector per instance named in `argocd/instance-name`.
 */
export function communityClient(baseUrl: string, token: string): BenchClient {
  const api = `${baseUrl}/api/backstage-community-argocd`;
  const entity = async (index: number) => {
    // The frontend encodes the annotation once for the path and again as a
    // query parameter (getArgoCdAppConfig + getQueryParams).
    const selector = encodeURIComponent(appSelector(index));
    const body = await getJson(
      `${api}/argoInstance/${ARGOCD_INSTANCE}/applications/selector/${selector}?selector=${encodeURIComponent(
        selector,
      )}`,
      token,
    );
    return checkArgoApplications(index, body.items);
  };
  return {
    id: 'community',
    entity: index => settle(entity(index)),
    team: indices => peerTeam(indices, i => settle(entity(i))),
  };
}

/** A team view built on a peer: one entity view per component, as a page of cards would. */
async function peerTeam(
  indices: number[],
  entity: (index: number) => Promise<string | undefined>,
) {
  const results = await withConcurrency(
    BROWSER_CONNECTIONS_PER_HOST,
    indices.map(i => () => entity(i)),
  );
  return results.filter(r => r === undefined).length;
}
