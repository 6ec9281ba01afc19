/**
 * Lab requests over the page's one socket, as values: every request resolves with the server's
 * `{ ok, value | error }` reply, and a request the server never answers resolves with an error
 * the learner can read instead of hanging the button forever.
 */
import { type PlatformSocket, sandboxAnswer } from '@/app/lib/socket';
import type { LabClientEvents } from '@/server/protocol/lab';

export type LabRequest = keyof LabClientEvents;
export type LabPayload<E extends LabRequest> = Parameters<LabClientEvents[E]>[0];
export type LabReply<E extends LabRequest> = Parameters<Parameters<LabClientEvents[E]>[1]>[0];

/**
 * How long the page waits for each answer, not counting the time the sandbox takes to start
 * (see sandboxAnswer). Check and Run cover the grader's own stage limits (compile, load,
 * workload, collect).
 */
export const REQUEST_TIMEOUT_MS: Record<LabRequest, number> = {
  'lab:open': 30_000,
  'lab:save': 15_000,
  'lab:check': 120_000,
  'lab:run': 120_000,
  'lab:reset': 15_000,
  'lab:solution': 15_000,
  'lab:hint': 15_000,
};

export async function labRequest<E extends LabRequest>(
  socket: PlatformSocket,
  event: E,
  payload: LabPayload<E>,
): Promise<LabReply<E>> {
  const timeoutMs = REQUEST_TIMEOUT_MS[event];
  // socket.io's overloads cannot follow a generic event name; the reply type is the ack's.
  const emit = socket.emitWithAck.bind(socket) as (event: E, payload: LabPayload<E>) => Promise<LabReply<E>>;
  try {
    return await sandboxAnswer(socket, emit(event, payload), timeoutMs);
  } catch {
    const reply = {
      ok: false,
      error: socket.connected
        ? `The server did not answer within ${timeoutMs / 1000} s. Try again in a moment.`
        : 'Not connected to the server. Check your connection; the page reconnects on its own.',
    } as const;
    return reply as LabReply<E>;
  }
}
