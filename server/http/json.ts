/**
 * JSON in and out for the API routes (api.ts, class-api.ts): uncached answers, and request bodies
 * read with a size limit and parsed by a schema, whose first problem names the field.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';

/** Bodies are a few fields; anything larger is refused before it is buffered. */
const MAX_BODY_BYTES = 16 * 1024;

/** A request the route cannot act on; answered with its status and message. */
export class RequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    // Per-learner data: never cached by a proxy or served to another cookie.
    'Cache-Control': 'private, no-store',
  });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}

/** A route failed for a reason of the server's own: logged in full, the client told where to look. */
export function sendServerError(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  error: unknown,
): void {
  console.error(`bpflab: ${req.method} ${pathname} failed:`, error);
  sendJson(res, 500, { error: 'the server could not answer; the operator can find the details in its log' });
}

/**
 * The request's JSON body, checked by `schema`. Only `application/json` is read: another site's
 * page cannot send that without a CORS preflight, which this server never grants.
 */
export async function readJsonBody<S extends z.ZodType>(
  req: IncomingMessage,
  schema: S,
): Promise<z.output<S>> {
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
    throw new RequestError(415, 'send the body as Content-Type: application/json');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new RequestError(413, `the body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new RequestError(400, 'the body is not JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.');
    throw new RequestError(
      400,
      field && !issue.message.startsWith(field) ? `${field}: ${issue.message}` : issue.message,
    );
  }
  return parsed.data;
}
