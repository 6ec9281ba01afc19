/**
 * The assert stage: the lab's checks judged against what the run found (checks.ts), in dependency
 * order; script checks run in the run directory, one after another, within the run's deadline.
 * A run that overran its deadline meanwhile is not judged: its evidence may be cut short.
 */
import type { CheckOf } from '../labs/schema.js';
import type { CheckResult } from '../protocol/lab.js';
import { evaluateChecks } from './checks.js';
import type { ScriptOutcome } from './evidence.js';
import type { Findings, GradeRun, StageOutcome } from './grade-run.js';

/** The checks' results, or a fault when the run overran its deadline meanwhile; never stops to be judged. */
export async function assertStage(
  run: GradeRun,
  findings: Findings,
): Promise<Exclude<StageOutcome<CheckResult[]>, { kind: 'judge' }>> {
  const done = run.stage('assert');
  const checks = await evaluateChecks(run.manifest.checks, findings.evidence, run.nonces, (check) =>
    runScript(run, check),
  );
  // Failed checks are the stage's result, not its failure: the grade says which and why.
  if (run.deadline.aborted) {
    done('fault');
    return { kind: 'fault', reason: run.overran() };
  }
  done('done');
  return { kind: 'continue', value: checks };
}

async function runScript(run: GradeRun, check: CheckOf<'script'>): Promise<ScriptOutcome> {
  const result = await run.sandbox.exec([`./${check.run}`], run.inRunDir(check.timeoutMs));
  run.log.add(`check ${check.id}`, `${result.stdout}${result.stderr}`);
  return result;
}
