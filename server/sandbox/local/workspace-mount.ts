/**
 * A local sandbox's workspace is a tmpfs of its own, mounted on the host at
 * `<data>/workspaces/<name>` (where the server reads and writes it) and bound at /root inside.
 * Its size is the workspace quota (BPFLAB_SANDBOX_DISK_MB): the kernel answers ENOSPC past it,
 * nothing polls. A workspace lives exactly as long as its sandbox (the learner's files are kept in
 * the database and copied in again on the next open), so memory is a fitting home: its pages are
 * charged to the memory cgroup of whoever writes them, the sandbox, within its memory limit.
 * What outlives it is the learner's home archive, packed from here on the host once nothing in
 * the sandbox runs any more (../home-archive.ts).
 */
import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { HOME_ARCHIVE_SCRIPT, type HomeKept, packHomeArchive } from '../home-archive.js';
import { processEnv } from '../host-process.js';

/** Small files are the common case; one inode per 4 KiB of quota lets them fill it, no more. */
const BYTES_PER_INODE = 4096;

const run = promisify(execFile);
/** umount's messages are matched below; keep them in English. */
const env = processEnv({ PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' });

export async function mountWorkspace(dir: string, quotaBytes: number): Promise<void> {
  const options = [
    `size=${quotaBytes}`,
    `nr_inodes=${Math.ceil(quotaBytes / BYTES_PER_INODE)}`,
    'mode=0700',
    'nosuid',
    'nodev',
  ];
  await run('mount', ['-t', 'tmpfs', '-o', options.join(','), 'bpflab-workspace', dir], { env }).catch(
    (error: unknown) => {
      throw new Error(`cannot mount the workspace tmpfs on ${dir}`, { cause: error });
    },
  );
}

/**
 * Packs a workspace into a home archive from the host. Only for a workspace whose sandbox no
 * longer runs anything: find and tar do not follow symlinks, but a learner swapping a directory
 * for one while they read could make them.
 */
export function packWorkspace(dir: string, archive: string, maxBytes: number): Promise<HomeKept> {
  return packHomeArchive(
    { file: 'sh', args: ['-c', HOME_ARCHIVE_SCRIPT], env: { PATH: env.PATH ?? '/usr/bin:/bin' }, cwd: dir },
    archive,
    maxBytes,
    PACK_TIMEOUT_MS,
  );
}

/** A workspace tmpfs holds at most the quota; packing it from memory takes well under this. */
const PACK_TIMEOUT_MS = 60_000;

/** Whether the workspace's tmpfs is still mounted (after a crash it is; after a reboot it is not). */
export async function isWorkspaceMounted(dir: string): Promise<boolean> {
  const mounts = await readFile('/proc/self/mountinfo', 'utf8');
  return mounts.split('\n').some((line) => line.split(' ')[4] === dir);
}

/** Unmount and remove a workspace; also one a crashed server left, mounted or not. */
export async function removeWorkspace(dir: string): Promise<void> {
  await unmount(dir);
  await rm(dir, { recursive: true, force: true });
}

/** Lazily: the last sandbox process may still be letting go of its bind of the tmpfs. */
async function unmount(dir: string): Promise<void> {
  await run('umount', ['--lazy', dir], { env }).catch((error: { stderr?: string }) => {
    if (!/not mounted|no mount point/i.test(error.stderr ?? '')) {
      throw new Error(`cannot unmount the workspace tmpfs on ${dir}`, { cause: error });
    }
  });
}
