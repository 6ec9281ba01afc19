/**
 * Map checks judged against the entries a learner's program could really leave behind, taken
 * from the UDP flow counter lab: the right nine flows, ports stored without bpf_ntohs, nothing
 * converted at all, every packet counted twice, the first packet of each flow not counted, an
 * empty map. Each failure must show the learner's entries beside the expected ones, fields in
 * the lab's formats, and name the mistake.
 */
import { describe, expect, it } from 'vitest';
import { swapBytes } from '../labs/map-format.js';
import { MapCheck } from '../labs/schema.js';
import type { MapEntry } from './evidence.js';
import { compareMap } from './map-compare.js';

const ip = (a: number, b: number, c: number, d: number) => ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
const PLAYER = (p: number) => ip(127, 0, 1, p);
const SERVER = ip(127, 0, 0, 1);
const COUNTS = [40, 35, 30, 25];

/** The game's nine flows as a correct program stores them: host byte order, each packet once. */
const GAME_FLOWS: MapEntry[] = [
  ...COUNTS.map((n, i) => ({
    key: { saddr: PLAYER(i + 1), daddr: SERVER, sport: 9001 + i, dport: 8000 },
    value: n,
  })),
  { key: { saddr: SERVER, daddr: SERVER, sport: 8000, dport: 10000 }, value: 130 },
  ...COUNTS.map((n, i) => ({
    key: { saddr: SERVER, daddr: PLAYER(i + 1), sport: 10000, dport: 9001 + i },
    value: n,
  })),
];

/** The lab's `updates` check, written as lab.yaml now writes it: addresses dotted, formats declared. */
const updates = MapCheck.parse({
  id: 'updates',
  title: 'one flow per player',
  type: 'map',
  map: 'flows',
  format: { saddr: 'ipv4', daddr: 'ipv4', sport: 'port', dport: 'port' },
  entries: COUNTS.map((n, i) => ({
    key: { saddr: `127.0.1.${i + 1}`, daddr: '127.0.0.1', sport: 9001 + i, dport: 8000 },
    value: n,
  })),
});

const everyFlow = MapCheck.parse({ ...updates, id: 'nothing-else', exhaustive: true, entries: GAME_FLOWS });

type Key = { saddr: number; daddr: number; sport: number; dport: number };
const mapFlows = (f: (e: { key: Key; value: number }) => MapEntry) =>
  GAME_FLOWS.map((e) => f(e as { key: Key; value: number }));

describe('compareMap', () => {
  it('passes the right flows, expected addresses written dotted', () => {
    expect(compareMap(updates, GAME_FLOWS)).toMatchObject({ status: 'passed' });
    expect(compareMap(everyFlow, GAME_FLOWS)).toMatchObject({ status: 'passed' });
    expect(compareMap(updates, GAME_FLOWS).expected).toContain(
      '{saddr: 127.0.1.1, daddr: 127.0.0.1, sport: 9001, dport: 8000} → 40',
    );
  });

  it('recognises ports stored without bpf_ntohs, and shows where the program put each flow', () => {
    const swapped = mapFlows(({ key, value }) => ({
      key: { ...key, sport: swapBytes(key.sport, 2), dport: swapBytes(key.dport, 2) },
      value,
    }));
    const verdict = compareMap(updates, swapped);
    expect(verdict.status).toBe('failed');
    const diff = verdict.mapDiff!;
    expect(diff.totalEntries).toBe(9);
    expect(diff.keyFields).toEqual(['saddr', 'daddr', 'sport', 'dport']);
    expect(diff.rows.map((r) => r.kind)).toEqual(['wrong', 'wrong', 'wrong', 'wrong']);
    const first = diff.rows[0]!;
    expect(first.key).toEqual([
      { expected: '127.0.1.1', actual: '127.0.1.1' },
      { expected: '127.0.0.1', actual: '127.0.0.1' },
      { expected: '9001', actual: '10531' },
      { expected: '8000', actual: '16415' },
    ]);
    expect(first.value).toEqual([{ expected: '40', actual: '40' }]);
    expect(first.note).toBe(
      'Stored under the wrong key: sport 10531 is 9001 with its two bytes swapped; dport 16415 is 8000 with its two bytes swapped. Packet headers are in network byte order, and this lab stores sport and dport in host order: convert with bpf_ntohs',
    );
    expect(verdict.actual).toContain('flows holds 9 entries; 0 of 4 expected match.');
    expect(verdict.actual).toContain(
      '{saddr: 127.0.1.1, daddr: 127.0.0.1, sport: 10531, dport: 16415} → 40, expected {saddr: 127.0.1.1, daddr: 127.0.0.1, sport: 9001, dport: 8000} → 40: Stored under the wrong key',
    );
  });

  it('recognises addresses and ports both left in network byte order', () => {
    const raw = mapFlows(({ key, value }) => ({
      key: {
        saddr: swapBytes(key.saddr, 4),
        daddr: swapBytes(key.daddr, 4),
        sport: swapBytes(key.sport, 2),
        dport: swapBytes(key.dport, 2),
      },
      value,
    }));
    const row = compareMap(updates, raw).mapDiff!.rows[0]!;
    expect(row.kind).toBe('wrong');
    expect(row.key[0]).toEqual({ expected: '127.0.1.1', actual: '1.1.0.127' });
    expect(row.note).toContain('saddr 1.1.0.127 is 127.0.1.1 with its four bytes in reverse order');
    expect(row.note).toContain('convert with bpf_ntohl and bpf_ntohs');
  });

  it('in a lab that keeps network byte order, a converted field is the mistake', () => {
    const netOrder = MapCheck.parse({
      id: 'replies',
      title: 'replies per client port',
      type: 'map',
      map: 'replies',
      format: { key: 'port-net' },
      entries: [{ key: 9001, value: 40 }],
    });
    // The lab writes the port itself; the map holds it as it is on the wire.
    expect(compareMap(netOrder, [{ key: swapBytes(9001, 2), value: 40 }]).status).toBe('passed');
    const converted = compareMap(netOrder, [{ key: 9001, value: 40 }]);
    expect(converted.mapDiff!.rows[0]).toMatchObject({
      kind: 'wrong',
      key: [{ expected: '9001', actual: '10531' }],
    });
    expect(converted.mapDiff!.rows[0]!.note).toContain(
      'This lab keeps the key in network byte order, as in the packet: store it without converting',
    );
  });

  it('names counts that are exactly twice the expected', () => {
    const twice = mapFlows(({ key, value }) => ({ key, value: value * 2 }));
    const diff = compareMap(updates, twice).mapDiff!;
    expect(diff.rows[0]).toMatchObject({
      kind: 'wrong',
      value: [{ expected: '40', actual: '80' }],
      note: 'exactly twice the expected count: is every packet counted twice?',
    });
    expect(compareMap(everyFlow, twice).actual).toContain(
      '{saddr: 127.0.0.1, daddr: 127.0.0.1, sport: 8000, dport: 10000} → 260, expected {saddr: 127.0.0.1, daddr: 127.0.0.1, sport: 8000, dport: 10000} → 130: exactly twice',
    );
    const thrice = mapFlows(({ key, value }) => ({ key, value: value * 3 }));
    expect(compareMap(updates, thrice).mapDiff!.rows[1]!.note).toBe(
      'exactly 3 times the expected count: is every packet counted 3 times?',
    );
  });

  it('names counts one short, the first packet of each flow not counted', () => {
    const short = mapFlows(({ key, value }) => ({ key, value: value - 1 }));
    expect(compareMap(updates, short).mapDiff!.rows[3]).toMatchObject({
      kind: 'wrong',
      value: [{ expected: '25', actual: '24' }],
      note: 'one less than expected: is the packet that creates the entry counted too?',
    });
  });

  it('says plainly that the map is empty', () => {
    const verdict = compareMap(updates, []);
    expect(verdict.actual).toBe('flows is empty: the program stored nothing in it.');
    expect(verdict.mapDiff).toMatchObject({ totalEntries: 0 });
    expect(verdict.mapDiff!.rows.map((r) => r.kind)).toEqual(['missing', 'missing', 'missing', 'missing']);
    expect(verdict.mapDiff!.rows[0]!.key[0]).toEqual({ expected: '127.0.1.1' });
  });

  it('shows what the program stored instead of a missing entry, and the extras of an exhaustive check', () => {
    // Ports read at the wrong offset: no expected key, nothing byte-swapped, just other numbers.
    const offset = mapFlows(({ key, value }) => ({ key: { ...key, sport: 0, dport: 0 }, value }));
    const diff = compareMap(updates, offset.slice(0, 1)).mapDiff!;
    expect(diff.rows.map((r) => r.kind)).toEqual(['missing', 'missing', 'missing', 'missing', 'extra']);
    expect(diff.rows[4]!.key.map((c) => c.actual)).toEqual(['127.0.1.1', '127.0.0.1', '0', '0']);
    expect(diff.rows[4]!.value).toEqual([{ actual: '40' }]);

    const withArp = [...GAME_FLOWS, { key: { saddr: 0, daddr: 0, sport: 0, dport: 0 }, value: 2 }];
    const extra = compareMap(everyFlow, withArp);
    expect(extra.status).toBe('failed');
    expect(extra.actual).toBe(
      'flows holds 10 entries; 9 of 9 expected match.\nunexpected {saddr: 0.0.0.0, daddr: 0.0.0.0, sport: 0, dport: 0} → 2',
    );
  });

  it('compares numbers the runner wrote as strings, and keys without a declared format', () => {
    const histogram = MapCheck.parse({
      id: 'bytes',
      title: 'bytes per frame',
      type: 'map',
      map: 'bytes_per_frame',
      format: { value: 'hex' },
      entries: [{ key: 0, value: '0x30500' }],
    });
    expect(compareMap(histogram, [{ key: 0, value: '197888' }]).status).toBe('passed');
    const wrong = compareMap(histogram, [{ key: 0, value: 197889 }]).mapDiff!.rows[0]!;
    expect(wrong.value).toEqual([{ expected: '0x30500', actual: '0x30501' }]);
    expect(wrong.note).toBe('one more than expected: is the first packet counted twice?');
  });
});
