/**
 * The one socket protocol, as the typed event maps both sides use: socket.io's
 * `Server<ClientToServerEvents, ServerToClientEvents>` on the server and
 * `Socket<ServerToClientEvents, ClientToServerEvents>` in the browser (app/lib/socket.ts).
 * Each area keeps its schemas in its own file; this file only joins the maps.
 */
import type { LabClientEvents, LabServerEvents } from './lab.js';
import type { SessionClientEvents, SessionServerEvents } from './session.js';
import type { TerminalClientEvents, TerminalServerEvents } from './terminal.js';

export type { Ack } from './lab.js';

export interface ClientToServerEvents extends LabClientEvents, TerminalClientEvents, SessionClientEvents {}

export interface ServerToClientEvents extends LabServerEvents, TerminalServerEvents, SessionServerEvents {}

/** Why a handshake was refused; sent as `connect_error` `data.code` so the page can explain. */
export type HandshakeRefusal = 'bad-origin' | 'no-session' | 'one-learner';

/** The largest message a client may send; a lab check carries up to 16 files of 64 KiB. */
export const MAX_MESSAGE_BYTES = 2 * 1024 * 1024;
