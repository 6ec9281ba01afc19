import { describe, expect, it } from 'vitest';
import type { ProgramCode } from '@/server/protocol/lab';
import { columnSummary, hasCode, instructionsOf, linesWithCode, programToShow } from './program-sync';

const program: ProgramCode = {
  name: 'handle_execve',
  section: 'tracepoint/syscalls/sys_enter_execve',
  clang: [
    { offset: 0, text: 'r1 = 0 ll  ; events', file: 'hello.bpf.c', line: 27 },
    { offset: 2, text: 'call 131  ; bpf_ringbuf_reserve', file: 'hello.bpf.c', line: 27 },
    { offset: 3, text: 'exit', file: 'hello.bpf.c', line: 37 },
  ],
  xlated: [
    { offset: 0, text: 'r1 = map[id:7]  ; events', file: 'hello.bpf.c', line: 27, changed: true },
    { offset: 2, text: 'call ?', file: 'hello.bpf.c', line: 27 },
    { offset: 3, text: 'r0 = 0' },
    { offset: 4, text: 'exit', file: 'hello.bpf.c', line: 37 },
  ],
  jited: null,
  jitUnavailable: 'hidden',
  notes: [],
};

describe('program sync', () => {
  it('finds the instructions of a source line in every column', () => {
    const at = { file: 'hello.bpf.c', line: 27 };
    expect(instructionsOf(program.clang, at)).toEqual([0, 1]);
    expect(instructionsOf(program.xlated, at)).toEqual([0, 1]);
    expect(instructionsOf(program.jited, at)).toEqual([]);
    expect(instructionsOf(program.clang, { file: 'other.c', line: 27 })).toEqual([]);
    expect(instructionsOf(program.clang, null)).toEqual([]);
  });

  it('knows which source lines have code', () => {
    const lines = linesWithCode(program);
    expect(hasCode(lines, { file: 'hello.bpf.c', line: 27 })).toBe(true);
    expect(hasCode(lines, { file: 'hello.bpf.c', line: 28 })).toBe(false);
    expect(lines.size).toBe(2);
  });

  it('says what each column holds for the line', () => {
    expect(columnSummary(0, null, 'instruction')).toBe('Choose a source line to see its instructions.');
    expect(columnSummary(2, { file: 'a.c', line: 27 }, 'instruction')).toBe('2 instructions for line 27.');
    expect(columnSummary(1, { file: 'a.c', line: 3 }, 'verifier')).toBe(
      '1 instruction for line 3 after the verifier.',
    );
    expect(columnSummary(0, { file: 'a.c', line: 5 }, 'instruction')).toBe('No instructions for line 5.');
  });

  it('keeps the chosen program across answers while it exists', () => {
    const other = { ...program, name: 'other' };
    expect(programToShow([program, other], 'other')).toBe(other);
    expect(programToShow([program, other], 'gone')).toBe(program);
    expect(programToShow([], null)).toBeNull();
  });
});
