/**
 * A bpflab server in a process of its own (platform-process.ts under `node --import tsx`, one
 * process, leader of its own process group), for tests that crash it with SIGKILL and start
 * another on the same data dir and port. Its output is kept for the failure message.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const repo = path.resolve(import.meta.dirname, '../..');
const STARTUP_MS = 60_000;

export interface ServerProcess {
  pid: number;
  url: string;
  /** Milliseconds from spawn to the server listening. */
  startMs: number;
  exited: Promise<void>;
  output(): string;
  /** SIGKILL to the server process alone: its children are left as a crash leaves them. */
  crash(): Promise<void>;
  /** SIGTERM (the server disposes its sandboxes), then SIGKILL to what is left of its group. */
  stop(): Promise<void>;
}

export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const started = performance.now();
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(repo, 'server/testing/platform-process.ts')],
    { cwd: repo, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let alive = true;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      alive = false;
      resolve();
    }),
  );
  const ready = await new Promise<RegExpExecArray | null>((resolve) => {
    const timer = setTimeout(() => resolve(null), STARTUP_MS);
    const look = () => {
      const found = /bpflab ready on (\S+)/.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    };
    child.stdout!.on('data', look);
    void exited.then(() => resolve(null));
  });
  const pid = child.pid!;
  const signal = (target: number, name: NodeJS.Signals) => {
    try {
      process.kill(target, name);
    } catch {
      // Already gone.
    }
  };
  const server: ServerProcess = {
    pid,
    url: ready?.[1] ?? '',
    startMs: Math.round(performance.now() - started),
    exited,
    output: () => output,
    async crash() {
      signal(pid, 'SIGKILL');
      await exited;
    },
    async stop() {
      if (alive) signal(pid, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000).unref())]);
      signal(-pid, 'SIGKILL');
      await exited;
    },
  };
  if (!ready) {
    await server.stop();
    throw new Error(`the bpflab server did not start within ${STARTUP_MS} ms:\n${output}`);
  }
  return server;
}
