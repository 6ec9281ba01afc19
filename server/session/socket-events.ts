/**
 * Session events on a learner's socket: presence pings (activity is recorded for every active
 * event by the realtime layer; this only validates the ping) and the sandbox's kernel features.
 */
import { z } from 'zod';
import { readyState } from '../protocol/session.js';
import type { BpflabSocket, SocketContext } from '../realtime/context.js';
import { handle, ok } from '../realtime/handle.js';

export function registerSessionEvents(socket: BpflabSocket, ctx: SocketContext): void {
  handle(socket, 'session:presence', z.undefined(), () => ok(null));

  handle(socket, 'session:features', z.undefined(), async () =>
    ok(await ctx.sessions.featuresFor(ctx.learnerId)),
  );

  const ready = ctx.sessions.existing(ctx.learnerId)?.ready;
  if (ready) socket.emit('session:sandbox', readyState(ready));
}
