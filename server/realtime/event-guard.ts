/**
 * Runs before any handler sees a message: an event this server does not handle, or one over the
 * socket's rate limit (rate-limit.ts), is refused with an error (through the ack when there is
 * one, otherwise as `session:error`) and goes no further. A socket that keeps flooding past the
 * limits is closed, with the reason as its last message.
 */
import type { BpflabSocket } from './context.js';
import { answer, fail, isHandled } from './handle.js';
import { SocketRateLimits } from './rate-limit.js';

/** Event names are echoed in errors; a hostile one may be megabytes long. */
const NAME_SHOWN = 64;

/**
 * Messages refused by the rate limits before the socket is closed: a page never comes near it,
 * and a client that does is flooding, whose every further message would still cost a reply.
 */
export const MAX_REFUSED = 500;

export function guardEvents(socket: BpflabSocket): void {
  const limits = new SocketRateLimits();
  let refusedCount = 0;
  socket.use((packet, next) => {
    if (!socket.connected) return;
    const [event] = packet;
    const last = packet.at(-1);
    const ack = typeof last === 'function' ? (last as Parameters<typeof answer>[2]) : undefined;
    const name = typeof event === 'string' ? event : String(event);
    const shown = name.length > NAME_SHOWN ? `${name.slice(0, NAME_SHOWN)}…` : name;
    const refused = limits.refusal(name);
    if (refused !== null) {
      answer(socket, shown, ack, fail(refused));
      if (++refusedCount === MAX_REFUSED) {
        console.warn(
          `bpflab: ${socket.data.learnerId}: socket ${socket.id} closed after ${MAX_REFUSED} messages over the rate limits`,
        );
        socket.emit('session:error', {
          event: shown,
          error: `Disconnected: this page sent ${MAX_REFUSED} messages over the rate limits. Reload the page to reconnect.`,
        });
        socket.disconnect(true);
      }
      return;
    }
    if (!isHandled(socket, name)) {
      answer(socket, shown, ack, fail(`Unknown event "${shown}": this server does not handle it`));
      return;
    }
    next();
  });
}
