import { describe, expect, it } from 'vitest';
import { CappedOutput, LineSplitter } from './output.js';

describe('CappedOutput', () => {
  it('keeps output under the cap whole', () => {
    const out = new CappedOutput(16);
    out.push(Buffer.from('hello '));
    out.push(Buffer.from('world'));
    expect(out.text()).toBe('hello world');
    expect(out.truncated).toBe(false);
  });

  it('keeps the first bytes up to the cap and counts the rest as dropped', () => {
    const out = new CappedOutput(8);
    out.push(Buffer.from('12345'));
    out.push(Buffer.from('67890'));
    out.push(Buffer.from('abc'));
    expect(out.text()).toBe('12345678');
    expect(out.dropped).toBe(5);
    expect(out.truncated).toBe(true);
  });
});

describe('LineSplitter', () => {
  it('delivers complete lines across chunk boundaries, and the last line on end', () => {
    const lines: string[] = [];
    const split = new LineSplitter(1024, (l) => lines.push(l));
    split.push(Buffer.from('{"a":1}\n{"b"'));
    split.push(Buffer.from(':2}\nlast'));
    expect(lines).toEqual(['{"a":1}', '{"b":2}']);
    split.end();
    expect(lines).toEqual(['{"a":1}', '{"b":2}', 'last']);
  });

  it('does not split a UTF-8 character cut between chunks', () => {
    const lines: string[] = [];
    const split = new LineSplitter(1024, (l) => lines.push(l));
    const bytes = Buffer.from('héllo\n');
    split.push(bytes.subarray(0, 2));
    split.push(bytes.subarray(2));
    expect(lines).toEqual(['héllo']);
  });

  it('stops delivering at the cap and flags the rest as dropped', () => {
    const lines: string[] = [];
    const split = new LineSplitter(10, (l) => lines.push(l));
    split.push(Buffer.from('1234\n5678\nabcd\nefgh\n'));
    expect(lines).toEqual(['1234', '5678']);
    expect(split.truncated).toBe(true);
  });

  it('drops a line that never ends instead of buffering it', () => {
    const lines: string[] = [];
    const split = new LineSplitter(10, (l) => lines.push(l));
    split.push(Buffer.alloc(64, 'x'));
    split.push(Buffer.from('\nafter\n'));
    split.end();
    expect(lines).toEqual([]);
    expect(split.truncated).toBe(true);
  });

  it('takes a line of many megabytes in chunks in linear time (a verifier log before --log-limit)', () => {
    const lines: string[] = [];
    const split = new LineSplitter(64 * 1024 * 1024, (l) => lines.push(l));
    const chunk = Buffer.alloc(64 * 1024, 'v');
    const started = performance.now();
    for (let i = 0; i < 512; i++) split.push(chunk);
    split.push(Buffer.from('\n'));
    // Joining the pending text on every chunk took ~10 s for these 32 MiB; linear takes well under 1.
    expect(performance.now() - started).toBeLessThan(2000);
    expect(lines.map((l) => l.length)).toEqual([512 * 64 * 1024]);
  });
});
