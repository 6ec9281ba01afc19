/**
 * The grader's stages as the learner watches them: compile → load → workload → collect → assert.
 * `lab:progress` events move a stage to running, done or failed; when the grade arrives, stages
 * that never started are shown as not run.
 */
import type { Grade, LabServerEvents, Stage, StageProgressEvent } from '@/server/protocol/lab';

export type ProgressEvent = Parameters<LabServerEvents['lab:progress']>[0];

export const STAGES: readonly Stage[] = ['compile', 'load', 'workload', 'collect', 'assert'];

export const STAGE_LABELS: Record<Stage, string> = {
  compile: 'Compile',
  load: 'Load and verify',
  workload: 'Run workload',
  collect: 'Collect output',
  assert: 'Check results',
};

export type StageStatus = 'pending' | 'running' | 'done' | 'failed' | 'not-run';

export interface StageProgress {
  stage: Stage;
  label: string;
  status: StageStatus;
  ms?: number;
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
          ? grade
            ? 'done'
            : 'failed'
          : s.status;
    return { ...s, status, ...(ms === undefined ? {} : { ms }) };
  });
}

/** One short sentence for the live region while a check runs. */
export function progressAnnouncement(stages: readonly StageProgress[]): string {
  const running = stages.find((s) => s.status === 'running');
  if (running) return `${running.label}…`;
  const failed = stages.find((s) => s.status === 'failed');
  if (failed) return `${failed.label} failed.`;
  return '';
}

/** Where a check waiting for a free grader stands, in words. */
export function queueAnnouncement(position: number): string {
  return position === 1
    ? 'Waiting for a free grader: yours is next.'
    : `Waiting for a free grader: ${position - 1} ahead of yours.`;
}
