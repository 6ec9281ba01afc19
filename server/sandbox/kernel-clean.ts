/**
 * "Clean kernel side": detaches every BPF program of a learner's sandbox, unpins its objects and
 * resets its network namespace's qdiscs, without replacing the sandbox (the learner keeps their
 * shells, files and processes that hold no BPF object). kernel-clean.sh does the work inside the
 * sandbox, the same for every driver; this module runs it and turns what it printed into
 * sentences a learner reads.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { KernelCleanReport, RemovedFromKernel } from '../protocol/session.js';
import type { Sandbox } from './types.js';

const SCRIPT = readFileSync(path.join(import.meta.dirname, 'kernel-clean.sh'), 'utf8');

/** Stopping loaders waits up to a second for them to exit; the rest is a few bpftool and tc calls. */
const CLEAN_TIMEOUT_MS = 20_000;

export async function cleanKernelSide(sandbox: Sandbox): Promise<KernelCleanReport> {
  const result = await sandbox.exec(['sh', '-s'], {
    input: SCRIPT,
    timeoutMs: CLEAN_TIMEOUT_MS,
    maxOutputBytes: 256 * 1024,
  });
  const report = parseCleanOutput(result.stdout);
  if (result.timedOut) report.problems.push('The clean-up did not finish in time; run it again.');
  else if (result.exitCode !== 0) {
    report.problems.push(`The clean-up stopped early: ${result.stderr.trim() || `exit ${result.exitCode}`}.`);
  }
  return report;
}

/** kernel-clean.sh's lines (see its header) as sentences; unknown or short lines are ignored. */
export function parseCleanOutput(stdout: string): KernelCleanReport {
  const removed: RemovedFromKernel[] = [];
  const problems: string[] = [];
  for (const line of stdout.split('\n')) {
    const [kind, ...f] = line.split('\t');
    switch (kind) {
      case 'process':
        if (f.length >= 5) {
          const held = [count(f[2], 'program'), count(f[3], 'map'), count(f[4], 'link')].filter(Boolean);
          removed.push({
            kind,
            text: `Stopped process ${f[0]} (${f[1]}), which held ${joinWords(held)} open`,
          });
        }
        break;
      case 'pin':
        if (f.length >= 2) {
          removed.push({ kind, text: `Unpinned ${f[0]}${f[1] === 'other' ? '' : ` (a ${f[1]})`}` });
        }
        break;
      case 'xdp':
        if (f.length >= 4) {
          removed.push({
            kind,
            text: `Took program ${f[3] ? `${f[3]} (id ${f[2]})` : `id ${f[2]}`} off the ${f[1]} XDP hook of ${f[0]}`,
          });
        }
        break;
      case 'qdisc':
        if (f.length >= 2) {
          const filters = (f[2] ?? '').split(',').filter(Boolean);
          removed.push({
            kind,
            text:
              `Deleted the ${f[1]} qdisc of ${f[0]}` +
              (filters.length > 0
                ? ` with its tc program${filters.length > 1 ? 's' : ''} ${filters.join(', ')}`
                : ''),
          });
        }
        break;
      case 'cgroup':
        if (f.length >= 4) {
          removed.push({ kind, text: `Detached program ${f[3]} (id ${f[2]}, ${f[1]}) from ${f[0]}` });
        }
        break;
      case 'warning':
        if (f[0]) problems.push(`Could not finish: ${f.join(' ')}`);
        break;
    }
  }
  return { removed, problems };
}

function count(field: string | undefined, noun: string): string {
  const n = Number(field);
  return n > 0 ? `${n} ${noun}${n === 1 ? '' : 's'}` : '';
}

function joinWords(words: string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}
