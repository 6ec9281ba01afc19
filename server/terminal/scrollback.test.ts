import { describe, expect, it } from 'vitest';
import { Scrollback } from './scrollback.js';

describe('Scrollback', () => {
  it('keeps everything while under capacity', () => {
    const ring = new Scrollback(10);
    ring.append('abc');
    ring.append('def');
    expect(ring.snapshot()).toBe('abcdef');
  });

  it('drops whole chunks from the front to stay within capacity', () => {
    const ring = new Scrollback(10);
    for (const chunk of ['aaaa', 'bbbb', 'cccc', 'dddd']) ring.append(chunk);
    expect(ring.snapshot()).toBe('ccccdddd');
    expect(ring.length).toBe(8);
  });

  it('keeps the tail of a chunk larger than the capacity without splitting a character', () => {
    const ring = new Scrollback(4);
    ring.append('x😀abc');
    expect(ring.snapshot()).toBe('abc');
    ring.append('0123456789');
    expect(ring.snapshot()).toBe('6789');
  });

  it('stays bounded over many small appends', () => {
    const ring = new Scrollback(1000);
    for (let i = 0; i < 100_000; i++) ring.append(`${i % 10}`);
    expect(ring.length).toBe(1000);
    expect(ring.snapshot()).toBe('0123456789'.repeat(100));
  });
});
