/**
 * How one client event is written down: the zod schema its payload must pass, and the value an
 * ok reply carries. Each area declares its events with `request` and `notice` (lab.ts,
 * terminal.ts, session.ts) and index.ts joins them into the one map, CLIENT_EVENTS, from which
 * both socket.io's event types and the server's `handle` are derived. Rules:
 *
 * - The server MUST parse a payload with its event's schema before any handler sees it.
 * - A request MUST be answered, through its ack, with `Reply<reply type>`.
 * - A notice has no ack; a refusal of one reaches the page as `session:error` instead.
 */
import type { z } from 'zod';

/** What the server answers: a value, or a sentence for the learner (unknown lab, busy, …). */
export type Reply<T> = { ok: true; value: T } | { ok: false; error: string };

export type Ack<T> = (reply: Reply<T>) => void;

export interface ClientEventSpec<S extends z.ZodType = z.ZodType, R = unknown> {
  /** Parsed before any handler sees the message; `z.undefined()` when the event carries none. */
  readonly payload: S;
  /** true: the client waits for a reply (a request); false: it sends and forgets (a notice). */
  readonly acked: boolean;
  /** Type only, never set: the value of an ok reply (null for a notice). */
  readonly reply?: R;
}

/** An event answered through its ack with a `Reply<R>`: `request(Schema).replies<R>()`. */
export function request<S extends z.ZodType>(payload: S) {
  return {
    replies: <R>(): ClientEventSpec<S, R> & { acked: true } => ({ payload, acked: true }),
  };
}

/** An event sent without an ack (keystrokes, presence); its handler answers `Reply<null>`. */
export function notice<S extends z.ZodType>(payload: S): ClientEventSpec<S, null> & { acked: false } {
  return { payload, acked: false };
}

export type ReplyOfSpec<C> = C extends ClientEventSpec<z.ZodType, infer R> ? R : never;

/** The arguments the client passes before the ack: none for a `z.undefined()` payload. */
type PayloadArgs<S extends z.ZodType> = [z.input<S>] extends [undefined] ? [] : [payload: z.input<S>];

/** A map of specs as socket.io's event map: the listener signature of every client event. */
export type ListenerMap<M extends Record<string, ClientEventSpec>> = {
  [E in keyof M]: M[E] extends { acked: true }
    ? (...args: [...PayloadArgs<M[E]['payload']>, ack: Ack<ReplyOfSpec<M[E]>>]) => void
    : (...args: PayloadArgs<M[E]['payload']>) => void;
};
