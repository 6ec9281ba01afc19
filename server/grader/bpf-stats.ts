/**
 * kernel.bpf_stats_enabled on the server's own kernel, for local sandboxes: they lack the
 * CAP_SYS_ADMIN the runner's `--stats` (BPF_ENABLE_STATS) needs, so the server writes the sysctl
 * for as long as any grade run that judges run counts or run times lasts, and then puts back the
 * value it found. The sysctl is host-wide: while it is on, every BPF program on the host pays for
 * the two clock reads per run that the statistics cost. A server killed while holding it leaves
 * it on (harmless but for that cost): `sysctl kernel.bpf_stats_enabled=0` turns it off.
 */
import { readFile, writeFile } from 'node:fs/promises';

export const BPF_STATS_SYSCTL = '/proc/sys/kernel/bpf_stats_enabled';

let holders = 0;
/** The sysctl's value before the first holder, put back when the last one lets go. */
let found: string | null = null;
/** Reads and writes of the sysctl, one after another. */
let queue: Promise<unknown> = Promise.resolve();

function serially<T>(step: () => Promise<T>): Promise<T> {
  const next = queue.then(step, step);
  queue = next.catch(() => {});
  return next;
}

/**
 * Turns the statistics on until the returned function is called (once). A sysctl that cannot be
 * written (not root) leaves them off: the runner then says so in a warning, and the checks that
 * need them fail with that reason.
 */
export async function holdBpfStats(): Promise<() => Promise<void>> {
  const held = await serially(async () => {
    if (holders === 0) {
      try {
        found = (await readFile(BPF_STATS_SYSCTL, 'utf8')).trim();
        if (found !== '1') await writeFile(BPF_STATS_SYSCTL, '1\n');
      } catch (error) {
        console.error(`bpflab: cannot turn on ${BPF_STATS_SYSCTL}: ${String(error)}`);
        found = null;
        return false;
      }
    }
    holders++;
    return true;
  });
  let released = !held;
  return async () => {
    if (released) return;
    released = true;
    await serially(async () => {
      holders--;
      if (holders > 0 || found === null || found === '1') return;
      await writeFile(BPF_STATS_SYSCTL, `${found}\n`).catch((error: unknown) => {
        console.error(`bpflab: cannot restore ${BPF_STATS_SYSCTL} to ${found}: ${String(error)}`);
      });
    });
  };
}
