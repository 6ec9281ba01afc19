/**
 * The cgroups of one local sandbox: made with its limits before its first process, joined by
 * every process the server starts in it (see `enterCommand`), emptied with SIGKILL and removed
 * on dispose. Also used at start-up to reclaim sandboxes a crashed server left behind.
 */
import { access, mkdir, readdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type CgroupLayout, CONTROLLERS, type Controller } from './cgroup-layout.js';

export interface SandboxLimits {
  /** Most tasks (processes and threads). */
  pids: number;
  memoryBytes: number;
  /** CPU bandwidth, in CPUs. */
  cpus: number;
}

const CFS_PERIOD_US = 100_000;
/** Half the default weight: the server and other work come first when a lab keeps the CPU busy. */
const V1_CPU_SHARES = 512;
const V2_CPU_WEIGHT = 50;

export class SandboxCgroup {
  private constructor(
    /** Every directory of this sandbox, one per hierarchy used. */
    readonly dirs: string[],
  ) {}

  /** The `cgroup.procs` files a process writes its pid into to join the sandbox. */
  get procsFiles(): string[] {
    return this.dirs.map((dir) => path.join(dir, 'cgroup.procs'));
  }

  static async create(layout: CgroupLayout, name: string, limits: SandboxLimits): Promise<SandboxCgroup> {
    const dirs = new Set<string>();
    if (layout.v2Parent) dirs.add(path.join(layout.v2Parent, name));
    for (const controller of CONTROLLERS) {
      const found = layout.controllers[controller];
      if (found) dirs.add(path.join(found.parent, name));
    }
    const cgroup = new SandboxCgroup([...dirs]);
    try {
      for (const dir of dirs) await mkdir(dir);
      for (const controller of CONTROLLERS) {
        const found = layout.controllers[controller];
        if (found) await writeLimit(path.join(found.parent, name), found.version, controller, limits);
      }
    } catch (error) {
      await cgroup.remove();
      throw new Error(`cannot set up the cgroups of sandbox ${name}`, { cause: error });
    }
    return cgroup;
  }

  /** The cgroups a crashed server left under `layout`'s parents, one SandboxCgroup per name. */
  static async leftovers(
    layout: CgroupLayout,
    isSandboxName: (name: string) => boolean,
  ): Promise<SandboxCgroup[]> {
    const parents = new Set<string>();
    if (layout.v2Parent) parents.add(layout.v2Parent);
    for (const controller of CONTROLLERS) {
      const found = layout.controllers[controller];
      if (found) parents.add(found.parent);
    }
    const byName = new Map<string, string[]>();
    for (const parent of parents) {
      const entries = await readdir(parent, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        if (!entry.isDirectory() || !isSandboxName(entry.name)) continue;
        byName.set(entry.name, [...(byName.get(entry.name) ?? []), path.join(parent, entry.name)]);
      }
    }
    return [...byName.values()].map((dirs) => new SandboxCgroup(dirs));
  }

  /** Every pid in the sandbox, as the server sees them. */
  async pids(): Promise<number[]> {
    const all = new Set<number>();
    for (const file of this.procsFiles) {
      const text = await readFile(file, 'utf8').catch(() => '');
      for (const pid of text.split('\n').filter(Boolean)) all.add(Number(pid));
    }
    return [...all];
  }

  /** SIGKILL everything in the sandbox and wait until it has gone; false if something stayed. */
  async kill(deadlineMs = 5_000): Promise<boolean> {
    const killFile = await this.killFile();
    const deadline = performance.now() + deadlineMs;
    let first = true;
    for (;;) {
      const pids = await this.pids();
      if (pids.length === 0) return true;
      if (performance.now() > deadline) return false;
      if (killFile && first) {
        await writeFile(killFile, '1').catch(() => {});
      } else {
        // v1 only: a fork bomb may fork between our read and our kill, so repeat until empty;
        // its pids limit bounds how often.
        for (const pid of pids) killQuietly(pid);
      }
      first = false;
      await sleep(5);
    }
  }

  /** Remove the (empty) cgroups; missing ones are fine. */
  async remove(): Promise<void> {
    for (const dir of this.dirs) {
      for (let attempt = 0; ; attempt++) {
        try {
          await rmdir(dir);
          break;
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'ENOENT') break;
          // A killed task leaves the cgroup a moment after it leaves cgroup.procs.
          if (code === 'EBUSY' && attempt < 100) {
            await sleep(10);
            continue;
          }
          throw new Error(`cannot remove cgroup ${dir}`, { cause: error });
        }
      }
    }
  }

  private async killFile(): Promise<string | null> {
    for (const dir of this.dirs) {
      const file = path.join(dir, 'cgroup.kill');
      if (
        await access(file).then(
          () => true,
          () => false,
        )
      )
        return file;
    }
    return null;
  }
}

async function writeLimit(dir: string, version: 'v1' | 'v2', controller: Controller, limits: SandboxLimits) {
  const set = (file: string, value: string | number) => writeFile(path.join(dir, file), String(value));
  const setIfPresent = (file: string, value: string | number) => set(file, value).catch(() => {});
  const quota = Math.max(1_000, Math.round(limits.cpus * CFS_PERIOD_US));
  switch (`${version}:${controller}`) {
    case 'v2:pids':
    case 'v1:pids':
      return set('pids.max', limits.pids);
    case 'v2:memory':
      await set('memory.max', limits.memoryBytes);
      return setIfPresent('memory.swap.max', 0);
    case 'v1:memory':
      await set('memory.limit_in_bytes', limits.memoryBytes);
      // memsw exists only with swap accounting; equal to the limit means "no swap".
      return setIfPresent('memory.memsw.limit_in_bytes', limits.memoryBytes);
    case 'v2:cpu':
      await set('cpu.max', `${quota} ${CFS_PERIOD_US}`);
      return set('cpu.weight', V2_CPU_WEIGHT);
    case 'v1:cpu':
      await set('cpu.cfs_period_us', CFS_PERIOD_US);
      await set('cpu.cfs_quota_us', quota);
      return set('cpu.shares', V1_CPU_SHARES);
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
