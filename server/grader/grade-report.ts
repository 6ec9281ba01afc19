/**
 * Turns a run's outcome into the Grade the browser shows: the score, a one-line message that
 * names the first thing to fix, and a capped log of what the tools said, verbatim.
 */
import type { Check } from '../labs/schema.js';
import type { CheckResult, Diagnostic, Grade, Stage, StageEnd, StageProgressEvent } from '../protocol/lab.js';
import { LIMITS } from './limits.js';

export type Timings = Grade['timings'];

/** Sections of raw tool output, cut at LIMITS.logBytes (the start of each section matters most). */
export class GradeLog {
  private readonly sections: string[] = [];

  add(title: string, text: string): void {
    const body = text.trimEnd();
    if (body !== '') this.sections.push(`── ${title} ──\n${body}`);
  }

  text(): string {
    const all = this.sections.join('\n\n');
    return all.length <= LIMITS.logBytes
      ? all
      : `${all.slice(0, LIMITS.logBytes)}\n… (log cut at ${LIMITS.logBytes / 1024} KiB)`;
  }
}

export interface GradeContext {
  /** The first thing that went wrong, in words, when something did. */
  problem?: string;
}

export function gradeOf(
  checks: CheckResult[],
  diagnostics: Diagnostic[],
  timings: Timings,
  log: GradeLog,
  context: GradeContext,
): Grade {
  const score = checks.reduce((sum, c) => sum + c.points, 0);
  const maxScore = checks.reduce((sum, c) => sum + c.maxPoints, 0);
  const passed = checks.filter((c) => c.status === 'passed').length;
  const tally =
    passed === checks.length
      ? `All ${checks.length} checks passed (${score}/${maxScore} points).`
      : `${passed} of ${checks.length} checks passed (${score}/${maxScore} points).`;
  return {
    gradable: true,
    score,
    maxScore,
    checks,
    diagnostics,
    timings,
    message: context.problem ? `${tally} ${context.problem}` : tally,
    log: log.text(),
  };
}

/** A grade the platform could not produce: nothing is scored and the learner is not blamed. */
export function notGradable(
  checks: readonly Check[],
  reason: string,
  timings: Timings,
  log: GradeLog,
): Grade {
  return {
    gradable: false,
    score: 0,
    maxScore: checks.reduce((sum, c) => sum + c.points, 0),
    checks: checks.map((c) => ({
      id: c.id,
      title: c.title,
      status: 'skipped',
      points: 0,
      maxPoints: c.points,
      actual: 'not graded',
    })),
    diagnostics: [],
    timings,
    message: `Your code could not be graded because of a problem on our side (${reason}). This attempt does not count; please try again.`,
    log: log.text(),
  };
}

export function stageTimer(timings: Timings, onProgress?: ProgressListener) {
  return (stage: Stage) => {
    const started = performance.now();
    onProgress?.({ stage, status: 'running' });
    return (status: StageEnd) => {
      const ms = Math.round(performance.now() - started);
      timings[stage] = ms;
      onProgress?.({ stage, status, ms });
    };
  };
}

export type ProgressListener = (p: Omit<StageProgressEvent, 'labId'>) => void;
