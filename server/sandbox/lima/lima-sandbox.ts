/**
 * One learner's Lima VM. Commands run as root in the VM (as in a local sandbox), through
 * `limactl shell NAME -- sudo -n env … timeout …`: the remote `timeout` is the backstop that ends
 * a command even when killing our local limactl does not reach the VM. Files travel with
 * `limactl copy` through a staging file in the VM's /tmp, and are moved into the workspace by a
 * root shell that refuses paths resolving outside it.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { IPty } from 'node-pty';
import * as pty from 'node-pty';
import type { KernelFeatures } from '../features.js';
import { runHostCommand, startHostCommand } from '../host-process.js';
import {
  type ExecOptions,
  type ExecResult,
  type Sandbox,
  SandboxError,
  type SandboxProcess,
  type TerminalOptions,
  TOOLS_DIR,
} from '../types.js';
import { insideWorkspace, workspaceRelative } from '../workspace-path.js';
import type { Limactl } from './limactl.js';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** The remote `timeout` fires this long after ours, so ours (with a clean result) comes first. */
const REMOTE_GRACE_S = 2;
const FILE_OP = { timeoutMs: 60_000, maxOutputBytes: 64 * 1024 };

/**
 * In the workspace ($PWD): exit 3 unless $1 resolves inside it; else run the rest with the
 * resolved path appended. `realpath -m` follows every symlink that exists.
 */
const INSIDE = `target=$(realpath -m -- "$1") || exit 3
case $target in "$PWD"/*) ;; *) echo "outside the workspace: $target" >&2; exit 3 ;; esac
shift; "$@" "$target"`;
const PLACE = `mkdir -p -- "$(dirname -- "$2")" && cat -- "$1" >"$2"; status=$?; rm -f -- "$1"; exit $status`;
const STAGE = `test -f "$2" || exit 4; cp -- "$2" "$1" && chmod 0644 -- "$1"`;

export interface LimaInstance {
  name: string;
  /** The workspace's absolute path in the VM. */
  workspace: string;
}

export interface LimaSandboxParts {
  limactl: Limactl;
  /** A private directory on the host for files on their way in or out. */
  staging: string;
  probe(sandbox: Sandbox): Promise<KernelFeatures>;
  /** Stops and deletes the VM. */
  destroy(name: string): Promise<void>;
}

export class LimaSandbox implements Sandbox {
  readonly driver = 'lima' as const;
  readonly name: string;
  private disposing: Promise<void> | null = null;

  constructor(
    private readonly instance: LimaInstance,
    private readonly parts: LimaSandboxParts,
  ) {
    this.name = instance.name;
  }

  async exec(argv: string[], opts: ExecOptions): Promise<ExecResult> {
    return runHostCommand(this.command(argv, opts), opts);
  }

  spawn(argv: string[], opts: Omit<ExecOptions, 'input'>): SandboxProcess {
    return startHostCommand(this.command(argv, opts), opts);
  }

  openTerminal(opts: TerminalOptions): IPty {
    this.assertUsable();
    const { limactl } = this.parts;
    const args = this.shellArgs(this.instance.workspace, { TERM: 'xterm-256color' }, ['bash', '--login']);
    return pty.spawn(limactl.exe, args, {
      name: 'xterm-256color',
      cols: opts.cols,
      rows: opts.rows,
      env: { ...limactl.env, TERM: 'xterm-256color' },
    });
  }

  async writeFile(relPath: string, content: string | Buffer): Promise<void> {
    this.assertUsable();
    const rel = nonEmpty(relPath);
    const local = path.join(this.parts.staging, `in-${randomBytes(6).toString('hex')}`);
    const remote = `/tmp/bpflab-in-${this.name}-${randomBytes(6).toString('hex')}`;
    await writeFile(local, content);
    try {
      await this.copy(local, `${this.name}:${remote}`);
      const placed = await this.exec(
        ['sh', '-c', INSIDE, 'bpflab-place', rel, 'sh', '-c', PLACE, 'place', remote],
        FILE_OP,
      );
      this.refuseOutside(placed, relPath);
      if (placed.exitCode !== 0) {
        throw new SandboxError(`"${relPath}" could not be saved`, `place ${remote}: ${placed.stderr.trim()}`);
      }
    } finally {
      await rm(local, { force: true });
    }
  }

  async readFile(relPath: string): Promise<Buffer> {
    this.assertUsable();
    const rel = nonEmpty(relPath);
    const remote = `/tmp/bpflab-out-${this.name}-${randomBytes(6).toString('hex')}`;
    const local = path.join(this.parts.staging, `out-${randomBytes(6).toString('hex')}`);
    try {
      const staged = await this.exec(
        ['sh', '-c', INSIDE, 'bpflab-stage', rel, 'sh', '-c', STAGE, 'stage', remote],
        FILE_OP,
      );
      this.refuseOutside(staged, relPath);
      if (staged.exitCode === 4) {
        throw new SandboxError(
          `There is no file "${relPath}" in your workspace`,
          `ENOENT ${rel} in ${this.name}`,
        );
      }
      if (staged.exitCode !== 0) {
        throw new SandboxError(`"${relPath}" could not be read`, `stage ${rel}: ${staged.stderr.trim()}`);
      }
      await this.copy(`${this.name}:${remote}`, local);
      return await readFile(local);
    } finally {
      await rm(local, { force: true });
      await this.exec(['rm', '-f', '--', remote], FILE_OP).catch(() => {});
    }
  }

  async features(): Promise<KernelFeatures> {
    this.assertUsable();
    return this.parts.probe(this);
  }

  dispose(): Promise<void> {
    this.disposing ??= this.parts.destroy(this.name);
    return this.disposing;
  }

  private command(argv: string[], opts: Pick<ExecOptions, 'cwd' | 'env' | 'timeoutMs'>) {
    this.assertUsable();
    if (argv.length === 0) throw new Error('exec needs a command');
    const seconds = Math.ceil(opts.timeoutMs / 1000) + REMOTE_GRACE_S;
    const remote = ['timeout', '--kill-after=2s', `${seconds}s`, ...argv];
    const cwd = insideWorkspace(this.instance.workspace, opts.cwd ?? '');
    return this.parts.limactl.command(this.shellArgs(cwd, opts.env ?? {}, remote));
  }

  /** `limactl shell` running `argv` as root in `cwd`, with the sandbox environment plus `env`. */
  private shellArgs(cwd: string, env: Record<string, string>, argv: string[]): string[] {
    const vars = {
      PATH: `${TOOLS_DIR}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
      HOME: this.instance.workspace,
      LANG: 'C.UTF-8',
      BPFLAB_SANDBOX: this.name,
      BPFLAB_TOOLS_DIR: TOOLS_DIR,
      ...env,
    };
    const bad = Object.keys(vars).find((key) => !ENV_NAME.test(key));
    if (bad !== undefined) throw new Error(`not an environment variable name: ${JSON.stringify(bad)}`);
    const assignments = Object.entries(vars).map(([key, value]) => `${key}=${value}`);
    return ['shell', `--workdir=${cwd}`, this.name, '--', 'sudo', '-n', 'env', ...assignments, ...argv];
  }

  private async copy(from: string, to: string): Promise<void> {
    const copied = await this.parts.limactl.run(['copy', from, to], FILE_OP.timeoutMs);
    if (copied.exitCode !== 0) {
      throw new SandboxError(
        'Your files could not be transferred',
        `limactl copy ${from} ${to}: ${copied.stderr}`,
      );
    }
  }

  private refuseOutside(result: ExecResult, relPath: string): void {
    if (result.exitCode === 3) {
      throw new SandboxError(`The path "${relPath}" is not inside your workspace`, result.stderr.trim());
    }
  }

  private assertUsable(): void {
    if (this.disposing)
      throw new SandboxError('Your sandbox has been stopped', `VM ${this.name} is disposed`);
  }
}

function nonEmpty(relPath: string): string {
  const rel = workspaceRelative(relPath);
  if (rel === '') throw new SandboxError('A file name is needed', 'empty workspace path');
  return rel;
}
