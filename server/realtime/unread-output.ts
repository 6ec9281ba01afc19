/**
 * A page that stops reading its socket (a stalled or hostile client that still acknowledges
 * terminal output, so flow control never pauses the shell) would make the server hold whatever
 * it sends, without end. What a socket has been sent but not taken off the wire is engine.io's
 * queue of packets not yet written plus what the WebSocket holds in its buffers; past
 * MAX_UNREAD_BYTES the page is told why and disconnected, and its queue discarded.
 */
import type { BpflabSocket } from './context.js';

/**
 * Eight times the flow-control high mark (terminal/flow-control.ts), which counts the bytes of
 * output sent as they go on the wire (binary attachments), so a slow but live page, which never
 * holds more than the high mark unacknowledged, never gets near it; the rest is headroom for the
 * other events and the WebSocket's framing.
 */
export const MAX_UNREAD_BYTES = 8 * 1024 * 1024;

/** How long a cut-off page has to take its last messages before the connection is dropped. */
const CLOSE_GRACE_MS = 2000;

/** The engine.io internals read here (engine.io 6, WebSocket transport through ws). */
interface EngineConnection {
  readyState: string;
  writeBuffer: { data?: unknown }[];
  transport: { socket?: { bufferedAmount?: number } };
  close(discard?: boolean): void;
}

export function unreadBytes(socket: BpflabSocket): number {
  const conn = socket.conn as unknown as EngineConnection;
  let bytes = conn.transport.socket?.bufferedAmount ?? 0;
  for (const packet of conn.writeBuffer) {
    const data = packet.data;
    if (typeof data === 'string') bytes += data.length;
    else if (data instanceof Uint8Array) bytes += data.byteLength;
  }
  return bytes;
}

/** Disconnects a socket that has more than MAX_UNREAD_BYTES unread. */
export function cutOffIfUnread(socket: BpflabSocket): void {
  if (!socket.connected) return;
  const unread = unreadBytes(socket);
  if (unread <= MAX_UNREAD_BYTES) return;
  const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
  const reason = `Disconnected: this page left ${mib(unread)} of output unread (at most ${mib(MAX_UNREAD_BYTES)}). Reload the page to reconnect; your terminals are still running.`;
  console.warn(`bpflab: ${socket.data.learnerId}: socket ${socket.id} cut off with ${mib(unread)} unread`);
  // Queued behind what the page has not read: it sees why once it reads again.
  socket.emit('session:error', { event: 'terminal:output', error: reason });
  const conn = socket.conn as unknown as EngineConnection;
  socket.disconnect(true);
  // The polite close waits for the page to read everything; a page that never does is dropped.
  setTimeout(() => {
    if (conn.readyState !== 'closed') conn.close(true);
  }, CLOSE_GRACE_MS).unref();
}
