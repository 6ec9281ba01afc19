/**
 * The typed socket every area registers its handlers on, and the shape of a registrar. The learner
 * of a socket comes from the verified cookie (`socket.data.learnerId`), never from a payload.
 */
import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../protocol/index.js';

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

/**
 * Adds one area's handlers to a learner's new socket. Each area's registrar is made in
 * server/platform.ts from only the services it uses (`registerLabEvents({ catalog, grader, gradeLock, store, sessions })`).
 */
export type EventRegistrar = (socket: BpflabSocket, learnerId: string) => void;

/** Sockets of one learner share this room, so session news reaches all their pages. */
export function learnerRoom(learnerId: string): string {
  return `learner:${learnerId}`;
}
