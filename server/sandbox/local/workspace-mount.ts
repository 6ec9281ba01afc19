/**
 * A local sandbox's workspace is a tmpfs of its own, mounted on the host at
 * `<data>/workspaces/<name>` (where the server reads and writes it) and bound at /root inside.
 * Its size is the workspace quota (BPFLAB_SANDBOX_DISK_MB): the kernel answers ENOSPC past it,
 * nothing polls. A workspace lives exactly as long as its sandbox (the learner's files are kept in
 * the database and copied in again on the next open), so memory is a fitting home: its pages are
 * charged to the memory cgroup of whoever writes them, the sandbox, within its memory limit.
 */
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { promisify } from 'node:util';
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
