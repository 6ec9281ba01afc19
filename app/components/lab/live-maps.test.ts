/**
 * Run's maps as the page keeps them: each snapshot adds a reading to every entry's chart, the
 * final maps end the charts, a per-CPU map says what its values are summed over, and the lab's
 * reducer takes snapshots only while the Run is in flight.
 */
import { describe, expect, it } from 'vitest';
import type { Grade, RecordedMap } from '@/server/protocol/lab';
import { initialLabState, type LabState, labReducer } from './lab-state';
import { liveMapViews, MAX_READINGS, withSnapshot } from './live-maps';

/** The flows map with the relay's flow at `count` packets. */
const flows = (count: number): RecordedMap => ({
  name: 'flows',
  keyFields: ['saddr', 'sport'],
  valueFields: ['value'],
  entries: [{ key: ['127.0.0.1', '8000'], value: [String(count)], numbers: [count] }],
  totalEntries: 1,
});

describe('withSnapshot', () => {
  it('keeps the newest maps and each entry’s readings, oldest first', () => {
    let history = withSnapshot(undefined, { tMs: 250, maps: [flows(3)] });
    history = withSnapshot(history, { tMs: 500, maps: [flows(40)] });
    const [view] = liveMapViews(history.maps, history, false);
    expect(history.snapshots).toBe(2);
    expect(view?.rows[0]?.cells).toEqual(['127.0.0.1', '8000', '40']);
    expect(view?.rows[0]?.chartCell).toBe(2);
    expect(view?.rows[0]?.chart).toEqual({
      values: [3, 40],
      label: 'value of 127.0.0.1 8000 over the run: 3, rising to 40 (2 readings)',
    });
  });

  it('keeps at most MAX_READINGS per entry', () => {
    let history = withSnapshot(undefined, { tMs: 0, maps: [flows(0)] });
    for (let n = 1; n <= MAX_READINGS + 10; n++)
      history = withSnapshot(history, { tMs: n, maps: [flows(n)] });
    const values = liveMapViews(history.maps, history, false)[0]?.rows[0]?.chart?.values ?? [];
    expect(values).toHaveLength(MAX_READINGS);
    expect(values.at(-1)).toBe(MAX_READINGS + 10);
  });
});

describe('liveMapViews', () => {
  it('ends each chart with the final map’s number', () => {
    const history = withSnapshot(undefined, { tMs: 250, maps: [flows(3)] });
    expect(liveMapViews([flows(130)], history, true)[0]?.rows[0]?.chart?.values).toEqual([3, 130]);
  });

  it('says a per-CPU map is summed, and carries each CPU’s value', () => {
    const total: RecordedMap = {
      name: 'total',
      keyFields: ['key'],
      valueFields: ['value'],
      entries: [{ key: ['0'], value: ['7'], perCpu: [['3'], ['4']], numbers: [7] }],
      totalEntries: 1,
      cpus: 2,
    };
    const [view] = liveMapViews([total], undefined, true);
    expect(view?.caption).toBe('total: 1 entry. Values summed over 2 CPUs.');
    expect(view?.perCpu).toBe(true);
    expect(view?.rows[0]?.perCpu).toEqual([['3'], ['4']]);
  });

  it('charts nothing for a value that is not a number', () => {
    const names: RecordedMap = {
      ...flows(0),
      entries: [{ key: ['1', '2'], value: ['bash'], numbers: [null] }],
    };
    expect(liveMapViews([names], undefined, true)[0]?.rows[0]).toMatchObject({ chartCell: -1, chart: null });
  });
});

describe('the lab reducer', () => {
  const running: LabState = labReducer(initialLabState, { type: 'started', busy: 'run' });

  it('takes snapshots while the Run is in flight', () => {
    const state = labReducer(running, { type: 'maps', event: { labId: 'x', tMs: 250, maps: [flows(3)] } });
    expect(state.run?.liveMaps?.maps).toEqual([flows(3)]);
  });

  it('ignores a snapshot that arrives after the Run’s reply', () => {
    const grade: Grade = {
      gradable: true,
      score: 1,
      maxScore: 1,
      checks: [],
      diagnostics: [],
      timings: {},
      message: 'Ran.',
      log: '',
      recorded: { events: [], eventCount: 0, maps: [flows(130)] },
    };
    const done = labReducer(running, { type: 'ran', grade });
    const state = labReducer(done, { type: 'maps', event: { labId: 'x', tMs: 250, maps: [flows(3)] } });
    expect(state.run?.liveMaps).toBeUndefined();
  });
});
