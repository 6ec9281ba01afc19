/**
 * The page's one socket.io connection to the bpflab server, shared by every component (terminal,
 * lab, feature panel), typed with the protocol's event maps.
 *
 *   const socket = usePlatformSocket();        // null during server rendering and before mount
 *   const status = useConnectionStatus();      // connecting | connected | reconnecting | refused
 *   const sandbox = useSandboxState();         // latest `session:sandbox` news, or null
 *
 * Components add their own listeners with `socket.on` in an effect and remove them with
 * `socket.off` on cleanup; they never disconnect the shared socket. Requests go through
 * `request(socket, { ms: 10_000 }, 'terminal:close', { id })`, which resolves with the server's
 * `{ ok, value | error }`, typed by the protocol's event map; a request the server can only
 * answer once the sandbox is up waits by the sandbox's clock (`{ ms, sandbox: true }`).
 * The connection reconnects on its own (at once when the browser reports the network back);
 * listen for `connect` to re-attach after a reconnect. socket.io holds what is emitted while
 * disconnected and sends it on reconnect: an emit that must not arrive late (keys typed into a
 * shell, a Check) checks `socket.connected` first.
 * While a person uses the page (keys, pointer, wheel, page brought to the front) it sends
 * `session:presence` now and then, which keeps the learner's sandbox from being reaped.
 */
'use client';

import { useEffect, useState, useSyncExternalStore } from 'react';
import { io, type Socket } from 'socket.io-client';
import type {
  ClientRequest,
  ClientToServerEvents,
  HandshakeRefusal,
  PayloadInput,
  ReplyTo,
  ServerToClientEvents,
} from '@/server/protocol';
import { PRESENCE_INTERVAL_MS, type SandboxState } from '@/server/protocol/session';
import { type ConnectionStatus, publishPageConnectionStatus } from './connection-status';
import { answerWithin, type SandboxClock } from './sandbox-deadline';

export type { ConnectionStatus } from './connection-status';
export type PlatformSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'wheel', 'touchstart'] as const;

/** The page's one connection, made when a component first needs it. */
let shared: Connection | null = null;
/** React's subscribers to the page's connection, told of every change. */
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify(): void {
  for (const listener of listeners) listener();
  publishPageConnectionStatus(shared && shared.users > 0 ? shared.status : null);
}

/** Owns the socket and what the page knows about the connection, for React to subscribe to. */
class Connection {
  readonly socket: PlatformSocket;
  status: ConnectionStatus = { state: 'connecting' };
  sandbox: SandboxState | null = null;
  /** When `sandbox` last changed (ms since the epoch). */
  sandboxSince = 0;
  /** Mounted components that use the socket (usePlatformSocket); the banner reports only while > 0. */
  users = 0;
  private lastPresence = 0;
  private retriedForCookie = false;
  private everConnected = false;

  constructor() {
    // Same origin, so the browser sends the session cookie with the handshake by itself. WebSocket
    // only: the server requires the handshake's Origin header, which browsers always send on a
    // WebSocket upgrade but omit on the same-origin GETs that long-polling would start with.
    this.socket = io({ path: '/socket.io', transports: ['websocket'] });
    this.socket.on('connect', () => {
      this.retriedForCookie = false;
      this.everConnected = true;
      this.set({ state: 'connected' });
    });
    this.socket.on('disconnect', (reason) => {
      // The server closed us on purpose (e.g. a restart); socket.io waits for us to reconnect.
      if (reason === 'io server disconnect') this.socket.connect();
      this.set({ state: 'reconnecting', lost: true });
    });
    this.socket.io.on('reconnect_attempt', () =>
      this.set({ state: 'reconnecting', lost: this.everConnected }),
    );
    this.socket.on('connect_error', (error: Error & { data?: { code?: HandshakeRefusal } }) => {
      if (this.socket.active) return; // a network error: socket.io retries by itself
      void this.refused(error.data?.code ?? 'unknown', error.message);
    });
    this.socket.on('session:sandbox', (state) => {
      this.sandbox = state;
      this.sandboxSince = Date.now();
      notify();
    });
    // Waiting for the next reconnection attempt could take seconds; the network is back now.
    window.addEventListener('online', () => {
      if (this.socket.connected || !this.socket.active) return;
      this.socket.disconnect();
      this.socket.connect();
    });
    for (const event of ACTIVITY_EVENTS) window.addEventListener(event, this.onActivity, { passive: true });
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') this.onActivity();
    });
  }

  private onActivity = (): void => {
    const now = Date.now();
    if (now - this.lastPresence < PRESENCE_INTERVAL_MS || !this.socket.connected) return;
    this.lastPresence = now;
    this.socket.emit('session:presence');
  };

  private async refused(code: HandshakeRefusal | 'unknown', message: string): Promise<void> {
    // A page served without passing the server (a cached copy) may lack the cookie: any request
    // to the server issues one, then try once more.
    if (code === 'no-session' && !this.retriedForCookie) {
      this.retriedForCookie = true;
      await fetch('/api/progress', { cache: 'no-store' }).catch(() => undefined);
      this.socket.connect();
      return;
    }
    this.set({ state: 'refused', code, message });
  }

  private set(status: ConnectionStatus): void {
    this.status = status;
    notify();
  }
}

/**
 * How long a request waits for its reply: `ms`, or with `sandbox`, `ms` of the sandbox's own
 * time (see sandbox-deadline.ts), for a request the server can only answer once it is up.
 */
export interface Patience {
  ms: number;
  /** The answer needs the sandbox: the clock stands still while it starts (sandbox-deadline.ts). */
  sandbox?: boolean;
  /** The request may wait its turn on the server; the clock stands still meanwhile. */
  turn?: SandboxClock['turn'];
}

/**
 * Sends `event` and resolves with the server's reply, typed by the protocol's event map. Rejects
 * when no reply comes in time or the connection drops (NoAnswer, or socket.io's timeout error).
 * An event without a payload is sent with `undefined`, which does not go on the wire.
 */
export function request<E extends ClientRequest>(
  socket: PlatformSocket,
  patience: Patience,
  event: E,
  payload: PayloadInput<E>,
): Promise<ReplyTo<E>> {
  const sender = patience.sandbox ? socket : socket.timeout(patience.ms);
  // socket.io's overloads cannot follow a generic event name (and after timeout() they type the
  // reply as any); the event map gives the reply's type.
  const emit = sender.emitWithAck.bind(sender) as (event: E, ...payload: unknown[]) => Promise<ReplyTo<E>>;
  const answer = payload === undefined ? emit(event) : emit(event, payload);
  if (!patience.sandbox) return answer;
  const conn = connection();
  return answerWithin(answer, patience.ms, {
    sandbox: () => ({ state: conn.sandbox, since: conn.sandboxSince }),
    connected: () => socket.connected,
    turn: patience.turn,
  });
}

function connection(): Connection {
  shared ??= new Connection();
  return shared;
}

/**
 * Starts the page's connection before any component uses it (a lab coming into view, while its
 * code still loads), so the handshake is done by the time the lab and its terminal ask the server.
 */
export function preconnect(): void {
  connection();
}

/** The shared socket, or null until the component has mounted in the browser. */
export function usePlatformSocket(): PlatformSocket | null {
  const [socket, setSocket] = useState<PlatformSocket | null>(null);
  useEffect(() => {
    const conn = connection();
    conn.users += 1;
    notify();
    setSocket(conn.socket);
    return () => {
      conn.users -= 1;
      notify();
    };
  }, []);
  return socket;
}

const CONNECTING: ConnectionStatus = { state: 'connecting' };
const noSubscription = () => () => {};

export function useConnectionStatus(): ConnectionStatus {
  const [conn, setConn] = useState<Connection | null>(null);
  useEffect(() => setConn(connection()), []);
  return useSyncExternalStore(
    conn ? subscribe : noSubscription,
    () => conn?.status ?? CONNECTING,
    () => CONNECTING,
  );
}

/** What the learner's sandbox is doing (starting, ready, failed, reaped), once the server said. */
export function useSandboxState(): SandboxState | null {
  const [conn, setConn] = useState<Connection | null>(null);
  useEffect(() => setConn(connection()), []);
  return useSyncExternalStore(
    conn ? subscribe : noSubscription,
    () => conn?.sandbox ?? null,
    () => null,
  );
}
