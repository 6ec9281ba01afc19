/**
 * For the local driver's integration tests and the session-ready benchmark: a driver on a fresh
 * data dir outside /tmp (a sandbox replaces /tmp, so a data dir there would be hidden for free and
 * prove nothing), and the host's view of what a sandbox may leave behind.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../../config.js';
import { LocalDriver } from './local-driver.js';
import type { LocalSandbox } from './local-sandbox.js';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');

/** Why the local driver cannot run here, or null when it can. */
export function cannotRunLocalDriver(): string | null {
  if (process.platform !== 'linux') return 'the local driver needs Linux';
  if (process.getuid?.() !== 0) return 'the local driver needs root (namespaces, mounts, cgroups)';
  return null;
}

export async function startTestDriver(env: Record<string, string> = {}) {
  const dataDir = await mkdtemp('/var/tmp/bpflab-itest-');
  const config = loadConfig({ NODE_ENV: 'test', BPFLAB_DATA_DIR: dataDir, ...env });
  const driver = await LocalDriver.start(config, REPO_ROOT);
  return {
    driver,
    dataDir,
    async close() {
      await driver.shutdown();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export const run = promisify(execFile);

/** Every process on the host that is in one of the namespaces `ids` (`net:[4026…]`). */
export async function processesIn(ids: string[]): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    for (const ns of ['mnt', 'pid', 'net', 'uts', 'ipc']) {
      const id = await readlink(`/proc/${entry}/ns/${ns}`).catch(() => null);
      if (id !== null && ids.includes(id)) {
        found.push(Number(entry));
        break;
      }
    }
  }
  return found;
}

/** Every cgroup directory named `name`, in any hierarchy. */
export async function cgroupsNamed(name: string): Promise<string[]> {
  const { stdout } = await run('find', ['/sys/fs/cgroup', '-maxdepth', '6', '-type', 'd', '-name', name]);
  return stdout.split('\n').filter(Boolean);
}

export const mountinfo = () => readFile('/proc/self/mountinfo', 'utf8');

/** Everything a login shell on a terminal of `sandbox` shows while it runs `line`, then exits. */
export async function terminalScreen(sandbox: LocalSandbox, line: string): Promise<string> {
  const shell = sandbox.openTerminal({ cols: 200, rows: 24 });
  let screen = '';
  shell.onData((data) => {
    screen += data;
  });
  shell.write(`${line}; exit\r`);
  await new Promise<void>((resolve) => shell.onExit(() => resolve()));
  return screen;
}
