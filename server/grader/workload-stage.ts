/**
 * The workload stage: the lab's command that makes the attached programs fire, run in the run
 * directory with BPFLAB_NONCE and cut at the lab's own `timeoutMs`. What the workload does is the
 * learner's program's doing (a hang, a crash): it is told to the learner and the run goes on to
 * collect what was seen, never a fault. An overrun is also recorded on the run, for
 * `bpflab validate`, which fails a lab whose workload does not end on its own.
 */
import type { GradeRun, StageOutcome } from './grade-run.js';

export interface WorkloadResult {
  /** Why the workload did not finish cleanly (stopped at its limit, a failing status), in words. */
  problem?: string;
}

export async function workloadStage(run: GradeRun): Promise<StageOutcome<WorkloadResult>> {
  const workload = run.manifest.workload;
  if (!workload) return { kind: 'continue', value: {} };
  const done = run.stage('workload');
  const result = await run.sandbox.exec(workload.run, run.inRunDir(workload.timeoutMs));
  run.log.add('workload output', `${result.stdout}${result.stderr}`);
  run.workloadTimedOut = result.timedOut;
  const problem = result.timedOut
    ? `The workload did not finish within ${workload.timeoutMs / 1000} s and was stopped.`
    : result.exitCode !== 0
      ? `The workload ended with ${result.signal ?? `status ${result.exitCode}`}.`
      : undefined;
  done(problem ? 'rejected' : 'done');
  return { kind: 'continue', value: problem ? { problem } : {} };
}
