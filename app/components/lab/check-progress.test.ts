import { describe, expect, it } from 'vitest';
import type { CheckResult, Grade } from '@/server/protocol/lab';
import {
  applyProgress,
  finishProgress,
  progressAnnouncement,
  type StageProgress,
  stageStatusText,
  startProgress,
} from './check-progress';

const labId = 'hello-execve';

function statuses(stages: readonly StageProgress[]): string[] {
  return stages.map((s) => `${s.stage}:${s.status}`);
}

/** The stage list as the learner reads it: label and status of each stage. */
function shown(stages: readonly StageProgress[]): string[] {
  return stages.map((s) => `${s.label}: ${stageStatusText(s)}`);
}

function check(id: string, status: CheckResult['status']): CheckResult {
  return { id, title: id, status, points: status === 'passed' ? 1 : 0, maxPoints: 1 };
}

function grade(checks: CheckResult[], timings: Grade['timings'], gradable = true): Grade {
  return {
    gradable,
    score: checks.filter((c) => c.status === 'passed').length,
    maxScore: checks.length,
    checks,
    diagnostics: [],
    timings,
    message: '',
    log: '',
  };
}

/** The stage list after each of the given stages ran and ended as given, in order. */
function ranThrough(...events: [StageProgress['stage'], 'done' | 'rejected' | 'fault'][]) {
  let stages = startProgress();
  for (const [stage, status] of events) {
    stages = applyProgress(stages, { labId, stage, status: 'running' });
    stages = applyProgress(stages, { labId, stage, status, ms: 5 });
  }
  return stages;
}

describe('check progress', () => {
  it('follows the stages the grader reports', () => {
    let stages = startProgress();
    stages = applyProgress(stages, { labId, stage: 'compile', status: 'running' });
    expect(progressAnnouncement(stages)).toBe('Compile…');
    stages = applyProgress(stages, { labId, stage: 'compile', status: 'done', ms: 42 });
    stages = applyProgress(stages, { labId, stage: 'load', status: 'running' });
    expect(progressAnnouncement(stages)).toBe('Load and verify…');
    expect(statuses(stages)).toEqual([
      'compile:done',
      'load:running',
      'workload:pending',
      'collect:pending',
      'assert:pending',
    ]);
    expect(stages[0]?.ms).toBe(42);
  });

  it('shows failing checks as a finished grading stage with how many failed, not as a failure', () => {
    const stages = ranThrough(
      ['compile', 'done'],
      ['load', 'done'],
      ['workload', 'done'],
      ['collect', 'done'],
      ['assert', 'done'],
    );
    const graded = grade(
      [check('compiles', 'passed'), check('counts', 'failed'), check('prints', 'skipped')],
      { compile: 5, load: 5, workload: 5, collect: 5, assert: 5, total: 30 },
    );
    const finished = finishProgress(stages, graded);
    expect(shown(finished)).toEqual([
      'Compile: done',
      'Load and verify: done',
      'Run workload: done',
      'Collect output: done',
      'Check results: done: 2 of 3 checks did not pass',
    ]);
    expect(progressAnnouncement(finished)).toBe('');
  });

  it('says all checks passed as plain done', () => {
    const stages = ranThrough(['compile', 'done'], ['assert', 'done']);
    const finished = finishProgress(stages, grade([check('compiles', 'passed')], { compile: 5, assert: 5 }));
    expect(shown(finished).at(-1)).toBe('Check results: done');
  });

  it('tells a program that did not compile, or that the verifier rejected, as the program’s doing', () => {
    const notBuilt = ranThrough(['compile', 'rejected']);
    expect(progressAnnouncement(notBuilt)).toBe('Compile: your program did not compile.');
    const rejected = ranThrough(['compile', 'done'], ['load', 'rejected']);
    expect(progressAnnouncement(rejected)).toBe('Load and verify: the verifier rejected your program.');

    // The grader then judges the checks; the stages that did not run say so.
    const finished = finishProgress(
      ranThrough(['compile', 'done'], ['load', 'rejected'], ['assert', 'done']),
      grade([check('compiles', 'passed'), check('loads', 'failed')], { compile: 5, load: 5, assert: 5 }),
    );
    expect(shown(finished)).toEqual([
      'Compile: done',
      'Load and verify: the verifier rejected your program',
      'Run workload: not run',
      'Collect output: not run',
      'Check results: done: 1 of 2 checks did not pass',
    ]);
    expect(shown(finished).join('\n')).not.toMatch(/failed|our side/);
  });

  it('tells a workload that did not finish as the program’s, not the platform’s', () => {
    const stages = ranThrough(['compile', 'done'], ['load', 'done'], ['workload', 'rejected']);
    expect(progressAnnouncement(stages)).toBe('Run workload: the workload did not finish cleanly.');
  });

  it('reads as the platform’s failure only when the platform failed', () => {
    const stages = ranThrough(['compile', 'done'], ['load', 'fault']);
    expect(progressAnnouncement(stages)).toBe('Load and verify: failed on our side, not your program.');
    const finished = finishProgress(
      stages,
      grade([check('loads', 'skipped')], { compile: 5, load: 5 }, false),
    );
    expect(shown(finished)).toEqual([
      'Compile: done',
      'Load and verify: failed on our side, not your program',
      'Run workload: not run',
      'Collect output: not run',
      'Check results: not run',
    ]);
  });

  it('marks stages that never started as not run when the grade arrives', () => {
    const finished = finishProgress(startProgress(), grade([], { compile: 30, total: 31 }));
    expect(statuses(finished)).toEqual([
      'compile:done',
      'load:not-run',
      'workload:not-run',
      'collect:not-run',
      'assert:not-run',
    ]);
    expect(finished[0]?.ms).toBe(30);
  });

  it('shows a stage cut short when the check ended without a grade as the platform’s', () => {
    const stages = applyProgress(startProgress(), { labId, stage: 'workload', status: 'running' });
    const finished = finishProgress(stages, null);
    expect(finished[2]?.status).toBe('fault');
    expect(shown(finished)[2]).toBe('Run workload: failed on our side, not your program');
  });

  it('shows a stage still running when an ungradable grade arrives as the platform’s', () => {
    const stages = applyProgress(startProgress(), { labId, stage: 'collect', status: 'running' });
    expect(finishProgress(stages, grade([], {}, false))[3]?.status).toBe('fault');
  });
});
