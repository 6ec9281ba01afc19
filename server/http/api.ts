/**
 * The server's small JSON API, answered beside Next on the same port because the data lives in
 * this process (Next bundles app/ apart and cannot share its store). Every route acts for the
 * learner of the request's verified cookie, never for an id in the URL or body.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UnavailableLabs } from '../labs/availability.js';
import type { Store } from '../store/store.js';

export interface ApiRequest {
  req: IncomingMessage;
  res: ServerResponse;
  learnerId: string;
}

/** What the routes answer from: the learner's records, and which labs their sandbox cannot run. */
export interface ApiServices {
  store: Pick<Store, 'progress' | 'lastWorkedOn'>;
  unavailableLabs(learnerId: string): Promise<UnavailableLabs>;
}

type Route = { method: 'GET'; run: (request: ApiRequest, services: ApiServices) => Promise<unknown> };

const ROUTES: Record<string, Route> = {
  /**
   * `{ labs: { [labId]: LabProgress } }` for the home page: attempts, bestScore, maxScore, passed,
   * solutionShown and passedOnOwn, per lab attempted or whose solution was shown; and
   * `unavailable: { [labId]: KernelFeature[] }`, the labs the learner's sandbox cannot run; and
   * `last: { labId, at } | null`, the lab they last worked on, for the home page's Continue.
   */
  '/api/progress': {
    method: 'GET',
    run: async ({ learnerId }, { store, unavailableLabs }) => ({
      labs: await store.progress(learnerId),
      unavailable: await unavailableLabs(learnerId),
      last: await store.lastWorkedOn(learnerId),
    }),
  },
};

export function isApiPath(pathname: string): boolean {
  return Object.hasOwn(ROUTES, pathname);
}

export async function serveApi(pathname: string, request: ApiRequest, services: ApiServices): Promise<void> {
  const { req, res } = request;
  const route = ROUTES[pathname];
  if (!route) return sendJson(res, 404, { error: `no API route ${pathname}` });
  if (req.method !== route.method && !(req.method === 'HEAD' && route.method === 'GET')) {
    res.setHeader('Allow', route.method === 'GET' ? 'GET, HEAD' : route.method);
    return sendJson(res, 405, { error: `${pathname} accepts ${route.method} only` });
  }
  try {
    sendJson(res, 200, await route.run(request, services));
  } catch (error) {
    console.error(`bpflab: ${req.method} ${pathname} failed:`, error);
    sendJson(res, 500, {
      error: 'the server could not answer; the operator can find the details in its log',
    });
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    // Per-learner data: never cached by a proxy or served to another cookie.
    'Cache-Control': 'private, no-store',
  });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}
