import { describe, expect, it } from 'vitest';
import { Scrollback } from './scrollback.js';

const bytes = (text: string) => Buffer.from(text);
const text = (data: Uint8Array) => Buffer.from(data).toString();

describe('Scrollback', () => {
  it('keeps everything while under capacity', () => {
    const ring = new Scrollback(10);
    ring.append(bytes('abc'));
    ring.append(bytes('def'));
    expect(text(ring.snapshot())).toBe('abcdef');
  });

  it('drops whole chunks from the front to stay within capacity', () => {
    const ring = new Scrollback(10);
    for (const chunk of ['aaaa', 'bbbb', 'cccc', 'dddd']) ring.append(bytes(chunk));
    expect(text(ring.snapshot())).toBe('ccccdddd');
    expect(ring.length).toBe(8);
  });

  it('keeps the tail of a chunk larger than the capacity, never starting inside a character', () => {
    const ring = new Scrollback(6);
    // 😀 is four bytes: the last six of "x😀abc" start at its third, which the replay leaves out.
    ring.append(bytes('x😀abc'));
    expect(text(ring.snapshot())).toBe('abc');
    ring.append(bytes('0123456789'));
    expect(text(ring.snapshot())).toBe('456789');
  });

  it('replays a character split between chunks whole, and skips one cut at the front', () => {
    const ring = new Scrollback(9);
    const split = bytes('é!'); // é is two bytes, arriving in two reads
    ring.append(split.subarray(0, 1));
    ring.append(split.subarray(1));
    expect(text(ring.snapshot())).toBe('é!');
    ring.append(bytes('1234567'));
    // The chunk holding é's first byte fell off; its second byte does not start the replay.
    expect(text(ring.snapshot())).toBe('!1234567');
  });

  it('stays bounded over many small appends', () => {
    const ring = new Scrollback(1000);
    for (let i = 0; i < 100_000; i++) ring.append(bytes(`${i % 10}`));
    expect(ring.length).toBe(1000);
    expect(text(ring.snapshot())).toBe('0123456789'.repeat(100));
  });
});
