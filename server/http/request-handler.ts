/**
 * Every HTTP request passes here before Next: a visitor without a valid session cookie gets one
 * (so the page they load can open its socket), a learner the server does not admit gets a page
 * that says why, the JSON API is answered in-process, and the rest goes to Next. The instructor's
 * API (class-api.ts) is answered before any of that: it neither issues nor reads learner cookies.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SessionCookie } from '../identity/session-cookie.js';
import type { Admission } from '../identity/sole-learner.js';
import { type ApiServices, isApiPath, serveApi } from './api.js';
import { type ClassServices, isClassApiPath, serveClassApi } from './class-api.js';
import { refuseLearner } from './refusal-page.js';
import { securityHeaders } from './security-headers.js';

export type NextHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export interface RequestHandlerOptions {
  cookie: SessionCookie;
  /** Which learners may use the site (one only, with the local driver; see sandbox/serve-safety.ts). */
  admission: Admission;
  /** What the JSON API answers from. */
  api: ApiServices;
  /** What the instructor's API answers from. */
  classApi: ClassServices;
  next: NextHandler;
  /** Development: the CSP allows what Next's dev runtime needs. */
  dev: boolean;
}

export function createRequestHandler(options: RequestHandlerOptions) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const pathname = pathOf(req.url);
    const headers = securityHeaders(options.dev);
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    // Next renders its inline scripts with the nonce of the policy it finds on the request.
    req.headers['content-security-policy'] = headers['Content-Security-Policy'];
    if (isClassApiPath(pathname)) {
      void serveClassApi(pathname, req, res, options.classApi);
      return;
    }
    let learnerId = options.cookie.learnerFrom(req.headers);
    // Build assets are fetched in parallel by a page that already set the cookie; issuing
    // there would race the page's own response with different ids.
    if (!learnerId && !pathname.startsWith('/_next/')) {
      const issued = options.cookie.issue();
      learnerId = issued.learnerId;
      if (options.admission.admits(learnerId)) res.appendHeader('Set-Cookie', issued.setCookie);
    }
    if (learnerId && !options.admission.admits(learnerId)) {
      refuseLearner(res, isApiPath(pathname), options.admission.refusal);
      return;
    }
    if (learnerId && isApiPath(pathname)) {
      void serveApi(pathname, { req, res, learnerId }, options.api);
      return;
    }
    options.next(req, res).catch((error: unknown) => {
      console.error(`bpflab: Next failed on ${req.method} ${pathname}:`, error);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  };
}

function pathOf(url: string | undefined): string {
  try {
    return new URL(url ?? '/', 'http://bpflab.invalid').pathname;
  } catch {
    return '/';
  }
}
