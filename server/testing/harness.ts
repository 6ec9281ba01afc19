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
import { type Platform, startPlatform } from '../platform.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../protocol/index.js';
import type { Driver } from '../sandbox/types.js';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

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
    handleNext: async (_req, res) => {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('no Next in this test server');
    },
    upgradeNext: null,
    driver: options.driver,
  });
  const url = `http://127.0.0.1:${port}`;
  const sockets = new Set<ClientSocket>();

  return {
    url,
    origin: config.origin,
    platform,
    async newLearner() {
      const response = await fetch(`${url}/`);
      const setCookie = response.headers.get('set-cookie');
      if (!setCookie) throw new Error('the first visit set no cookie');
      return setCookie.split(';')[0]!;
    },
    connect({ cookie, origin }) {
      const headers: Record<string, string> = {};
      if (cookie) headers.cookie = cookie;
      if (origin) headers.origin = origin;
      const socket: ClientSocket = io(url, {
        transports: ['websocket'],
        extraHeaders: headers,
        reconnection: false,
        forceNew: true,
      });
      sockets.add(socket);
      return new Promise((resolve, reject) => {
        socket.once('connect', () => resolve(socket));
        socket.once('connect_error', reject);
      });
    },
    async close() {
      for (const socket of sockets) socket.disconnect();
      await platform.close();
      server.closeAllConnections();
      if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
