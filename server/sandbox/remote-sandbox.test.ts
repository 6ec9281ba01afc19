import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shellQuote } from './remote-sandbox.js';

describe('shellQuote', () => {
  it('makes a command line a POSIX shell splits back into the same words', () => {
    const words = [
      'printf',
      '%s\\n',
      "it's",
      'a b',
      '$HOME',
      '`id`',
      '"q"',
      '',
      'semi;colon',
      'new\nline',
      'ü',
    ];
    const out = execFileSync('sh', ['-c', shellQuote(words)], { encoding: 'utf8' });
    expect(out.split('\n').slice(0, -1)).toEqual(words.slice(2).flatMap((w) => w.split('\n')));
  });

  it('leaves plain words as they are', () => {
    expect(shellQuote(['make', '-s', '-f', '/opt/bpflab/lab.mk', 'x.bpf.o', 'KEY=value'])).toBe(
      'make -s -f /opt/bpflab/lab.mk x.bpf.o KEY=value',
    );
  });
});
