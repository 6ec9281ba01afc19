/**
 * Lab requests over the page's one socket, as values: every request resolves with the server's
 * `{ ok, value | error }` reply, and a request the server never answers resolves with an error
 * the learner can read instead of hanging the button forever.
 */
import { type PlatformSocket, request } from '@/app/lib/socket';
import type { ClientRequest, PayloadInput, ReplyOf, ReplyTo } from '@/server/protocol';
import { gradeAnswerWithinMs } from '@/server/protocol/grade-deadline';
import type { LabProgressEvent, LabView } from '@/server/protocol/lab';

export type LabRequest = Extract<ClientRequest, `lab:${string}`>;
export type LabPayload<E extends LabRequest> = PayloadInput<E>;
export type LabReply<E extends LabRequest> = ReplyTo<E>;
export type LabValue<E extends LabRequest> = ReplyOf<E>;

/**
 * How long the page waits for each answer, not counting the time the sandbox takes to start
 * (see `request` in app/lib/socket.ts). Check and Run wait by the lab instead (timeoutFor).
 */
export const REQUEST_TIMEOUT_MS: Record<Exclude<LabRequest, 'lab:check' | 'lab:run'>, number> = {
  'lab:open': 30_000,
  'lab:save': 15_000,
  'lab:reset': 15_000,
  'lab:solution': 15_000,
  'lab:hint': 15_000,
  // A build and a load, after any grade of the learner's still running.
  'lab:program': 60_000,
};

/** `lab` is the lab as `lab:open` gave it; a Check or Run waits by its time. */
export async function labRequest<E extends LabRequest>(
  socket: PlatformSocket,
  event: E,
  payload: LabPayload<E>,
  lab?: Pick<LabView, 'labTimeMs'>,
): Promise<LabReply<E>> {
  const timeoutMs = timeoutFor(event, lab);
  if (timeoutMs === null) return { ok: false, error: 'The lab has not opened yet; try again in a moment.' };
  const queue = event === 'lab:check' || event === 'lab:run' ? gradingQueue(socket, payload.labId) : null;
  try {
    return await request(socket, { ms: timeoutMs, sandbox: true, turn: queue?.turn }, event, payload);
  } catch {
    return {
      ok: false,
      error: socket.connected
        ? `The server did not answer within ${timeoutMs / 1000} s. Try again in a moment.`
        : 'Not connected to the server. Check your connection; the page reconnects on its own.',
    };
  } finally {
    queue?.stop();
  }
}

/**
 * Follows a Check or Run through the grading queue (`lab:progress` with stage `queued`): the
 * time it waits there for a free grader does not count against its deadline.
 */
function gradingQueue(socket: PlatformSocket, labId: string) {
  let waiting = false;
  let since = 0;
  const onProgress = (event: LabProgressEvent) => {
    if (event.labId !== labId) return;
    const queued = event.stage === 'queued';
    if (waiting && !queued) since = Date.now();
    waiting = queued;
  };
  socket.on('lab:progress', onProgress);
  return {
    turn: () => ({ waiting, since }),
    stop: () => socket.off('lab:progress', onProgress),
  };
}

/**
 * A Check or Run waits as long as the grader may take for this lab, and a margin: one rule with
 * the server's (server/protocol/grade-deadline.ts); null before the lab has opened.
 */
function timeoutFor(event: LabRequest, lab: Pick<LabView, 'labTimeMs'> | undefined): number | null {
  if (event !== 'lab:check' && event !== 'lab:run') return REQUEST_TIMEOUT_MS[event];
  return lab ? gradeAnswerWithinMs(lab.labTimeMs) : null;
}
