/**
 * TEST DOUBLE of the sandbox contract, for unit tests of sessions, terminals and sockets on any
 * machine (no root, no namespaces): a "sandbox" is a temp directory and its terminal a real bash
 * on a real pty (node-pty), so the bytes, echo, resize and flow-control behaviour are real. It
 * isolates nothing and runs no commands; integration tests use the real local driver instead.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { KERNEL_FEATURES, type KernelFeatures } from '../protocol/kernel-features.js';
import {
  HOME_ARCHIVE_SCRIPT,
  type HomeKept,
  type HomeRestored,
  packHomeArchive,
} from '../sandbox/home-archive.js';
import { type SandboxPty, spawnPty } from '../sandbox/pty.js';
import type { Driver, Sandbox, SandboxProcess, TerminalOptions, WorkspaceFile } from '../sandbox/types.js';
import { SandboxError } from '../sandbox/types.js';

export class PtySandboxDouble implements Sandbox {
  readonly driver = 'local' as const;
  /** Every shell opened, running or not, for tests to check that they were killed. */
  readonly shells: SandboxPty[] = [];
  disposed = false;

  constructor(
    readonly name: string,
    readonly workspace: string,
  ) {}

  openTerminal(size: TerminalOptions): SandboxPty {
    if (this.disposed) throw new Error(`test double ${this.name} is disposed`);
    const shell = spawnPty('bash', ['--noprofile', '--norc', '-i'], {
      name: 'xterm-256color',
      cols: size.cols,
      rows: size.rows,
      cwd: this.workspace,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: this.workspace,
        TERM: 'xterm-256color',
        PS1: '$ ',
      },
    });
    this.shells.push(shell);
    return shell;
  }

  exec(): never {
    throw new Error('the PTY sandbox test double runs no commands; use the local driver');
  }

  spawn(): SandboxProcess {
    throw new Error('the PTY sandbox test double runs no commands; use the local driver');
  }

  async writeFile(relPath: string, content: string | Buffer): Promise<void> {
    const file = this.resolve(relPath);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }

  async writeFiles(files: readonly WorkspaceFile[]): Promise<void> {
    for (const f of files) await this.writeFile(f.path, f.content);
  }

  async readFile(relPath: string): Promise<Buffer> {
    return readFile(this.resolve(relPath));
  }

  async features(): Promise<KernelFeatures> {
    return {
      kernelRelease: os.release(),
      kernelBuild: `${os.release()} ${os.version()}`,
      arch: os.machine(),
      clang: null,
      bpftool: null,
      available: Object.fromEntries(
        KERNEL_FEATURES.map((f) => [f, f !== 'kprobe']),
      ) as KernelFeatures['available'],
      reasons: { kprobe: 'the test double reports no kprobes' },
    };
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const shell of this.shells) if (isAlive(shell.pid)) shell.kill('SIGKILL');
    rmSync(this.workspace, { recursive: true, force: true });
  }

  /** The host's tar, in the temp directory: the real archive format, without a sandbox. */
  async restoreHome(archive: string): Promise<HomeRestored> {
    const tar = spawnSync('tar', ['-x', '--no-same-owner', '-f', archive, '-C', this.workspace]);
    return tar.status === 0 ? { restored: true } : { restored: false, why: tar.stderr.toString() };
  }

  async disposeKeepingHome(archive: string, maxBytes: number): Promise<HomeKept> {
    if (this.disposed) return { kept: false, why: `test double ${this.name} was already disposed` };
    for (const shell of this.shells) if (isAlive(shell.pid)) shell.kill('SIGKILL');
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
    const kept = await packHomeArchive(
      { file: 'sh', args: ['-c', HOME_ARCHIVE_SCRIPT], env, cwd: this.workspace },
      archive,
      maxBytes,
      10_000,
    );
    await this.dispose();
    return kept;
  }

  private resolve(relPath: string): string {
    const file = path.resolve(this.workspace, relPath);
    if (!file.startsWith(`${this.workspace}${path.sep}`)) {
      throw new SandboxError('That path is outside your workspace', relPath);
    }
    return file;
  }
}

/** TEST DOUBLE of a Driver making PtySandboxDoubles; records them so tests can inspect them. */
export class PtyDriverDouble implements Driver {
  readonly name = 'local' as const;
  readonly created: PtySandboxDouble[] = [];
  /** When set, create() waits this long first (a slow VM) or rejects with it. */
  createDelayMs = 0;
  createFailure: SandboxError | null = null;

  async create(opts: { sessionId: string }): Promise<Sandbox> {
    if (this.createDelayMs) await new Promise((r) => setTimeout(r, this.createDelayMs));
    if (this.createFailure) throw this.createFailure;
    const sandbox = new PtySandboxDouble(
      `bl-${opts.sessionId}`,
      mkdtempSync(path.join(os.tmpdir(), 'bpflab-double-')),
    );
    this.created.push(sandbox);
    return sandbox;
  }

  async shutdown(): Promise<void> {
    await Promise.all(this.created.map((s) => s.dispose()));
  }
}

/** True while a process with this pid exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
