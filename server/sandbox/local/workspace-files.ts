/**
 * Reading and writing a local sandbox's workspace from the server, on the host side of its bind
 * mount. Every component of the path is looked at before it is used: a symlink is followed only
 * when its target is still inside the workspace, so a learner's `ln -s /etc x` cannot make the
 * server read or write outside. (A learner swapping a directory for a symlink between our check
 * and our open could still race us; the local driver is for one trusted learner, see README.)
 */
import { chmod, lstat, mkdir, readFile, realpath, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SandboxError } from '../types.js';
import { isWithin, workspaceRelative } from '../workspace-path.js';

/** Workspace files are lab sources and results; anything bigger is a mistake, not a lab file. */
export const MAX_WORKSPACE_FILE_BYTES = 16 * 1024 * 1024;

export class WorkspaceFiles {
  /** @param root the workspace directory on the host, already resolved with realpath */
  constructor(private readonly root: string) {}

  async read(relPath: string): Promise<Buffer> {
    const file = await this.resolve(relPath, false);
    const info = await stat(file).catch((error: unknown) => {
      throw notFound(relPath, error);
    });
    if (!info.isFile()) throw new SandboxError(`"${relPath}" is not a file`, `${file} is not a regular file`);
    if (info.size > MAX_WORKSPACE_FILE_BYTES) {
      throw new SandboxError(`"${relPath}" is too large to open here`, `${file} is ${info.size} bytes`);
    }
    return readFile(file);
  }

  async write(relPath: string, content: string | Buffer, executable = false): Promise<void> {
    const file = await this.resolve(relPath, true);
    const written = writeFile(file, content).then(() => (executable ? chmod(file, 0o755) : undefined));
    await written.catch((error: unknown) => {
      throw new SandboxError(`"${relPath}" could not be saved`, `write ${file}: ${String(error)}`, {
        cause: error,
      });
    });
  }

  /** The host path for `relPath`, after checking every component; parents made when asked. */
  private async resolve(relPath: string, makeParents: boolean): Promise<string> {
    const rel = workspaceRelative(relPath);
    if (rel === '') throw new SandboxError('A file name is needed', 'empty workspace path');
    const segments = rel.split('/');
    const last = segments.pop() as string;
    let dir = this.root;
    for (const segment of segments) {
      const next = path.join(dir, segment);
      const info = await lstat(next).catch(() => null);
      if (!info) {
        if (!makeParents) throw notFound(relPath);
        // Concurrent writes into one new folder race to make it; whoever loses sees EEXIST, and
        // then checks what is there like any existing entry.
        await mkdir(next).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'EEXIST') throw error;
        });
        if (!(await lstat(next)).isDirectory()) throw notADirectory(relPath, next);
        dir = next;
      } else if (info.isSymbolicLink()) {
        dir = await this.followInside(next, relPath);
        if (!(await stat(dir)).isDirectory()) throw notADirectory(relPath, next);
      } else if (info.isDirectory()) {
        dir = next;
      } else {
        throw notADirectory(relPath, next);
      }
    }
    const file = path.join(dir, last);
    const info = await lstat(file).catch(() => null);
    return info?.isSymbolicLink() ? this.followInside(file, relPath) : file;
  }

  private async followInside(link: string, relPath: string): Promise<string> {
    const target = await realpath(link).catch(() => null);
    if (target === null || !isWithin(this.root, target)) {
      throw new SandboxError(
        `The path "${relPath}" is not inside your workspace`,
        `refused workspace path: ${link} is a symlink to ${target ?? 'a missing target'}`,
      );
    }
    return target;
  }
}

function notFound(relPath: string, cause?: unknown): SandboxError {
  return new SandboxError(`There is no file "${relPath}" in your workspace`, `ENOENT ${relPath}`, { cause });
}

function notADirectory(relPath: string, at: string): SandboxError {
  return new SandboxError(`The path "${relPath}" goes through a file`, `${at} is not a directory`);
}
