/**
 * The server's small JSON API, answered beside Next on the same port because the data lives in
 * this process (Next bundles app/ apart and cannot share its store). Every route acts for the
 * learner of the request's verified cookie, never for an id in the URL or body.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UnavailableLabs } from '../labs/availability.js';
import { type Profile, ProfileRequest } from '../protocol/class.js';
import type { Store } from '../store/store.js';
import { RequestError, readJsonBody, sendJson, sendServerError } from './json.js';

export interface ApiRequest {
  req: IncomingMessage;
  res: ServerResponse;
  learnerId: string;
}

/** What the routes answer from: the learner's records, and which labs their sandbox cannot run. */
export interface ApiServices {
  store: Pick<Store, 'progress' | 'lastWorkedOn' | 'displayName' | 'setDisplayName'>;
  unavailableLabs(learnerId: string): Promise<UnavailableLabs>;
}

type Handler = (request: ApiRequest, services: ApiServices) => Promise<unknown>;
type Route = Partial<Record<'GET' | 'POST', Handler>>;

const ROUTES: Record<string, Route> = {
  /**
   * `{ labs: { [labId]: LabProgress } }` for the home page: attempts, bestScore, maxScore, passed,
   * solutionShown and passedOnOwn, per lab attempted or whose solution was shown; and
   * `unavailable: { [labId]: KernelFeature[] }`, the labs the learner's sandbox cannot run; and
   * `last: { labId, at } | null`, the lab they last worked on, for the home page's Continue.
   */
  '/api/progress': {
    GET: async ({ learnerId }, { store, unavailableLabs }) => ({
      labs: await store.progress(learnerId),
      unavailable: await unavailableLabs(learnerId),
      last: await store.lastWorkedOn(learnerId),
    }),
  },
  /**
   * `{ displayName }`: the name the learner shows their instructor (null: anonymous). POST
   * `{ displayName }` sets it; an empty one clears it.
   */
  '/api/profile': {
    GET: async ({ learnerId }, { store }): Promise<Profile> => ({
      displayName: await store.displayName(learnerId),
    }),
    POST: async ({ req, learnerId }, { store }): Promise<Profile> => {
      const { displayName } = await readJsonBody(req, ProfileRequest);
      await store.setDisplayName(learnerId, displayName || null);
      return { displayName: displayName || null };
    },
  },
};

export function isApiPath(pathname: string): boolean {
  return Object.hasOwn(ROUTES, pathname);
}

export async function serveApi(pathname: string, request: ApiRequest, services: ApiServices): Promise<void> {
  const { req, res } = request;
  const route = ROUTES[pathname];
  if (!route) return sendJson(res, 404, { error: `no API route ${pathname}` });
  const method = req.method === 'HEAD' ? 'GET' : (req.method ?? '');
  const handler = Object.hasOwn(route, method) ? route[method as keyof Route] : undefined;
  if (!handler) {
    const methods = Object.keys(route).flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m]));
    res.setHeader('Allow', methods.join(', '));
    return sendJson(res, 405, { error: `${pathname} accepts ${methods.join(', ')} only` });
  }
  try {
    sendJson(res, 200, await handler(request, services));
  } catch (error) {
    if (error instanceof RequestError) return sendJson(res, error.status, { error: error.message });
    sendServerError(req, res, pathname, error);
  }
}
