/**
 * Starts the real platform in-process on a free loopback port, without Next (page requests get a
 * 404 from a stand-in), for socket tests and the keystroke benchmark. Each instance has its own
 * temp data dir. Learners are made the way browsers are: by a first HTTP visit that sets the cookie.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { loadConfig } from '../config.js';
import { type Platform, type PlatformDeps, startPlatform } from '../platform.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../protocol/index.js';
import type { Driver } from '../sandbox/types.js';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** In place of Next: every page request is a 404, there are no upgrades of its own. */
export const WITHOUT_NEXT: Pick<PlatformDeps, 'handleNext' | 'upgradeNext'> = {
  handleNext: async (_req, res) => {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('no Next in this test server');
  },
  upgradeNext: null,
};

export interface TestPlatform {
  url: string;
  origin: string;
  platform: Platform;
  /** A new learner: the `name=value` cookie pair a first visit was given. */
  newLearner(): Promise<string>;
  /** A connected client socket (rejects with the handshake error when refused). */
  connect(options: { cookie?: string; origin?: string }): Promise<ClientSocket>;
  close(): Promise<void>;
}

export async function startTestPlatform(options: {
  driver?: Driver;
  env?: Record<string, string>;
}): Promise<TestPlatform> {
  // A data dir given in env outlives this platform (a test that restarts the server keeps it).
  const ownDataDir = options.env?.BPFLAB_DATA_DIR === undefined;
  const dataDir = options.env?.BPFLAB_DATA_DIR ?? mkdtempSync(path.join(os.tmpdir(), 'bpflab-test-data-'));
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const config = loadConfig({
    // Tests serve several learners to prove they are kept apart; the local driver serves one
    // unless opted in (identity/one-learner.test.ts sets '0' to test exactly that).
    BPFLAB_ALLOW_SHARED_KERNEL: '1',
    ...options.env,
    NODE_ENV: 'test',
    PORT: String(port),
    BPFLAB_DATA_DIR: dataDir,
  });
  const platform = await startPlatform({
    config,
    root: path.resolve(import.meta.dirname, '../..'),
    server,
    ...WITHOUT_NEXT,
    driver: options.driver,
  });
  const url = `http://127.0.0.1:${port}`;
  const sockets = new Set<ClientSocket>();

  return {
    url,
    origin: config.origin,
    platform,
    newLearner: () => newLearner(url),
    async connect(options) {
      const socket = connectSocket(url, options);
      sockets.add(socket);
      return connected(socket);
    },
    async close() {
      for (const socket of sockets) socket.disconnect();
      await platform.close();
      server.closeAllConnections();
      if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A new learner of the server at `url`: the `name=value` cookie pair a first visit is given. */
export async function newLearner(url: string): Promise<string> {
  const response = await fetch(`${url}/`);
  const setCookie = response.headers.get('set-cookie');
  if (!setCookie) throw new Error('the first visit set no cookie');
  return setCookie.split(';')[0]!;
}

/** A socket to the server at `url`, as a page opens it (WebSocket only), connecting. */
export function connectSocket(
  url: string,
  { cookie, origin }: { cookie?: string; origin?: string },
): ClientSocket {
  const headers: Record<string, string> = {};
  if (cookie) headers.cookie = cookie;
  if (origin) headers.origin = origin;
  return io(url, { transports: ['websocket'], extraHeaders: headers, reconnection: false, forceNew: true });
}

/** Resolves with the socket once connected; rejects with the handshake error when refused. */
export function connected(socket: ClientSocket): Promise<ClientSocket> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}
