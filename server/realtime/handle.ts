/**
 * The one way to listen to a client event: the payload is parsed with the schema the protocol
 * gives that event (server/protocol/index.ts, CLIENT_EVENTS) before any handler sees it, the
 * acknowledgement (if the client sent one) gets a result either way, and no payload or handler
 * failure can throw into socket.io (which would take the process down).
 *
 * Usage: `handle(socket, 'terminal:close', async ({ id }) => ok(null))`: the payload's type and
 * the reply's are the event's own, so a handler cannot parse with another event's schema or
 * acknowledge with the wrong value. Handlers return `ok(value)` or `fail(message)` for expected
 * outcomes and throw only for bugs or broken infrastructure; a thrown SandboxError's
 * learnerMessage reaches the learner.
 */
import type { z } from 'zod';
import {
  type Ack,
  CLIENT_EVENTS,
  type ClientEvent,
  type PayloadOf,
  type Reply,
  type ReplyTo,
} from '../protocol/index.js';
import { SandboxError } from '../sandbox/types.js';
import type { BpflabSocket } from './context.js';
import { TokenBucket } from './rate-limit.js';

export const ok = <T>(value: T): Reply<T> => ({ ok: true, value });
export const fail = (error: string): Reply<never> => ({ ok: false, error });

/** What handles `E`: its parsed payload in, its reply out. */
export type Handler<E extends ClientEvent> = (payload: PayloadOf<E>) => ReplyTo<E> | Promise<ReplyTo<E>>;

/** Logged per socket before going quiet, so a misbehaving client cannot flood the log. */
const INVALID_PAYLOADS_LOGGED = 5;
const invalidCounts = new WeakMap<object, number>();
/** The events each socket has a handler for; anything else is refused (event-guard.ts). */
const registered = new WeakMap<object, Set<string>>();
/** Errors without an ack to carry them become `session:error` events, at most this often. */
const NOTICES = { burst: 20, ratePerSecond: 2 };
const noticeBuckets = new WeakMap<object, TokenBucket>();

export function handle<E extends ClientEvent>(socket: BpflabSocket, event: E, run: Handler<E>): void {
  // The map pairs each event with its schema, so what this schema yields is E's payload.
  const schema: z.ZodType<unknown> = CLIENT_EVENTS[event].payload;
  const events = registered.get(socket) ?? new Set<string>();
  registered.set(socket, events);
  events.add(event);
  // The event map describes honest clients; this listener takes whatever actually arrives, and
  // one that takes unknown arguments fits every event's listener type.
  const name: ClientEvent = event;
  socket.on(name, (...args: unknown[]) => {
    const ack = typeof args.at(-1) === 'function' ? (args.pop() as Ack<unknown>) : undefined;
    const parsed = args.length > 1 ? null : schema.safeParse(args[0]);
    if (!parsed?.success) {
      const problem = parsed ? describeIssues(parsed.error) : `expected one payload, got ${args.length}`;
      noteInvalid(socket, event, problem);
      answer(socket, event, ack, fail(`invalid ${event} payload: ${problem}`));
      return;
    }
    Promise.resolve()
      .then(() => run(parsed.data as PayloadOf<E>))
      .catch((error: unknown): ReplyTo<E> => {
        if (error instanceof SandboxError) {
          console.error(`bpflab: ${event} for ${socket.data.learnerId}: ${error.operatorDetail}`);
          return fail(error.learnerMessage);
        }
        console.error(`bpflab: ${event} for ${socket.data.learnerId} failed:`, error);
        return fail('Something went wrong on the server; the operator can find the details in its log');
      })
      .then((reply) => answer(socket, event, ack, reply));
  });
}

/** Whether `handle` registered a handler for `event` on this socket. */
export function isHandled(socket: BpflabSocket, event: string): boolean {
  return registered.get(socket)?.has(event) ?? false;
}

/**
 * Replies through the ack when the client sent one. A refusal without an ack still reaches the
 * page, as a `session:error` event; a client that keeps provoking them gets a few a second.
 */
export function answer<R>(
  socket: BpflabSocket,
  event: string,
  ack: Ack<R> | undefined,
  reply: Reply<R>,
): void {
  if (ack) {
    ack(reply);
    return;
  }
  if (reply.ok) return;
  const bucket = noticeBuckets.get(socket) ?? new TokenBucket(NOTICES);
  noticeBuckets.set(socket, bucket);
  if (bucket.take()) socket.emit('session:error', { event, error: reply.error });
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => `${i.path.length ? i.path.join('.') : '(payload)'}: ${i.message}`)
    .join('; ');
}

function noteInvalid(socket: BpflabSocket, event: string, problem: string): void {
  const count = (invalidCounts.get(socket) ?? 0) + 1;
  invalidCounts.set(socket, count);
  if (count <= INVALID_PAYLOADS_LOGGED) {
    console.warn(`bpflab: dropped invalid ${event} from ${socket.data.learnerId}: ${problem}`);
  }
}
