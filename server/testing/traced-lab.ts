/**
 * hello-execve with a trace check added, and its solution made to print one `bpf_printk` line per
 * execve: the lab the grader's integration tests use to see that trace lines reach only the run
 * (and the learner) whose program printed them.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type Lab, loadLab, repoLabPaths } from '../labs/loader.js';
import { LabManifest } from '../labs/schema.js';

export interface TracedLab {
  /** hello-execve, its checks and one more: five trace lines naming the workload's programs. */
  traced: Lab;
  /** The solution printing `<who> pid N execs PATH` before each record it submits. */
  printing: (who: string) => string;
}

export async function tracedHelloExecve(repoRoot: string): Promise<TracedLab> {
  const paths = repoLabPaths(repoRoot);
  const loaded = await loadLab('hello-execve', paths);
  if (!loaded.ok) throw new Error(`hello-execve does not load: ${JSON.stringify(loaded.problems)}`);
  const hello = loaded.lab;
  const printed = {
    id: 'printed',
    title: 'One trace line per program',
    type: 'output',
    source: 'trace',
    match: { regex: 'execs \\./bin/hx-{{nonce}}-[1-5]$' },
    count: { exact: 5 },
  };
  const traced = {
    ...hello,
    manifest: LabManifest.parse({ ...hello.manifest, checks: [...hello.manifest.checks, printed] }),
  };
  const solution = await readFile(
    path.join(paths.labsDir, 'hello-execve', 'solution', 'hello.bpf.c'),
    'utf8',
  );
  const printing = (who: string) =>
    solution.replace(
      '\tbpf_ringbuf_submit(e, 0);',
      `\tbpf_printk("${who}${who ? ' ' : ''}pid %d execs %s", e->pid, e->filename);\n\tbpf_ringbuf_submit(e, 0);`,
    );
  return { traced, printing };
}
