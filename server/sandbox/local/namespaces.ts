/**
 * The namespaces of one local sandbox, held open by its init process (sandbox-init.sh), and the
 * host command lines that run something inside them. Every command first joins the sandbox's
 * cgroups and rlimits, then `nsenter`s all five namespaces (the mount namespace brings the
 * sandbox's own root), then drops to the kept capabilities, so nothing the server starts for a
 * sandbox ever runs outside its limits, even for a moment, or with the power to undo them.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import { type HostCommand, processEnv } from '../host-process.js';
import { SandboxError } from '../types.js';
import { withKeptCapabilities } from './capabilities.js';

const INIT_SCRIPT = path.join(import.meta.dirname, 'sandbox-init.sh');
const NAMESPACES = ['mnt', 'pid', 'net', 'uts', 'ipc'] as const;
/** unshare exits once its child, the init, is reaped; if it has not after this long, kill it. */
const STOP_BACKSTOP_MS = 5_000;

/**
 * Joins the cgroups (`cgroup.procs` files up to `--`), sets the rlimits, then execs the rest.
 * `$$` is this shell, which the exec turns into the command: the cgroup is joined before the
 * command's first instruction. Sandbox processes are the OOM killer's first choice on the host.
 */
const ENTER_SCRIPT = [
  'ulimit -t "$1"',
  '[ -z "$2" ] || ulimit -v "$2"',
  'shift 2',
  'echo 500 >/proc/self/oom_score_adj',
  'while [ "$1" != -- ]; do echo $$ >"$1" || exit 125; shift; done',
  'shift',
  'exec "$@"',
].join('\n');

export interface EnterSpec {
  /** `cgroup.procs` files to join. */
  procsFiles: string[];
  cpuSeconds: number;
  /** RLIMIT_AS in KiB, only when no memory cgroup can limit the sandbox. */
  addressSpaceKiB: number | null;
}

export interface NamespaceSpec {
  name: string;
  /** Empty host directory the sandbox mounts its new root on, in its own mount namespace. */
  rootMount: string;
  /** The new root's mounts (sandbox-root.ts). */
  fstab: string;
  /** Names in the host's /dev copied into the sandbox's. */
  devices: string[];
  /** Top-level host directories that are symlinks, copied as such. */
  links: string[];
  env: Record<string, string>;
}

/** Prefix a command so that it runs inside the sandbox's cgroups and rlimits. */
function joinLimits(enter: EnterSpec, command: string[]): string[] {
  return [
    '-c',
    ENTER_SCRIPT,
    'bpflab-enter',
    String(enter.cpuSeconds),
    enter.addressSpaceKiB === null ? '' : String(enter.addressSpaceKiB),
    ...enter.procsFiles,
    '--',
    ...command,
  ];
}

export class SandboxNamespaces {
  private exited = false;

  private constructor(
    /** The init's pid on the host. */
    readonly initPid: number,
    private readonly init: ChildProcess,
    private readonly enter: EnterSpec,
  ) {
    init.once('exit', () => {
      this.exited = true;
    });
  }

  /** Starts the init and resolves once the sandbox's filesystem is in place. */
  static start(spec: NamespaceSpec, enter: EnterSpec, timeoutMs: number): Promise<SandboxNamespaces> {
    const init = spawn(
      '/bin/sh',
      joinLimits(enter, [
        'unshare',
        '--mount',
        '--pid',
        '--net',
        '--uts',
        '--ipc',
        '--fork',
        '--propagation=private',
        '--kill-child',
        '/bin/sh',
        INIT_SCRIPT,
        spec.name,
        spec.rootMount,
        spec.fstab,
        ...spec.devices,
        '--',
        ...spec.links,
        '--',
        ...withKeptCapabilities(),
      ]),
      { env: processEnv(spec.env), detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    return new Promise((resolve, reject) => {
      let stdout = '';
      let stderr = '';
      const fail = (why: string, cause?: unknown) => {
        clearTimeout(timer);
        reject(
          new SandboxError('Your sandbox could not start', `sandbox ${spec.name}: ${why}\n${stderr.trim()}`, {
            cause,
          }),
        );
      };
      const timer = setTimeout(() => {
        fail(`no "ready" from its init after ${timeoutMs} ms`);
        init.kill('SIGKILL');
      }, timeoutMs);
      init.stderr?.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString()).slice(-4096);
      });
      init.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const ready = /^ready (\d+)\n/m.exec(stdout);
        if (!ready) return;
        clearTimeout(timer);
        init.stdout?.destroy();
        init.stderr?.destroy();
        // The sandbox must not keep the server's event loop alive, nor die with it by accident.
        init.unref();
        resolve(new SandboxNamespaces(Number(ready[1]), init, enter));
      });
      init.once('error', (error) => fail('cannot run /bin/sh', error));
      init.once('exit', (code, signal) =>
        fail(`its init exited (${signal ?? `code ${code}`}) before it was ready`),
      );
    });
  }

  get alive(): boolean {
    return !this.exited;
  }

  /**
   * A host command that runs `argv` in the sandbox, in `cwd` (absolute, inside the sandbox).
   * Signals go to the command's processes inside the sandbox, not to nsenter: nsenter then reaps
   * its child and exits with the child's status. (nsenter killed first would leave its child to
   * the host's init, as a zombie counted against the sandbox's pids limit until reaped.)
   */
  command(
    argv: string[],
    cwd: string,
    env: Record<string, string>,
    members: () => Promise<number[]>,
  ): HostCommand {
    const nsenter = [
      'nsenter',
      `--target=${this.initPid}`,
      '--mount',
      '--pid',
      '--net',
      '--uts',
      '--ipc',
      // The working directory as the sandbox sees it, set by nsenter once inside (no shell to cd).
      `--wdns=${cwd}`,
      '--',
    ];
    return {
      file: '/bin/sh',
      args: joinLimits(this.enter, [...nsenter, ...withKeptCapabilities(), ...argv]),
      env,
      signalGroup: (pgid, signal) => void signalInside(pgid, signal, members),
    };
  }

  /** The namespace identities (`net:[4026532…]`), to prove in tests that they are gone. */
  async identities(): Promise<Record<(typeof NAMESPACES)[number], string>> {
    const ids = await Promise.all(NAMESPACES.map((ns) => readlink(`/proc/${this.initPid}/ns/${ns}`)));
    return Object.fromEntries(NAMESPACES.map((ns, i) => [ns, ids[i] as string])) as Record<
      (typeof NAMESPACES)[number],
      string
    >;
  }

  /**
   * Kill the init, and with it every process of the pid namespace; resolves when unshare has
   * exited. Only the init is signalled: each process's parent then reaps it (unshare the init,
   * nsenter its child), so nothing is left to the host's init as a zombie holding the namespace.
   */
  async stop(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.init.once('exit', () => resolve()));
    // Unref'd since start; waiting for the exit must keep the event loop alive.
    this.init.ref();
    try {
      process.kill(this.initPid, 'SIGKILL');
    } catch {
      // Already dead; unshare follows.
    }
    const stuck = setTimeout(() => this.init.kill('SIGKILL'), STOP_BACKSTOP_MS);
    await gone;
    clearTimeout(stuck);
  }
}

/**
 * Signal the members of process group `pgid` other than its leader (nsenter), or the leader
 * itself while it has not started anything yet.
 */
async function signalInside(
  pgid: number,
  signal: NodeJS.Signals,
  members: () => Promise<number[]>,
): Promise<void> {
  const inside: number[] = [];
  for (const pid of await members()) {
    if (pid !== pgid && (await processGroupOf(pid)) === pgid) inside.push(pid);
  }
  for (const target of inside.length > 0 ? inside : [-pgid]) {
    try {
      process.kill(target, signal);
    } catch {
      // Already gone.
    }
  }
}

async function processGroupOf(pid: number): Promise<number | null> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  // The fields after the command name (which may hold spaces and parentheses): state ppid pgrp.
  const pgrp = stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[2];
  return pgrp === undefined ? null : Number(pgrp);
}
