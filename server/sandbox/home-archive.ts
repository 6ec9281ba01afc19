/**
 * A learner's home as a tar archive on the host, so it outlives the sandbox it was made in (see
 * server/session/home-vault.ts for whose archive goes where). Every driver packs and unpacks it
 * the same way:
 *
 * - packing runs HOME_ARCHIVE_SCRIPT in the workspace: directories, regular files and symlinks
 *   (never followed) with their modes; sockets, fifos, devices and the platform's scratch are
 *   left out; nothing of another file system. Its output streams into a file, refused past a byte limit.
 * - unpacking runs `tar -x` inside the sandbox (sandbox.exec), so whatever the archive holds
 *   (`..`, symlinks, a learner's own tar) lands in that sandbox and nowhere else.
 *
 * Archives live under `<data dir>/homes/` (0700, root's): no sandbox mounts or reaches the data
 * directory, and the server alone reads them.
 */
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { processEnv } from './host-process.js';
import type { ExecOptions, ExecResult } from './types.js';

/**
 * The platform's own folder in a workspace (the grader's per-attempt run directories, RUNS_DIR of
 * grader/run-dir.ts): scratch that a crash mid-Check may leave, never part of a home.
 */
const PLATFORM_SCRATCH = './.bpflab';

/** Run with the workspace as the current directory; the archive on stdout. */
export const HOME_ARCHIVE_SCRIPT =
  `find . -xdev -mindepth 1 -path ${PLATFORM_SCRATCH} -prune -o ` +
  '\\( -type f -o -type d -o -type l \\) -print0 | ' +
  'LC_ALL=C tar --null --no-recursion --numeric-owner -c -f - -T -';

/** The smallest archive tar writes, that of an empty home: its two zero end blocks. */
const TAR_END_BYTES = 1024;

/** How a home was (or was not) written to its archive when its sandbox went away. */
export type HomeKept = { kept: true; bytes: number } | { kept: false; why: string };

/** How an archive went back into a new sandbox; `why` is tar's complaint, for the operator. */
export type HomeRestored = { restored: true } | { restored: false; why: string };

/**
 * The largest archive kept of a workspace with quota `quotaBytes`: the quota, plus as much again
 * for tar's 512-byte headers and padding (a full quota of small files).
 */
export function homeArchiveLimit(quotaBytes: number): number {
  return 2 * quotaBytes;
}

/** Where saved homes live in the data directory. */
export function homesDir(dataDir: string): string {
  return path.join(dataDir, 'homes');
}

/**
 * Where a driver puts the home of a sandbox a crashed server left, before removing the sandbox;
 * the vault hands it to the learner who held that sandbox.
 */
export function salvagedHomePath(dataDir: string, sandboxName: string): string {
  return path.join(salvagedHomesDir(dataDir), `${sandboxName}.tar`);
}

export function salvagedHomesDir(dataDir: string): string {
  return path.join(homesDir(dataDir), 'salvaged');
}

export interface ArchiveCommand {
  file: string;
  args: string[];
  env: Record<string, string>;
  /** Where the command runs on the host (the local driver packs its workspace from the host). */
  cwd?: string;
}

/**
 * Runs `command` (HOME_ARCHIVE_SCRIPT, in the workspace) and writes its stdout to `archive`,
 * atomically: a half-written archive never replaces a whole one. Past `maxBytes` or `timeoutMs`
 * the command is killed and nothing is written. Never throws.
 */
export async function packHomeArchive(
  command: ArchiveCommand,
  archive: string,
  maxBytes: number,
  timeoutMs: number,
): Promise<HomeKept> {
  const partial = `${archive}.partial`;
  try {
    await mkdir(path.dirname(archive), { recursive: true, mode: 0o700 });
    const outcome = await streamToFile(command, partial, maxBytes, timeoutMs);
    if (!outcome.kept) {
      await rm(partial, { force: true });
      return outcome;
    }
    await rename(partial, archive);
    return outcome;
  } catch (error) {
    await rm(partial, { force: true }).catch(() => {});
    return { kept: false, why: `packing failed: ${String(error)}` };
  }
}

function streamToFile(
  command: ArchiveCommand,
  file: string,
  maxBytes: number,
  timeoutMs: number,
): Promise<HomeKept> {
  return new Promise((resolve, reject) => {
    const child = spawn(command.file, command.args, {
      cwd: command.cwd,
      env: processEnv(command.env),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = createWriteStream(file, { mode: 0o600 });
    let bytes = 0;
    let refused: string | null = null;
    let stderr = '';
    const stop = (why: string) => {
      refused ??= why;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => stop(`packing took longer than ${timeoutMs} ms`), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > maxBytes) stop(`the home is larger than ${maxBytes} bytes`);
      else out.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 4096) stderr += chunk.toString();
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      out.destroy();
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      out.end(() => {
        // tar exits 1 when a file changed while it was read: the archive is still whole. Any
        // other failure (of tar, or of the transport: ssh, limactl) keeps nothing, so it never
        // replaces a good archive with a broken or empty one.
        const changedWhileRead = code === 1 && /file changed as we read it/.test(stderr);
        if (refused !== null) resolve({ kept: false, why: refused });
        else if (code !== 0 && !changedWhileRead)
          resolve({ kept: false, why: `exited with ${code}: ${stderr.trim()}` });
        else if (bytes < TAR_END_BYTES) resolve({ kept: false, why: `only ${bytes} bytes came out` });
        else resolve({ kept: true, bytes });
      });
    });
  });
}

/** A sandbox's exec, as unpackHomeArchive needs it. */
export type SandboxExec = (argv: string[], opts: ExecOptions) => Promise<ExecResult>;

/** GNU tar's words for a file cut short because the workspace is full (ENOSPC). */
const CUT_SHORT =
  /^tar: (.+?): (?:Wrote only \d+ of \d+ bytes|Cannot (?:write|open|mkdir): No space left on device)$/;

/**
 * Unpacks `archive` (a file on the host, streamed) into the workspace by `tar -x` inside the
 * sandbox. A home that does not fit is restored as far as it
 * goes, and the files cut short are removed, so the workspace is not left full. Never throws.
 */
export async function unpackHomeArchive(exec: SandboxExec, archive: string): Promise<HomeRestored> {
  try {
    const result = await exec(['tar', '-x', '--no-same-owner', '-f', '-'], {
      timeoutMs: 60_000,
      maxOutputBytes: 64 * 1024,
      input: createReadStream(archive),
    });
    if (result.exitCode === 0) return { restored: true };
    const cutShort = result.stderr
      .split('\n')
      .map((line) => CUT_SHORT.exec(line)?.[1])
      .filter((name): name is string => name !== undefined);
    if (cutShort.length > 0)
      await exec(['rm', '-rf', '--', ...cutShort], { timeoutMs: 10_000, maxOutputBytes: 4096 });
    return { restored: false, why: result.stderr.trim() || `tar exited with ${result.exitCode}` };
  } catch (error) {
    return { restored: false, why: String(error) };
  }
}
