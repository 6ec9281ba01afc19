/**
 * Which host directories a local sandbox must not see, and where they are covered. The sandbox
 * shares the host's root filesystem, so the server's data dir (all workspaces, the database,
 * the cookie secret) and the repository get an empty tmpfs on top. A directory already out of
 * sight (under another covered one, or under a path the sandbox replaces, like /root by the
 * workspace or /tmp by its own tmpfs) needs nothing more.
 */
import path from 'node:path';
import { isWithin } from '../workspace-path.js';

export type HiddenPaths = { ok: true; cover: string[] } | { ok: false; problem: string };

/**
 * @param secrets absolute, resolved directories to hide
 * @param replaced absolute mount points the sandbox puts its own filesystems on
 */
export function hiddenPaths(secrets: string[], replaced: string[]): HiddenPaths {
  for (const secret of secrets) {
    if (!path.isAbsolute(secret)) return { ok: false, problem: `${secret} is not an absolute path` };
    const inside = replaced.find((mountPoint) => isWithin(secret, mountPoint));
    if (inside && !replaced.some((mountPoint) => isWithin(mountPoint, secret))) {
      // Covering it would also cover a mount the sandbox needs (e.g. a data dir of "/").
      return {
        ok: false,
        problem: `${secret} contains ${inside}, which every sandbox needs; move it elsewhere`,
      };
    }
  }
  const cover = [...new Set(secrets)]
    .filter((secret) => !replaced.some((mountPoint) => isWithin(mountPoint, secret)))
    .filter((secret, _, all) => !all.some((other) => other !== secret && isWithin(other, secret)))
    .sort();
  return { ok: true, cover };
}
