/**
 * The one socket protocol. CLIENT_EVENTS pairs every event a page sends with its payload schema
 * and the value of its ok reply (contract.ts says how); socket.io's `ClientToServerEvents` is
 * derived from it, so the server's `handle` (server/realtime/handle.ts) and the browser's emits
 * (app/lib/socket.ts) are typed by the same source: `Server<ClientToServerEvents,
 * ServerToClientEvents>` on the server and `Socket<ServerToClientEvents, ClientToServerEvents>`
 * in the browser. Each area keeps its events in its own file; this file only joins them.
 */
import type { z } from 'zod';
import type { ListenerMap, Reply, ReplyOfSpec } from './contract.js';
import { LAB_EVENTS, type LabServerEvents } from './lab.js';
import { SESSION_EVENTS, type SessionServerEvents } from './session.js';
import { TERMINAL_EVENTS, type TerminalServerEvents } from './terminal.js';

export type { Ack, Reply } from './contract.js';

export const CLIENT_EVENTS = { ...LAB_EVENTS, ...TERMINAL_EVENTS, ...SESSION_EVENTS };

export type ClientEvent = keyof typeof CLIENT_EVENTS;
/** The events a page sends with an ack and waits for the reply of. */
export type ClientRequest = {
  [E in ClientEvent]: (typeof CLIENT_EVENTS)[E]['acked'] extends true ? E : never;
}[ClientEvent];
/** What `E`'s payload is once parsed (the server's side). */
export type PayloadOf<E extends ClientEvent> = z.output<(typeof CLIENT_EVENTS)[E]['payload']>;
/** What a page passes as `E`'s payload (before parsing: defaults may be left out). */
export type PayloadInput<E extends ClientEvent> = z.input<(typeof CLIENT_EVENTS)[E]['payload']>;
/** The value of an ok reply to `E` (null for a notice). */
export type ReplyOf<E extends ClientEvent> = ReplyOfSpec<(typeof CLIENT_EVENTS)[E]>;
/** The whole answer to `E`: `{ ok: true, value: ReplyOf<E> } | { ok: false, error }`. */
export type ReplyTo<E extends ClientEvent> = Reply<ReplyOf<E>>;

export type ClientToServerEvents = ListenerMap<typeof CLIENT_EVENTS>;

export interface ServerToClientEvents extends LabServerEvents, TerminalServerEvents, SessionServerEvents {}

/** Why a handshake was refused; sent as `connect_error` `data.code` so the page can explain. */
export type HandshakeRefusal = 'bad-origin' | 'no-session' | 'one-learner';

/** The largest message a client may send; a lab check carries up to 16 files of 64 KiB. */
export const MAX_MESSAGE_BYTES = 2 * 1024 * 1024;
