/**
 * hello-execve programs a learner could write to hurt the grader, for the containment and crash
 * tests: each is the lab's solution with one addition, so it compiles and the harm is the only
 * difference.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { cgroupsNamed } from '../sandbox/local/itest-support.js';

const SUBMIT = '\tbpf_ringbuf_submit(e, 0);';
const repo = path.resolve(import.meta.dirname, '../..');

export const helloExecveSolution = () =>
  readFile(path.join(repo, 'labs/hello-execve/solution/hello.bpf.c'), 'utf8');

function beforeSubmit(solution: string, code: string): string {
  if (!solution.includes(SUBMIT)) throw new Error(`the hello-execve solution no longer has "${SUBMIT}"`);
  return solution.replace(SUBMIT, `${code}\n${SUBMIT}`);
}

/**
 * A loop whose counter the verifier knows exactly, so it walks every one of the million
 * iterations: "BPF program is too large. Processed 1000001 insn", after a few seconds of kernel
 * time and megabytes of verifier log.
 */
export const exhaustingVerifier = (solution: string) =>
  beforeSubmit(solution, '\tfor (u32 i = 0; i < 1000000; i++)\n\t\te->pid = e->pid * 31 + i;');

/**
 * SIGSTOPs the workload's first program as it starts, so the workload waits for it forever and the
 * runner stays loaded. Only processes of the sandbox with cgroup (v2) id `cgroupId` are touched: the
 * program sees every execve on this shared kernel, other people's runs of this lab included.
 */
export const stoppingWorkload = (solution: string, cgroupId: bigint) =>
  beforeSubmit(
    solution,
    `\tif (bpf_get_current_cgroup_id() == ${cgroupId}ULL && bpf_strncmp(e->filename, 9, "./bin/hx-") == 0)\n\t\tbpf_send_signal(19 /* SIGSTOP */);`,
  );

/** The id bpf_get_current_cgroup_id() gives a process of sandbox `name`: its cgroup v2 inode. */
export async function sandboxCgroupId(name: string): Promise<bigint> {
  for (const dir of await cgroupsNamed(name)) {
    const v2 = await stat(path.join(dir, 'cgroup.controllers')).then(
      () => true,
      () => false,
    );
    if (v2) return (await stat(dir, { bigint: true })).ino;
  }
  throw new Error(`sandbox ${name} has no cgroup v2 directory`);
}
