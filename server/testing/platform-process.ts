/**
 * The platform as a process of its own, for tests that must crash a server and start another:
 * `node --import tsx server/testing/platform-process.ts` with the environment `server/main.ts`
 * reads (HOST, PORT, BPFLAB_DATA_DIR, …). It is main.ts without Next, so no production build is
 * needed: page requests get a 404 from a stand-in. It prints `bpflab ready on <origin>` once it
 * listens, and closes the platform on SIGTERM.
 */
import { createServer } from 'node:http';
import path from 'node:path';
import { loadConfig } from '../config.js';
import { startPlatform } from '../platform.js';
import { WITHOUT_NEXT } from './harness.js';

const config = loadConfig(process.env);
const server = createServer();
const platform = await startPlatform({
  config,
  root: path.resolve(import.meta.dirname, '../..'),
  server,
  ...WITHOUT_NEXT,
});
await new Promise<void>((resolve) => server.listen(config.PORT, config.HOST, resolve));
console.log(`bpflab ready on ${config.origin}`);

process.once('SIGTERM', () => {
  void platform.close().then(() => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
});
