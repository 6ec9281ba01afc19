/**
 * Paths a caller gives for workspace files and working directories. They are relative to the
 * workspace and never leave it: the lexical rules are checked here, for every driver; symlinks
 * are the driver's to check, on the filesystem that holds the workspace.
 */
import path from 'node:path';
import { SandboxError } from './types.js';

/**
 * The normalised relative path (`''` for the workspace itself), or a SandboxError for a path
 * that is absolute, contains NUL, or climbs out with `..`.
 */
export function workspaceRelative(relPath: string): string {
  const refuse = (why: string) =>
    new SandboxError(`The path "${relPath}" is not inside your workspace`, `refused workspace path: ${why}`);
  if (relPath.includes('\0')) throw refuse('contains NUL');
  if (path.posix.isAbsolute(relPath)) throw refuse('absolute');
  const normal = path.posix.normalize(relPath === '' ? '.' : relPath);
  if (normal === '..' || normal.startsWith('../')) throw refuse('climbs out with ..');
  return normal === '.' ? '' : normal.replace(/\/+$/, '');
}

/** `relPath` (already checked) below the workspace's absolute path inside the sandbox. */
export function insideWorkspace(workspace: string, relPath: string): string {
  const rel = workspaceRelative(relPath);
  return rel === '' ? workspace : path.posix.join(workspace, rel);
}

/** True when `candidate` is `dir` itself or below it (both absolute and normalised). */
export function isWithin(dir: string, candidate: string): boolean {
  return candidate === dir || candidate.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
}
