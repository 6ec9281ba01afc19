/**
 * The composition root: builds the store, learner identity, the sandbox driver, the learner
 * sessions, the lab catalog, the grader and its lock, and the realtime layer on the one HTTP
 * server, and puts the identity/API layer in front of Next. Nothing else constructs these; tests
 * start it in-process (testing/harness.ts).
 */
import type { IncomingMessage, Server } from 'node:http';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import type { Config } from './config.js';
import { CompileAhead, NO_COMPILE_AHEAD } from './grader/compile-ahead.js';
import { CompileCache } from './grader/compile-cache.js';
import { GradeLock } from './grader/grade-lock.js';
import { Grader } from './grader/grader.js';
import { GradingQueue } from './grader/grading-queue.js';
import { reclaimOrphanedReaders } from './grader/trace-pipe.js';
import { createRequestHandler, type NextHandler } from './http/request-handler.js';
import { InstructorSession } from './identity/instructor.js';
import { loadSecret } from './identity/secret.js';
import { SessionCookie } from './identity/session-cookie.js';
import { EVERY_LEARNER, SoleLearner } from './identity/sole-learner.js';
import { unavailableLabsFor } from './labs/availability.js';
import { LabCatalog } from './labs/catalog.js';
import { registerLabEvents } from './labs/events.js';
import { repoLabPaths } from './labs/loader.js';
import { learnerRoom } from './realtime/context.js';
import { acceptLearners, createSocketServer } from './realtime/socket-server.js';
import { assertSafeToServe, createDriver } from './sandbox/index.js';
import { ONE_LEARNER_MESSAGE, servesOneLearner } from './sandbox/serve-safety.js';
import { hostToolsDir } from './sandbox/tools-tree.js';
import type { Driver } from './sandbox/types.js';
import { HomeVault } from './session/home-vault.js';
import { Sessions } from './session/sessions.js';
import { registerSessionEvents } from './session/socket-events.js';
import { SqliteStore } from './store/sqlite-store.js';
import type { Store } from './store/store.js';
import { registerTerminalEvents } from './terminal/socket-events.js';

export interface PlatformDeps {
  config: Config;
  /** Repository root: content/, labs/, bpf/ live under it. */
  root: string;
  server: Server;
  /** Next's page handler; every request not answered by the server's own API ends there. */
  handleNext: NextHandler;
  /** Next's WebSocket upgrades (dev HMR); null when there is no Next (tests, benchmarks). */
  upgradeNext: ((req: IncomingMessage, socket: Duplex, head: Buffer) => Promise<void>) | null;
  /** A driver made elsewhere (tests); by default the one `BPFLAB_DRIVER` picks. */
  driver?: Driver;
}

export interface Platform {
  sessions: Sessions;
  store: Store;
  /** Stop accepting sockets, kill every shell, dispose every sandbox, close the database. */
  close(): Promise<void>;
}

/** Call before the server listens: refuses configurations that would expose a shared kernel. */
export async function startPlatform(deps: PlatformDeps): Promise<Platform> {
  const { config, root, server } = deps;
  // createDriver refuses an unsafe listen address itself; an injected driver is checked here.
  if (deps.driver) assertSafeToServe(config, deps.driver.name);
  const driver = deps.driver ?? (await createDriver(config, root));
  const orphans = await reclaimOrphanedReaders();
  if (orphans.length > 0) {
    console.warn(
      `bpflab: killed ${orphans.length} trace_pipe reader(s) left by a server that died: ${orphans.join(', ')}`,
    );
  }
  const dataDir = path.resolve(root, config.BPFLAB_DATA_DIR);
  const store = new SqliteStore(dataDir);
  const cookieKey = loadSecret(config.BPFLAB_SECRET, dataDir);
  const secure = config.origin.startsWith('https:');
  const cookie = new SessionCookie(cookieKey, secure);
  const instructor = new InstructorSession(cookieKey, config.BPFLAB_INSTRUCTOR_SECRET, secure);

  // After the driver: it has salvaged the homes of a crashed server's sandboxes by now.
  const homes = await HomeVault.open(dataDir, config.BPFLAB_SANDBOX_DISK_MB * 1024 * 1024);
  const io = createSocketServer(server, deps.upgradeNext);
  const sessions = new Sessions({
    driver,
    homes,
    idleTimeoutMs: config.BPFLAB_IDLE_TIMEOUT_MS,
    announce: (learnerId, state) => io.to(learnerRoom(learnerId)).emit('session:sandbox', state),
  });
  sessions.start();
  const labPaths = repoLabPaths(root);
  const catalog = new LabCatalog(labPaths);
  const grader = new Grader({
    compileCache: new CompileCache(path.join(dataDir, 'compile-cache')),
    hostToolsDir: hostToolsDir(root),
  });
  // One lock for every learner's grades and kernel clean-ups: one at a time per learner, in turn.
  const gradeLock = new GradeLock(
    new GradingQueue(config.BPFLAB_GRADE_SLOTS ? { slots: config.BPFLAB_GRADE_SLOTS } : {}),
  );
  const compileAhead = config.BPFLAB_COMPILE_AHEAD ? new CompileAhead(grader, gradeLock) : NO_COMPILE_AHEAD;
  const admission = servesOneLearner(config, driver.name)
    ? new SoleLearner(dataDir, ONE_LEARNER_MESSAGE)
    : EVERY_LEARNER;
  acceptLearners(io, {
    cookie,
    admission,
    origin: config.origin,
    store,
    sessions,
    // Each area gets only the services its handlers use.
    registrars: [
      registerSessionEvents({ sessions, gradeLock }),
      registerTerminalEvents({ sessions }),
      registerLabEvents({
        catalog,
        grader,
        gradeLock,
        store,
        sessions,
        compileAhead,
      }),
    ],
  });
  server.on(
    'request',
    createRequestHandler({
      cookie,
      admission,
      api: {
        store,
        unavailableLabs: unavailableLabsFor({ catalog, labsDir: labPaths.labsDir, sessions }),
      },
      classApi: { instructor, store },
      next: deps.handleNext,
      dev: config.dev,
    }),
  );

  return {
    sessions,
    store,
    close: async () => {
      await io.close();
      // Builds ahead and run directories being removed end first, in sandboxes still there.
      await compileAhead.settled();
      await grader.close();
      await sessions.close();
      await driver.shutdown();
      await store.close();
    },
  };
}
