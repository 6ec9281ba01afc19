import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFailingState, parseVerifierLog, toDiagnostic } from './verifier-log.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

// Captured from Linux 6.18 loading fixtures/verifier-null-check.bpf.c (built with -g, named null.bpf.c).
const log = fixture('verifier-null-check.log');
const source = fixture('verifier-null-check.bpf.c');
const sources = new Map([['null.bpf.c', source]]);

describe('parseVerifierLog', () => {
  it('keeps the verifier message verbatim and points at the rejected source line', () => {
    const r = parseVerifierLog(log, sources);
    expect(r).toMatchObject({
      message: "R0 invalid mem access 'map_value_or_null'",
      file: 'null.bpf.c',
      line: 21,
      column: 2,
      sourceText: '__sync_fetch_and_add(count, 1);',
    });
    expect(source.split('\n')[20]).toContain('__sync_fetch_and_add(count, 1);');
  });

  it('becomes an editor diagnostic attributed to the verifier', () => {
    const d = toDiagnostic(parseVerifierLog(log, sources)!);
    expect(d).toEqual({
      file: 'null.bpf.c',
      line: 21,
      column: 2,
      severity: 'error',
      source: 'verifier',
      message: "R0 invalid mem access 'map_value_or_null'",
    });
  });

  it('matches a file the kernel names by a different path', () => {
    const r = parseVerifierLog(log, new Map([['src/null.bpf.c', source]]));
    expect(r?.file).toBe('src/null.bpf.c');
  });

  it('finds the line by its text on kernels that print no `@ file:line`', () => {
    const old = log.replace(/ @ \S+:\d+$/gm, '');
    expect(old).not.toContain('@ null.bpf.c');
    const r = parseVerifierLog(old, sources);
    expect(r).toMatchObject({ file: 'null.bpf.c', line: 21 });
  });

  it('keeps a multi-line message whole and skips annotations of generated code (line 0)', () => {
    const r = parseVerifierLog(
      [
        '; x = *p; @ a.bpf.c:7',
        '3: (bf) r1 = r0',
        ';  @ a.bpf.c:0',
        '4: (61) r2 = *(u32 *)(r1 +8)',
        'invalid access to map value, value_size=8 off=8 size=4',
        'R1 min value is outside of the allowed memory range',
        'processed 5 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0',
      ].join('\n'),
      new Map([['a.bpf.c', '\n\n\n\n\n\n\tx = *p;\n']]),
    );
    expect(r).toEqual({
      message:
        'invalid access to map value, value_size=8 off=8 size=4\nR1 min value is outside of the allowed memory range',
      file: 'a.bpf.c',
      line: 7,
      column: 2,
      sourceText: 'x = *p;',
    });
  });

  it('returns the message without a location when the log has no line info', () => {
    const r = parseVerifierLog('0: (b7) r0 = 0\n1: (95) exit\nR0 !read_ok\nprocessed 2 insns', sources);
    expect(r).toEqual({ message: 'R0 !read_ok' });
    expect(toDiagnostic(r!)).toBeNull();
  });

  it('returns null for a log without a rejection', () => {
    expect(
      parseVerifierLog('0: (b7) r0 = 0\n1: (95) exit\nprocessed 2 insns (limit 1000000)', sources),
    ).toBeNull();
  });
});

describe('parseFailingState', () => {
  it('keeps the registers written before the rejected instruction, not those a helper call cleared', () => {
    const state = parseFailingState(log);
    expect(state?.instruction).toEqual({ index: 21, text: 'lock *(u64 *)(r0 +0) += r7' });
    expect(state?.registers).toEqual([
      { name: 'R0', value: 'map_value_or_null(id=1,map=exec_count,ks=16,vs=8)' },
      { name: 'R6', value: 'fp-16' },
      { name: 'R7', value: '1' },
      { name: 'R10', value: 'fp0' },
    ]);
    expect(state?.stack.map((s) => `${s.name}=${s.value}`)).toEqual([
      'fp-8=mmmmmmmm',
      'fp-16=mmmmmmmm',
      'fp-24=0',
    ]);
  });

  it('returns null for a log without a rejection', () => {
    expect(parseFailingState('0: (b7) r0 = 0\n1: (95) exit\nprocessed 2 insns (limit 1000000)')).toBeNull();
  });
});
