/**
 * What every socket handler gets: who the learner is (from the verified cookie, never from a
 * payload) and the platform services. Lab handlers (server/labs/events.ts) receive the same.
 */
import type { Server, Socket } from 'socket.io';
import type { Config } from '../config.js';
import type { Labs } from '../labs/labs.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../protocol/index.js';
import type { Sessions } from '../session/sessions.js';
import type { Store } from '../store/store.js';

export interface SocketData {
  learnerId: string;
}

export type BpflabServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;
export type BpflabSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

export interface SocketContext {
  /** The learner this socket belongs to, from their signed cookie. */
  learnerId: string;
  /** `sessions.sandboxFor(learnerId)` gives the learner's sandbox; `touch` marks activity. */
  sessions: Sessions;
  store: Store;
  config: Config;
  /** Repository root: content/, labs/, bpf/ live under it. */
  root: string;
  /** The lab catalog, the grader and its one-grade-per-learner rule (server/labs/labs.ts). */
  labs: Labs;
}

/** Sockets of one learner share this room, so session news reaches all their pages. */
export function learnerRoom(learnerId: string): string {
  return `learner:${learnerId}`;
}
