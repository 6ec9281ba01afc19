/**
 * The page connection's status for parts of the page that only report on it (the connection
 * banner in the layout), without socket.io: socket.ts publishes here, and a page that never
 * mounts a component using the socket neither loads socket.io nor opens a connection.
 *
 *   const status = usePageConnectionStatus();  // null while nothing on the page uses the socket
 */
'use client';

import { useSyncExternalStore } from 'react';
import type { HandshakeRefusal } from '@/server/protocol';

export type ConnectionStatus =
  | { state: 'connecting' }
  | { state: 'connected' }
  /** Retrying; `lost`: there was a connection (false while the first one is still being tried). */
  | { state: 'reconnecting'; lost: boolean }
  /** The server refused the handshake; `message` says why in words for the learner. */
  | { state: 'refused'; code: HandshakeRefusal | 'unknown'; message: string };

const listeners = new Set<() => void>();
let published: ConnectionStatus | null = null;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** socket.ts: the status, or null when no mounted component uses the socket. */
export function publishPageConnectionStatus(status: ConnectionStatus | null): void {
  if (status === published) return;
  published = status;
  for (const listener of listeners) listener();
}

export function usePageConnectionStatus(): ConnectionStatus | null {
  return useSyncExternalStore(
    subscribe,
    () => published,
    () => null,
  );
}
