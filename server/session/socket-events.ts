/**
 * Session events on a learner's socket: presence pings (activity is recorded for every active
 * event by the realtime layer; this only validates the ping), the sandbox's kernel features, and
 * cleaning the sandbox's kernel side (in the learner's grading turn, so never under a running
 * Check, whose runner holds BPF objects too).
 */
import type { GradeLock } from '../grader/grade-lock.js';
import { readyState } from '../protocol/session.js';
import type { EventRegistrar } from '../realtime/context.js';
import { fail, handle, ok } from '../realtime/handle.js';
import { cleanKernelSide } from '../sandbox/kernel-clean.js';
import type { Sessions } from './sessions.js';

const CLEAN_REFUSALS = {
  busy: 'A Check or Run of yours is still in progress; clean the kernel side once it has finished',
  'queue-full': 'Every grader is busy and the queue is full; try again in a minute',
} as const;

export function registerSessionEvents(deps: {
  sessions: Pick<Sessions, 'featuresFor' | 'existing' | 'sandboxFor'>;
  gradeLock: Pick<GradeLock, 'exclusive'>;
}): EventRegistrar {
  const { sessions, gradeLock } = deps;
  return (socket, learnerId) => {
    handle(socket, 'session:presence', () => ok(null));

    handle(socket, 'session:features', async () => ok(await sessions.featuresFor(learnerId)));

    handle(socket, 'session:clean-kernel', async () => {
      const sandbox = await sessions.sandboxFor(learnerId);
      const outcome = await gradeLock.exclusive(
        learnerId,
        () => cleanKernelSide(sandbox),
        () => undefined,
      );
      return outcome.refused === null ? ok(outcome.value) : fail(CLEAN_REFUSALS[outcome.refused]);
    });

    const session = sessions.existing(learnerId);
    if (session?.ready) socket.emit('session:sandbox', readyState(session.ready, session.replacedNotice));
  };
}
