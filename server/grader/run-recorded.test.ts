/**
 * What a Run's reply carries of the program's records: the maps after the workload in the lab's
 * declared formats (the flow counter's addresses dotted), its constants left out, and bounded.
 */
import { describe, expect, it } from 'vitest';
import type { LabManifest } from '../labs/schema.js';
import { MapCheck } from '../labs/schema.js';
import { RUN_RECORD_LIMITS } from '../protocol/lab.js';
import { recordedOf } from './run-recorded.js';

const manifest = {
  checks: [
    MapCheck.parse({
      id: 'updates',
      title: 'updates',
      type: 'map',
      map: 'flows',
      format: { saddr: 'ipv4', sport: 'port' },
      entries: [{ key: { saddr: '127.0.1.1', sport: 9001 }, value: 40 }],
    }),
  ],
} as unknown as LabManifest;

describe('recordedOf', () => {
  it('shows each map in the formats its checks declare, without the read-only data', () => {
    const recorded = recordedOf(manifest, {
      events: [{ pid: 7, comm: 'udpgame' }],
      trace: [],
      iter: [],
      maps: new Map([
        ['flows', [{ key: { saddr: 0x7f000101, sport: 9001 }, value: 40 }]],
        ['.rodata', [{ key: 0, value: { limit: 3 } }]],
      ]),
    });
    expect(recorded).toEqual({
      events: ['{"pid":7,"comm":"udpgame"}'],
      eventCount: 1,
      maps: [
        {
          name: 'flows',
          keyFields: ['saddr', 'sport'],
          valueFields: ['value'],
          entries: [{ key: ['127.0.1.1', '9001'], value: ['40'], numbers: [40] }],
          totalEntries: 1,
        },
      ],
    });
  });

  it('carries at most the first records and entries, and counts them all', () => {
    const many = Array.from({ length: 1000 }, (_, i) => ({ key: i, value: i }));
    const recorded = recordedOf(manifest, {
      events: many,
      trace: [],
      iter: [],
      maps: new Map([['counts', many]]),
    });
    expect(recorded.events).toHaveLength(RUN_RECORD_LIMITS.events);
    expect(recorded.eventCount).toBe(1000);
    expect(recorded.maps[0]?.entries).toHaveLength(RUN_RECORD_LIMITS.entriesPerMap);
    expect(recorded.maps[0]?.totalEntries).toBe(1000);
  });
});
