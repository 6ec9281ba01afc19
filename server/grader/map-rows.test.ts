/**
 * Map rows as the page shows them: a per-CPU map's values summed with each CPU's beside them
 * (integers exact beyond 2^53, structs field by field), fields in the lab's formats, and the
 * numbers its chart plots.
 */
import { describe, expect, it } from 'vitest';
import { DIFFERS_PER_CPU, mapRowsOf, sumOverCpus } from './map-rows.js';

describe('sumOverCpus', () => {
  it('adds numbers, big integers exactly, and structs field by field', () => {
    expect(sumOverCpus([3, 4])).toBe(7);
    expect(sumOverCpus(['9007199254740993', 1])).toBe('9007199254740994');
    expect(
      sumOverCpus([
        { packets: 2, bytes: 100 },
        { packets: 5, bytes: 60 },
      ]),
    ).toEqual({ packets: 7, bytes: 160 });
  });

  it('keeps what every CPU holds alike, and says when it differs', () => {
    expect(
      sumOverCpus([
        { comm: 'bash', n: 1 },
        { comm: 'bash', n: 2 },
      ]),
    ).toEqual({ comm: 'bash', n: 3 });
    expect(sumOverCpus(['bash', 'sshd'])).toBe(DIFFERS_PER_CPU);
  });
});

describe('mapRowsOf', () => {
  it('shows a per-CPU map summed, each CPU beside it, in the declared formats', () => {
    const table = mapRowsOf(
      { bytes: 'hex' },
      'traffic',
      'percpu_hash',
      [
        {
          key: { port: 8000 },
          value: [
            { packets: 2, bytes: 255 },
            { packets: 5, bytes: 1 },
          ],
        },
      ],
      100,
    );
    expect(table).toEqual({
      name: 'traffic',
      keyFields: ['port'],
      valueFields: ['packets', 'bytes'],
      entries: [
        {
          key: ['8000'],
          value: ['7', '0x100'],
          perCpu: [
            ['2', '0xff'],
            ['5', '0x1'],
          ],
          numbers: [7, 256],
        },
      ],
      totalEntries: 1,
      cpus: 2,
    });
  });

  it('reads an array value of a map that is not per-CPU as the value it is', () => {
    const table = mapRowsOf({}, 'hist', 'array', [{ key: 0, value: [1, 2] }], 100);
    expect(table.entries[0]).toEqual({ key: ['0'], value: ['[1,2]'], numbers: [null] });
    expect(table.cpus).toBeUndefined();
  });

  it('carries the first entries and counts them all', () => {
    const entries = Array.from({ length: 5 }, (_, i) => ({ key: i, value: i * 10 }));
    const table = mapRowsOf({ key: 'hex' }, 'counts', 'hash', entries, 2);
    expect(table.entries.map((e) => [...e.key, ...e.value])).toEqual([
      ['0x0', '0'],
      ['0x1', '10'],
    ]);
    expect(table.totalEntries).toBe(5);
  });
});
