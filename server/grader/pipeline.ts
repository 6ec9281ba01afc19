/**
 * One grade run: compile → load → workload → collect → assert, in the learner's sandbox, in a run
 * directory of its own, the same stages for every driver. Each stage takes the run (grade-run.ts)
 * and returns an outcome: go on with a value, stop to be judged (the learner's code did not build
 * or load), or a platform fault. Every stage is bounded; the whole run is bounded by the lab's own
 * time plus the platform's overhead. Whatever happens, the runner is stopped (its programs detach
 * with it), the trace subscription closed and the run directory removed before the grade is
 * returned. Platform faults yield `gradable: false`; everything the learner's code does (fail to
 * build, be rejected, emit nothing, hang the workload) is graded.
 */
import type { Grade } from '../protocol/lab.js';
import { assertStage } from './assert-stage.js';
import { collectStage } from './collect-stage.js';
import { compileAhead, compileStage } from './compile-stage.js';
import { withCoreReport } from './core-report.js';
import {
  type GradeRequest,
  GradeRun,
  type RunCompileCache,
  type SharedKernelTrace,
  type StagesEnd,
} from './grade-run.js';
import { loadStage } from './load-stage.js';
import { recordedOf } from './run-recorded.js';
import { workloadStage } from './workload-stage.js';

export async function runGrade(
  req: GradeRequest,
  trace: SharedKernelTrace | null,
  compileCache: RunCompileCache | null = null,
): Promise<Grade> {
  const run = new GradeRun(req, trace, compileCache);
  try {
    const found = await runStages(run);
    if (found.kind === 'fault') return run.notGradable(found.reason);
    const judged = await assertStage(run, found.findings);
    if (judged.kind !== 'continue') return run.notGradable(judged.reason);
    const grade = withCoreReport(run.graded(judged.value, found.findings), run.held.runner?.core);
    // Run shows what the program recorded beside the grade; a Check's reply stays small.
    const ran = found.findings.evidence.run;
    return req.onOutput && ran ? { ...grade, recorded: recordedOf(run.manifest, ran) } : grade;
  } catch (error) {
    return run.crashed(error);
  } finally {
    await run.release();
  }
}

/** Builds the request's BPF objects into the compile cache, in a run directory of its own (compile-stage.ts). */
export async function runCompileAhead(req: GradeRequest, compileCache: RunCompileCache): Promise<void> {
  const run = new GradeRun(req, null, compileCache);
  let built = true; // until it says otherwise: a build that threw may have left files
  try {
    built = await compileAhead(run);
  } finally {
    // Files the cache already had wrote no run directory: there is none to remove.
    await run.release({ removeRunDir: built });
  }
}

/** The stages up to the assert stage, until one stops the run. */
async function runStages(run: GradeRun): Promise<StagesEnd> {
  const built = await compileStage(run);
  if (built.kind !== 'continue') return built;
  const loaded = await loadStage(run, built.value);
  if (loaded.kind !== 'continue') return loaded;
  const ran = await workloadStage(run);
  if (ran.kind !== 'continue') return ran;
  return collectStage(run, loaded.value, ran.value);
}
