/**
 * A sandbox on a kernel of its own, reached through a remote shell: a Lima VM through `limactl
 * shell … sudo`, a QEMU VM through ssh. Both drivers keep the contract the same way:
 *
 * - every command runs as root in the guest with the fixed sandbox environment, wrapped in the
 *   guest's own `timeout`, the backstop that ends a command even when killing the local client
 *   does not reach the guest;
 * - files travel through the command's stdin (in) and stdout as base64 (out), placed by a root
 *   shell that refuses paths resolving outside the workspace (symlinks included);
 * - dispose is the driver's (stop and delete the VM), run once; disposeKeepingHome packs the
 *   workspace in the guest (so no path in it means anything on the host) and streams the archive
 *   out over the same shell first.
 */
import type { KernelFeatures } from '../protocol/kernel-features.js';
import {
  HOME_ARCHIVE_SCRIPT,
  type HomeKept,
  type HomeRestored,
  packHomeArchive,
  unpackHomeArchive,
} from './home-archive.js';
import type { BpfBuilder } from './host-build.js';
import { type HostCommand, processEnv, runHostCommand, startHostCommand } from './host-process.js';
import { type SandboxPty, spawnPty } from './pty.js';
import { tarArchive } from './tar.js';
import {
  type DriverName,
  type ExecOptions,
  type ExecResult,
  type Sandbox,
  SandboxError,
  type SandboxProcess,
  type TerminalOptions,
  TOOLS_DIR,
  type WorkspaceFile,
} from './types.js';
import { insideWorkspace, workspaceRelative } from './workspace-path.js';

/** How a driver reaches its guest. */
export interface RemoteShell {
  /**
   * The host command that runs `argv` as root in the guest, in `cwd`, with exactly `env`.
   * `tty`: in a pseudo-terminal (for a login shell), else with plain pipes.
   */
  command(cwd: string, env: Record<string, string>, argv: string[], tty: boolean): HostCommand;
}

export interface RemoteSandboxParts {
  name: string;
  driver: DriverName;
  slowdown?: number;
  bpfBuilder?: BpfBuilder;
  /** The workspace's absolute path in the guest (HOME of every command). */
  workspace: string;
  shell: RemoteShell;
  probe(sandbox: Sandbox): Promise<KernelFeatures>;
  /** Stops and deletes the guest; never throws. */
  destroy(): Promise<void>;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** The remote `timeout` fires this long after ours, so ours (with a clean result) comes first. */
const REMOTE_GRACE_S = 2;
const FILE_OP = { timeoutMs: 60_000, maxOutputBytes: 64 * 1024 };
/** Largest file readFile returns (it travels as base64 on stdout). */
const MAX_READ_BYTES = 16 * 1024 * 1024;

/**
 * In the workspace ($PWD): exit 3 unless $1 resolves inside it; else run the rest with the
 * resolved path appended. `realpath -m` follows every symlink that exists.
 */
const INSIDE = `target=$(realpath -m -- "$1") || exit 3
case $target in "$PWD"/*) ;; *) echo "outside the workspace: $target" >&2; exit 3 ;; esac
shift; "$@" "$target"`;
const PLACE = 'mkdir -p -- "$(dirname -- "$1")" && cat >"$1"';
const READ = `test -f "$1" || exit 4
size=$(stat -c %s -- "$1") || exit 5
test "$size" -le ${MAX_READ_BYTES} || { echo "larger than ${MAX_READ_BYTES} bytes" >&2; exit 5; }
base64 -w0 -- "$1"`;

export class RemoteSandbox implements Sandbox {
  readonly name: string;
  readonly driver: DriverName;
  readonly slowdown?: number;
  readonly bpfBuilder?: BpfBuilder;
  private disposing: Promise<void> | null = null;

  constructor(private readonly parts: RemoteSandboxParts) {
    this.name = parts.name;
    this.driver = parts.driver;
    if (parts.slowdown !== undefined) this.slowdown = parts.slowdown;
    if (parts.bpfBuilder !== undefined) this.bpfBuilder = parts.bpfBuilder;
  }

  async exec(argv: string[], opts: ExecOptions): Promise<ExecResult> {
    const stretched = this.stretch(opts);
    return runHostCommand(this.command(argv, stretched), stretched);
  }

  spawn(argv: string[], opts: Omit<ExecOptions, 'input'>): SandboxProcess {
    const stretched = this.stretch(opts);
    return startHostCommand(this.command(argv, stretched), stretched);
  }

  openTerminal(opts: TerminalOptions): SandboxPty {
    this.assertUsable();
    const env = this.environment({ TERM: 'xterm-256color' });
    const command = this.parts.shell.command(this.parts.workspace, env, ['bash', '--login'], true);
    return spawnPty(command.file, command.args, {
      name: 'xterm-256color',
      cols: opts.cols,
      rows: opts.rows,
      env: processEnv({ ...command.env, TERM: 'xterm-256color' }),
    });
  }

  async writeFile(relPath: string, content: string | Buffer): Promise<void> {
    const placed = await this.exec(
      ['sh', '-c', INSIDE, 'bpflab-place', nonEmpty(relPath), 'sh', '-c', PLACE, 'place'],
      {
        ...FILE_OP,
        input: content,
      },
    );
    this.refuseOutside(placed, relPath);
    if (placed.exitCode !== 0) {
      throw new SandboxError(
        `"${relPath}" could not be saved`,
        `${this.name}: place ${relPath}: ${placed.stderr.trim()}`,
      );
    }
  }

  async writeFiles(files: readonly WorkspaceFile[]): Promise<void> {
    if (files.length === 0) return;
    // GNU tar refuses members that climb out with `..`; the paths were checked here already.
    const archive = tarArchive(files.map((f) => ({ ...f, path: nonEmpty(f.path) })));
    const unpacked = await this.exec(['tar', '-x', '--no-same-owner', '-f', '-'], {
      ...FILE_OP,
      input: archive,
    });
    if (unpacked.exitCode !== 0) {
      throw new SandboxError(
        'Your files could not be saved',
        `${this.name}: tar -x of ${files.map((f) => f.path).join(', ')}: ${unpacked.stderr.trim()}`,
      );
    }
  }

  async readFile(relPath: string): Promise<Buffer> {
    const read = await this.exec(
      ['sh', '-c', INSIDE, 'bpflab-read', nonEmpty(relPath), 'sh', '-c', READ, 'read'],
      {
        timeoutMs: FILE_OP.timeoutMs,
        maxOutputBytes: Math.ceil((MAX_READ_BYTES * 4) / 3) + 16,
      },
    );
    this.refuseOutside(read, relPath);
    if (read.exitCode === 4) {
      throw new SandboxError(
        `There is no file "${relPath}" in your workspace`,
        `ENOENT ${relPath} in ${this.name}`,
      );
    }
    if (read.exitCode !== 0) {
      throw new SandboxError(
        `"${relPath}" could not be read`,
        `${this.name}: read ${relPath}: ${read.stderr.trim()}`,
      );
    }
    return Buffer.from(read.stdout, 'base64');
  }

  features(): Promise<KernelFeatures> {
    this.assertUsable();
    return this.parts.probe(this);
  }

  dispose(): Promise<void> {
    this.disposing ??= this.parts.destroy();
    return this.disposing;
  }

  restoreHome(archive: string): Promise<HomeRestored> {
    return unpackHomeArchive((argv, opts) => this.exec(argv, opts), archive);
  }

  async disposeKeepingHome(archive: string, maxBytes: number): Promise<HomeKept> {
    if (this.disposing) {
      await this.disposing;
      return { kept: false, why: `${this.name} was already disposed` };
    }
    const timeoutMs = FILE_OP.timeoutMs * (this.slowdown ?? 1);
    const packing = packHomeArchive(
      this.command(['sh', '-c', HOME_ARCHIVE_SCRIPT], { timeoutMs }),
      archive,
      maxBytes,
      timeoutMs,
    );
    this.disposing = packing.then(() => this.parts.destroy());
    await this.disposing;
    return packing;
  }

  /** Time limits are host time; an emulated guest gets them stretched by its slowdown. */
  private stretch<T extends { timeoutMs: number }>(opts: T): T {
    return this.slowdown ? { ...opts, timeoutMs: opts.timeoutMs * this.slowdown } : opts;
  }

  private command(argv: string[], opts: Pick<ExecOptions, 'cwd' | 'env' | 'timeoutMs'>): HostCommand {
    this.assertUsable();
    if (argv.length === 0) throw new Error('exec needs a command');
    const seconds = Math.ceil(opts.timeoutMs / 1000) + REMOTE_GRACE_S;
    const remote = ['timeout', '--kill-after=2s', `${seconds}s`, ...argv];
    const cwd = insideWorkspace(this.parts.workspace, opts.cwd ?? '');
    return this.parts.shell.command(cwd, this.environment(opts.env ?? {}), remote, false);
  }

  /** The sandbox environment plus `env`, names checked (they become shell words in the guest). */
  private environment(env: Record<string, string>): Record<string, string> {
    const vars = {
      PATH: `${TOOLS_DIR}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
      HOME: this.parts.workspace,
      LANG: 'C.UTF-8',
      BPFLAB_SANDBOX: this.name,
      BPFLAB_TOOLS_DIR: TOOLS_DIR,
      ...env,
    };
    const bad = Object.keys(vars).find((key) => !ENV_NAME.test(key));
    if (bad !== undefined) throw new Error(`not an environment variable name: ${JSON.stringify(bad)}`);
    return vars;
  }

  private refuseOutside(result: ExecResult, relPath: string): void {
    if (result.exitCode === 3) {
      throw new SandboxError(`The path "${relPath}" is not inside your workspace`, result.stderr.trim());
    }
  }

  private assertUsable(): void {
    if (this.disposing) throw new SandboxError('Your sandbox has been stopped', `${this.name} is disposed`);
  }
}

function nonEmpty(relPath: string): string {
  const rel = workspaceRelative(relPath);
  if (rel === '') throw new SandboxError('A file name is needed', 'empty workspace path');
  return rel;
}

/** `argv` as one POSIX shell command line (for transports that hand a string to a remote shell). */
export function shellQuote(argv: string[]): string {
  return argv
    .map((word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`))
    .join(' ');
}
