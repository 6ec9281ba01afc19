/**
 * The one bpflab process: an HTTP server that hands pages to Next.js and hosts socket.io beside
 * it on the same port. Everything with state (sessions, sandboxes, terminals, grades) lives here.
 */
import { createServer } from 'node:http';
import path from 'node:path';
import nextModule from 'next';
import { ConfigError, loadConfig } from './config.js';
import { startPlatform } from './platform.js';

// Next is CommonJS (`module.exports = createServer`); its types describe that as an ES default
// export, which NodeNext resolution reads as the module object.
const next = nextModule as unknown as (typeof nextModule)['default'];

async function main(): Promise<void> {
  const dev = process.argv.includes('--dev');
  const config = loadConfig(process.env, dev);
  const root = path.resolve(import.meta.dirname, '..');

  const app = next({ dev, dir: root, hostname: config.HOST, port: config.PORT });
  await app.prepare();
  const handle = app.getRequestHandler();
  const upgradeNext = app.getUpgradeHandler();

  // The platform answers requests (session cookie, JSON API) and passes the rest to Next.
  const server = createServer();
  const platform = await startPlatform({ config, root, server, handleNext: handle, upgradeNext });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, resolve);
  });
  console.log(`bpflab ready on ${config.origin} (${dev ? 'development' : 'production'})`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`bpflab: ${signal}, shutting down`);
    const forced = setTimeout(() => {
      console.error('bpflab: shutdown took over 10 s, exiting');
      process.exit(1);
    }, 10_000);
    forced.unref();
    await platform.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await app.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  console.error('bpflab failed to start:', error);
  process.exit(1);
});
