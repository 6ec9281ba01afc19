/**
 * The sandbox contract. A Driver makes, runs and removes learner sandboxes; a Sandbox is one
 * learner's isolated Linux with a kernel that can load BPF programs.
 *
 * Rules every driver MUST keep:
 * - create() MUST resolve only once the sandbox can run commands, or reject with a SandboxError
 *   whose `learnerMessage` a learner can read and whose `operatorDetail` holds the log tail.
 * - Paths given to readFile/writeFile are relative to the sandbox workspace; a path that escapes
 *   it (absolute, `..`, a symlink out) MUST be refused with a SandboxError, never followed.
 * - exec() MUST NOT throw for a command that fails, times out or prints too much: those are
 *   values in ExecResult. It throws only when the sandbox itself is broken or disposed.
 * - Output beyond `maxOutputBytes` MUST be dropped and flagged `truncated`, never buffered.
 * - A timed-out or aborted command MUST be killed with its whole process group.
 * - dispose() MUST leave no process, BPF program, map, link, pinned object, netns, mount or
 *   workspace of the sandbox behind, MUST be idempotent, and MUST NOT throw for a sandbox
 *   that is already gone. disposeKeepingHome() is dispose() that first packs the workspace
 *   into an archive on the host (home-archive.ts), at a moment the learner can no longer change
 *   it or race the packing; restoreHome() unpacks one inside the sandbox, never on the host.
 * - Inside the sandbox, the bpflab toolchain (runner, shared headers, vmlinux.h and its
 *   precompiled header) is at TOOLS_DIR, read-only.
 * - Commands (exec, spawn, terminals) run as root in the sandbox with a fixed environment:
 *   HOME is the workspace, PATH starts with TOOLS_DIR/bin, BPFLAB_SANDBOX is the sandbox name;
 *   nothing of the server's own environment reaches them.
 */

import type { Readable } from 'node:stream';
import type { KernelFeatures } from '../protocol/kernel-features.js';
import type { HomeKept, HomeRestored } from './home-archive.js';
import type { BpfBuilder } from './host-build.js';
import type { SandboxPty } from './pty.js';

export { TOOLS_DIR } from './tools-tree.js';

/** Every sandbox driver, by the name BPFLAB_DRIVER gives it. */
export const DRIVER_NAMES = ['local', 'vm', 'lima'] as const;
export type DriverName = (typeof DRIVER_NAMES)[number];

export interface ExecOptions {
  /** Kill the command (and its process group) after this many milliseconds. */
  timeoutMs: number;
  /** Keep at most this many bytes of stdout and of stderr each. */
  maxOutputBytes: number;
  /** Working directory, relative to the workspace. Defaults to the workspace root. */
  cwd?: string;
  env?: Record<string, string>;
  /** Written to the command's stdin, which is then closed; a stream is piped (a home archive). */
  input?: string | Buffer | Readable;
  signal?: AbortSignal;
}

export interface ExecResult {
  exitCode: number | null;
  /** Set when the command died of a signal (including our own kill on timeout). */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  truncated: boolean;
  durationMs: number;
}

/** A long-running command whose output is consumed while it runs (the BPF runner). */
export interface SandboxProcess {
  /** Called with each complete stdout line (without the newline). */
  onLine(listener: (line: string) => void): void;
  /** Closes the command's stdin; the runner treats EOF as "stop, drain and dump maps". */
  endInput(): void;
  kill(signal?: NodeJS.Signals): void;
  /** Resolves when the command has exited; stdout lines were already delivered to onLine. */
  readonly exited: Promise<ExecResult>;
}

/** A file for writeFiles(): a workspace-relative path, its content, whether it may be run. */
export interface WorkspaceFile {
  path: string;
  content: string | Buffer;
  executable?: boolean;
}

export interface TerminalOptions {
  cols: number;
  rows: number;
}

export interface Sandbox {
  /** Short, unique, safe for hostnames and instance names (e.g. `bl-3f9a2c`). */
  readonly name: string;
  readonly driver: DriverName;
  /**
   * How many times slower than the host this sandbox runs code: absent (1) unless its kernel is
   * emulated. exec() and spawn() stretch `timeoutMs` by it themselves; the grader stretches its
   * own timers (the run's deadline, the load limit), so a correct solution never fails for the
   * platform's speed.
   */
  readonly slowdown?: number;
  /**
   * Where Check builds BPF objects when not in the sandbox itself: a VM driver's builder compiles
   * on the host against the guest kernel's headers (host-build.ts), because clang in an emulated
   * guest is slow. Absent: everything is built in the sandbox.
   */
  readonly bpfBuilder?: BpfBuilder;
  exec(argv: string[], opts: ExecOptions): Promise<ExecResult>;
  spawn(argv: string[], opts: Omit<ExecOptions, 'input'>): SandboxProcess;
  /** A login shell in the workspace, as a pseudo-terminal (output as bytes). The caller owns and kills it. */
  openTerminal(opts: TerminalOptions): SandboxPty;
  writeFile(relPath: string, content: string | Buffer): Promise<void>;
  /**
   * Writes several files, in order, with the rules of writeFile (executable ones mode 0755): one
   * round trip where the sandbox is remote, which under emulation saves a second per file.
   */
  writeFiles(files: readonly WorkspaceFile[]): Promise<void>;
  readFile(relPath: string): Promise<Buffer>;
  /** Probed once per kernel and cached by the driver. */
  features(): Promise<KernelFeatures>;
  dispose(): Promise<void>;
  /**
   * Unpacks a home archive on the host (made by disposeKeepingHome of an earlier sandbox) into
   * the workspace, streamed, as far as it fits. Never throws: the outcome says what happened.
   */
  restoreHome(archive: string): Promise<HomeRestored>;
  /**
   * Writes the workspace as a tar to `archive` on the host (refused past `maxBytes`), then
   * disposes the sandbox; it is disposed whatever became of the home. An already disposed
   * sandbox keeps nothing.
   */
  disposeKeepingHome(archive: string, maxBytes: number): Promise<HomeKept>;
}

export interface CreateOptions {
  /** The learner session this sandbox belongs to; used for names, never trusted as a path. */
  sessionId: string;
}

export interface Driver {
  readonly name: DriverName;
  create(opts: CreateOptions): Promise<Sandbox>;
  /** Dispose every sandbox this driver made; called on server shutdown. */
  shutdown(): Promise<void>;
}

/** A failure of the sandbox platform (not of the learner), with a message for each audience. */
export class SandboxError extends Error {
  constructor(
    readonly learnerMessage: string,
    readonly operatorDetail: string,
    options?: { cause?: unknown },
  ) {
    super(`${learnerMessage}: ${operatorDetail}`, options);
    this.name = 'SandboxError';
  }
}
