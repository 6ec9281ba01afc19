import { describe, expect, it } from 'vitest';
import type { Grade } from '@/server/protocol/lab';
import { resultsView } from './results';

function grade(overrides: Partial<Grade>): Grade {
  return {
    gradable: true,
    score: 3,
    maxScore: 5,
    checks: [
      { id: 'compile', title: 'It compiles', status: 'passed', points: 1, maxPoints: 1 },
      {
        id: 'events',
        title: 'Sees every exec',
        status: 'failed',
        points: 2,
        maxPoints: 4,
        expected: '3 events for bpflab-probe-*',
        actual: '1 event',
        feedback: 'Submit the event with bpf_ringbuf_submit.',
      },
      { id: 'comm', title: 'Reports the command name', status: 'skipped', points: 0, maxPoints: 0 },
    ],
    diagnostics: [
      {
        file: 'hello.bpf.c',
        line: 12,
        column: 0,
        severity: 'error',
        source: 'verifier',
        message: 'R1 invalid mem access',
      },
    ],
    timings: { total: 812.4, compile: 41, load: 9.6 },
    message: 'Some checks failed.',
    log: 'verifier log…',
    ...overrides,
  };
}

describe('resultsView', () => {
  it('lists every check with its status, points, expected and actual, and the feedback', () => {
    const view = resultsView(grade({}));
    expect(view.kind).toBe('graded');
    if (view.kind !== 'graded') return;
    expect(view.passed).toBe(false);
    expect(view.headline).toBe('Not passed yet');
    expect(view.message).toBe('Some checks failed.');
    expect(view.scoreText).toBe('3 / 5 points');
    expect(view.checks.map((c) => [c.statusText, c.pointsText])).toEqual([
      ['Passed', '1 / 1 point'],
      ['Failed', '2 / 4 points'],
      ['Skipped', '0 / 0 points'],
    ]);
    expect(view.checks[1]).toMatchObject({ expected: '3 events for bpflab-probe-*', actual: '1 event' });
    expect(view.diagnostics[0]?.location).toBe('hello.bpf.c:12');
    expect(view.timings).toBe('compile 41 ms · load 10 ms · total 812 ms');
  });

  it('says so when everything passed', () => {
    const all = grade({
      score: 2,
      maxScore: 2,
      checks: [{ id: 'compile', title: 'It compiles', status: 'passed', points: 2, maxPoints: 2 }],
    });
    expect(resultsView(all)).toMatchObject({ passed: true, headline: 'Passed' });
  });

  it('presents an ungradable attempt as a platform fault, without a score', () => {
    expect(resultsView(grade({ gradable: false, message: 'the sandbox did not answer' }))).toEqual({
      kind: 'platform',
      message: 'the sandbox did not answer',
      log: 'verifier log…',
    });
  });
});
