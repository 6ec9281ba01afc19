/**
 * The grader's stages as the learner watches them: compile → load → workload → collect → assert.
 * `lab:progress` events move a stage to running, then done, rejected (the learner's program did
 * not get through it) or fault (the platform failed); when the grade arrives, stages that never
 * started are shown as not run and the assert stage says how many checks failed. Only a fault
 * reads as the platform's failure: failing checks or a program that does not compile never do.
 */
import type { Grade, LabServerEvents, Stage, StageEnd, StageProgressEvent } from '@/server/protocol/lab';

export type ProgressEvent = Parameters<LabServerEvents['lab:progress']>[0];

export const STAGES: readonly Stage[] = ['compile', 'load', 'workload', 'collect', 'assert'];

export const STAGE_LABELS: Record<Stage, string> = {
  compile: 'Compile',
  load: 'Load and verify',
  workload: 'Run workload',
  collect: 'Collect output',
  assert: 'Check results',
};

export type StageStatus = 'pending' | 'running' | StageEnd | 'not-run';

export interface StageProgress {
  stage: Stage;
  label: string;
  status: StageStatus;
  ms?: number;
  /** The assert stage, once graded: how many of the lab's checks did not pass, of how many. */
  checks?: { failed: number; total: number };
}

/** What a rejected stage says: the learner's program stopped there, in words about the program. */
const REJECTED: Partial<Record<Stage, string>> = {
  compile: 'your program did not compile',
  load: 'the verifier rejected your program',
  workload: 'the workload did not finish cleanly',
};

/** The status of one stage in words, as the list shows it beside the stage's label. */
export function stageStatusText(s: StageProgress): string {
  switch (s.status) {
    case 'pending':
      return 'waiting';
    case 'running':
      return 'running';
    case 'done':
      return s.checks && s.checks.failed > 0
        ? `done: ${s.checks.failed} of ${s.checks.total} ${s.checks.total === 1 ? 'check' : 'checks'} did not pass`
        : 'done';
    case 'rejected':
      return REJECTED[s.stage] ?? 'stopped by your program';
    case 'fault':
      return 'failed on our side, not your program';
    case 'not-run':
      return 'not run';
  }
}

export function startProgress(): StageProgress[] {
  return STAGES.map((stage) => ({ stage, label: STAGE_LABELS[stage], status: 'pending' }));
}

export function applyProgress(stages: readonly StageProgress[], event: StageProgressEvent): StageProgress[] {
  return stages.map((s) =>
    s.stage === event.stage
      ? { ...s, status: event.status, ...(event.ms === undefined ? {} : { ms: event.ms }) }
      : s,
  );
}

/**
 * Settle every stage once the check is over: stages still pending did not run; a stage still
 * "running" when no grade came back was cut short. Timings the grade reports fill gaps left by
 * progress events that were missed (a reconnect, say).
 */
export function finishProgress(stages: readonly StageProgress[], grade: Grade | null): StageProgress[] {
  return stages.map((s) => {
    const ms = s.ms ?? grade?.timings[s.stage];
    const status: StageStatus =
      s.status === 'pending'
        ? ms === undefined
          ? 'not-run'
          : 'done'
        : s.status === 'running'
          ? grade?.gradable
            ? 'done'
            : 'fault'
          : s.status;
    const checks =
      s.stage === 'assert' && status === 'done' && grade?.gradable
        ? {
            failed: grade.checks.filter((c) => c.status !== 'passed').length,
            total: grade.checks.length,
          }
        : undefined;
    return { ...s, status, ...(ms === undefined ? {} : { ms }), ...(checks ? { checks } : {}) };
  });
}

/** One short sentence for the live region while a check runs. */
export function progressAnnouncement(stages: readonly StageProgress[]): string {
  const running = stages.find((s) => s.status === 'running');
  if (running) return `${running.label}…`;
  const stopped = stages.find((s) => s.status === 'rejected' || s.status === 'fault');
  if (stopped) return `${stopped.label}: ${stageStatusText(stopped)}.`;
  return '';
}

/** Where a check waiting for a free grader stands, in words. */
export function queueAnnouncement(position: number): string {
  return position === 1
    ? 'Waiting for a free grader: yours is next.'
    : `Waiting for a free grader: ${position - 1} ahead of yours.`;
}
