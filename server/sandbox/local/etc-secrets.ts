/**
 * Which files of the host's /etc a local sandbox must see as empty. /etc is bound read-only into
 * every sandbox (the dynamic linker, passwd, alternatives and the rest are needed by the tools),
 * and learners are root there, so the rule is the host's own: whatever the owner keeps from other
 * users (shadow, gshadow, ssl/private, a database's pg_hba.conf) is a secret. A hidden directory
 * hides its contents, so nothing under it is listed.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export async function etcSecrets(etc = '/etc'): Promise<{ path: string; directory: boolean }[]> {
  // Symlinks are always "readable" (mode 0777) and are not followed: their targets are checked
  // where they live, if under /etc.
  const { stdout } = await promisify(execFile)(
    'find',
    [etc, '-xdev', '-mindepth', '1', '!', '-perm', '-o=r', '-prune', '-printf', '%y %p\\0'],
    { maxBuffer: 4 * 1024 * 1024 },
  ).catch((error: unknown) => {
    throw new Error(`cannot list the secrets in ${etc} to hide them from sandboxes`, { cause: error });
  });
  return stdout
    .split('\0')
    .filter(Boolean)
    .map((line) => ({ path: line.slice(2), directory: line.startsWith('d ') }))
    .sort((a, b) => a.path.localeCompare(b.path));
}
