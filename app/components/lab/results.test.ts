import { describe, expect, it } from 'vitest';
import type { Grade, MapDiff } from '@/server/protocol/lab';
import { mapDiffView, recordedMapView, resultsView } from './results';

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

describe('map diffs and maps after a Run', () => {
  const cell = (expected?: string, actual?: string) => ({
    ...(expected === undefined ? {} : { expected }),
    ...(actual === undefined ? {} : { actual }),
  });
  const diff: MapDiff = {
    map: 'flows',
    keyFields: ['saddr', 'sport'],
    valueFields: ['value'],
    rows: [
      { kind: 'ok', key: [cell('127.0.1.2', '127.0.1.2'), cell('9002', '9002')], value: [cell('35', '35')] },
      {
        kind: 'wrong',
        key: [cell('127.0.1.1', '127.0.1.1'), cell('9001', '10531')],
        value: [cell('40', '40')],
        note: 'Stored under the wrong key: sport 10531 is 9001 with its two bytes swapped.',
      },
      {
        kind: 'wrong',
        key: [cell('127.0.1.3', '127.0.1.3'), cell('9003', '9003')],
        value: [cell('30', '60')],
      },
      { kind: 'missing', key: [cell('127.0.1.4'), cell('9004')], value: [cell('25')] },
      {
        kind: 'extra',
        key: [cell(undefined, '0.0.0.0'), cell(undefined, '0')],
        value: [cell(undefined, '2')],
      },
    ],
    omittedRows: 3,
    totalEntries: 7,
    exhaustive: false,
  };

  it('says each row in words and shows what the map held where it differs', () => {
    const view = mapDiffView(diff);
    expect(view.caption).toBe('flows held 7 entries after the run.');
    expect(view.columns).toEqual(['saddr', 'sport', 'value']);
    expect(view.rows.map((r) => r.statusText)).toEqual([
      'Matches',
      'Wrong key',
      'Wrong value',
      'Missing',
      'Also in your map',
    ]);
    expect(view.rows[1]?.cells[1]).toEqual({ text: '9001', yours: '10531' });
    expect(view.rows[1]?.note).toContain('bytes swapped');
    expect(view.rows[4]?.cells[0]).toEqual({ text: '0.0.0.0' });
    expect(view.omitted).toBe('… and 3 more entries not shown');
    expect(mapDiffView({ ...diff, exhaustive: true }).rows[4]?.statusText).toBe('Extra');
  });

  it('says plainly when the map is empty', () => {
    const view = mapDiffView({ ...diff, rows: diff.rows.slice(3, 4), totalEntries: 0, omittedRows: 0 });
    expect(view).toMatchObject({
      empty: true,
      caption: 'The map is empty: your program stored nothing in flows.',
    });
  });

  it('shows a map after a Run with its count, and how many entries are left out', () => {
    const map = {
      name: 'flows',
      keyFields: ['saddr'],
      valueFields: ['value'],
      entries: [{ key: ['127.0.1.1'], value: ['40'] }],
      totalEntries: 9,
    };
    expect(recordedMapView(map)).toEqual({
      name: 'flows',
      caption: 'flows: 9 entries, the first 1 shown.',
      columns: ['saddr', 'value'],
      rows: [['127.0.1.1', '40']],
    });
    expect(recordedMapView({ ...map, entries: [], totalEntries: 0 }).caption).toBe('flows is empty.');
  });
});
