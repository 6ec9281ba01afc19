/**
 * socket.io on the site's own HTTP server and port. Only learners pass the handshake (signed
 * cookie + our Origin, see handshake.ts); each connection gets the event handlers of every area.
 * WebSocket upgrades that are not socket.io's (Next's dev HMR) are handed to Next untouched.
 */
import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Server } from 'socket.io';
import type { SessionCookie } from '../identity/session-cookie.js';
import type { Admission } from '../identity/sole-learner.js';
import { type ClientEvent, MAX_MESSAGE_BYTES } from '../protocol/index.js';
import type { Sessions } from '../session/sessions.js';
import type { Store } from '../store/store.js';
import { type BpflabServer, type EventRegistrar, learnerRoom } from './context.js';
import { guardEvents } from './event-guard.js';
import { allowedOrigins, authorizeHandshake } from './handshake.js';

const SOCKET_PATH = '/socket.io';

/** Events that a page sends by itself (reconnects, output acks); they do not mean a person is there. */
const PASSIVE_EVENTS = new Set<ClientEvent>([
  'terminal:ack',
  'terminal:resize',
  'terminal:attach',
  'terminal:detach',
  'terminal:list',
]);

export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => Promise<void>;

export function createSocketServer(server: HttpServer, upgradeOther: UpgradeHandler | null): BpflabServer {
  const io: BpflabServer = new Server(server, {
    path: SOCKET_PATH,
    serveClient: false,
    // The handshake must carry an Origin (see handshake.ts): browsers always send one on a
    // WebSocket upgrade, but not on the same-origin GETs that long-polling starts with.
    transports: ['websocket'],
    // Leave other upgrades to the listener below instead of destroying them.
    destroyUpgrade: false,
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    // Heartbeat: a vanished browser is noticed within ~20 s and its terminals detached.
    pingInterval: 10_000,
    pingTimeout: 10_000,
  });
  server.on('upgrade', (req, socket, head) => {
    if (req.url?.startsWith(`${SOCKET_PATH}/`)) return;
    if (upgradeOther) {
      upgradeOther(req, socket, head).catch((error: unknown) => {
        console.error('bpflab: upgrade handler failed:', error);
        socket.destroy();
      });
    } else {
      socket.destroy();
    }
  });
  return io;
}

export interface LearnerSocketOptions {
  cookie: SessionCookie;
  /** Which learners may connect (one only, with the local driver; see sandbox/serve-safety.ts). */
  admission: Admission;
  origin: string;
  /** Records each connection as a visit. */
  store: Pick<Store, 'touchLearner'>;
  /** Marks activity for every event a person causes. */
  sessions: Pick<Sessions, 'touch'>;
  /** Each area's handlers, added to every learner's socket. */
  registrars: EventRegistrar[];
}

export function acceptLearners(io: BpflabServer, options: LearnerSocketOptions): void {
  const origins = allowedOrigins(options.origin);
  io.use((socket, next) => {
    const verdict = authorizeHandshake(socket.handshake.headers, origins, options.cookie, options.admission);
    if (!verdict.ok) {
      next(Object.assign(new Error(verdict.message), { data: { code: verdict.code } }));
      return;
    }
    socket.data.learnerId = verdict.learnerId;
    next();
  });

  io.on('connection', (socket) => {
    const { learnerId } = socket.data;
    void socket.join(learnerRoom(learnerId));
    options.store.touchLearner(learnerId).catch((error: unknown) => {
      console.error('bpflab: recording a learner visit failed:', error);
    });
    guardEvents(socket);
    socket.use(([event], next) => {
      if (!PASSIVE_EVENTS.has(event as ClientEvent)) options.sessions.touch(learnerId);
      next();
    });
    for (const register of options.registrars) register(socket, learnerId);
  });
}
