/**
 * Session events on a learner's socket: presence pings (activity is recorded for every active
 * event by the realtime layer; this only validates the ping) and the sandbox's kernel features.
 */
import { readyState } from '../protocol/session.js';
import type { EventRegistrar } from '../realtime/context.js';
import { handle, ok } from '../realtime/handle.js';
import type { Sessions } from './sessions.js';

export function registerSessionEvents(deps: {
  sessions: Pick<Sessions, 'featuresFor' | 'existing'>;
}): EventRegistrar {
  const { sessions } = deps;
  return (socket, learnerId) => {
    handle(socket, 'session:presence', () => ok(null));

    handle(socket, 'session:features', async () => ok(await sessions.featuresFor(learnerId)));

    const session = sessions.existing(learnerId);
    if (session?.ready) socket.emit('session:sandbox', readyState(session.ready, session.replacedNotice));
  };
}
