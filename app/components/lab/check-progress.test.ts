import { describe, expect, it } from 'vitest';
import type { Grade } from '@/server/protocol/lab';
import { applyProgress, finishProgress, progressAnnouncement, startProgress } from './check-progress';

const labId = 'hello-execve';

function statuses(stages: ReturnType<typeof startProgress>): string[] {
  return stages.map((s) => `${s.stage}:${s.status}`);
}

describe('check progress', () => {
  it('follows the stages the grader reports', () => {
    let stages = startProgress();
    stages = applyProgress(stages, { labId, stage: 'compile', status: 'running' });
    expect(progressAnnouncement(stages)).toBe('Compile…');
    stages = applyProgress(stages, { labId, stage: 'compile', status: 'done', ms: 42 });
    stages = applyProgress(stages, { labId, stage: 'load', status: 'failed', ms: 7 });
    expect(progressAnnouncement(stages)).toBe('Load and verify failed.');
    expect(statuses(stages)).toEqual([
      'compile:done',
      'load:failed',
      'workload:pending',
      'collect:pending',
      'assert:pending',
    ]);
    expect(stages[0]?.ms).toBe(42);
  });

  it('marks stages that never started as not run when the grade arrives', () => {
    const grade: Grade = {
      gradable: true,
      score: 0,
      maxScore: 10,
      checks: [],
      diagnostics: [],
      timings: { compile: 30, total: 31 },
      message: 'compile failed',
      log: '',
    };
    const finished = finishProgress(startProgress(), grade);
    expect(statuses(finished)).toEqual([
      'compile:done',
      'load:not-run',
      'workload:not-run',
      'collect:not-run',
      'assert:not-run',
    ]);
    expect(finished[0]?.ms).toBe(30);
  });

  it('shows a stage cut short when the check ended without a grade', () => {
    const stages = applyProgress(startProgress(), { labId, stage: 'workload', status: 'running' });
    expect(finishProgress(stages, null)[2]?.status).toBe('failed');
  });
});
