/**
 * The Program view's parsers and its putting together, on what the real tools and kernel printed
 * for read-the-bytecode's lastexec.bpf.c (fixtures/program-view: llvm-objdump of the object, the
 * runner's `code` output on Linux 6.18 as root, objdump of its x86-64 JIT image): instructions in
 * clang's syntax, each under its source line, and the verifier's rewrites marked.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CodeLine } from '../protocol/lab.js';
import { disassemble } from './bpf-disasm.js';
import { parseJitObjdump, parseLlvmObjdump } from './objdump-parse.js';
import { HIDDEN_CALLS_NOTE, labFileOf, programCode } from './program-code.js';
import { parseRunnerLine, type RunnerCode } from './runner-protocol.js';

const fixture = (name: string) =>
  readFileSync(path.join(import.meta.dirname, 'fixtures/program-view', name), 'utf8');
const objdump = fixture('lastexec.objdump.txt');
const runnerLines = fixture('lastexec.code.jsonl')
  .trim()
  .split('\n')
  .map((l) => parseRunnerLine(l));
const code = runnerLines.find((l) => l?.type === 'code') as RunnerCode;
const helpers = runnerLines.flatMap((l) => (l?.type === 'helpers' ? l.names : []));
const maps = runnerLines.flatMap((l) => (l?.type === 'loaded' ? l.maps : []));

/** insn: one 8-byte instruction as hex (code, regs, off, imm little-endian). */
function insn(code: number, dst: number, src: number, off: number, imm: number): string {
  const b = Buffer.alloc(8);
  b[0] = code;
  b[1] = (src << 4) | dst;
  b.writeInt16LE(off, 2);
  b.writeInt32LE(imm, 4);
  return b.toString('hex');
}

describe('disassemble', () => {
  it("writes clang's instructions exactly as llvm-objdump does", () => {
    const fn = parseLlvmObjdump(objdump).find((f) => f.name === 'track_exec')!;
    const section = fn.insns.map((i) => i.text);
    // The object's own bytes are not in the fixture; the kernel's copy of the first lines is.
    const mine = disassemble(code.xlated!).map((i) => i.text);
    expect(mine.slice(0, 4)).toEqual(section.slice(0, 4));
  });

  it('reads each class of instruction', () => {
    const cases: [string, string][] = [
      [insn(0xb7, 1, 0, 0, -4), 'r1 = -4'],
      [insn(0xbc, 2, 3, 0, 0), 'w2 = w3'],
      [insn(0x07, 2, 0, 0, -8), 'r2 += -8'],
      [insn(0xcf, 1, 2, 0, 0), 'r1 s>>= r2'],
      [insn(0x87, 3, 0, 0, 0), 'r3 = -r3'],
      [insn(0xdc, 1, 0, 0, 16), 'r1 = be16 r1'],
      [insn(0x61, 0, 1, 8, 0), 'r0 = *(u32 *)(r1 + 8)'],
      [insn(0x72, 10, 0, -1, 7), '*(u8 *)(r10 - 1) = 7'],
      [insn(0x7b, 10, 6, -16, 0), '*(u64 *)(r10 - 16) = r6'],
      [insn(0xdb, 0, 1, 0, 0x00), 'lock *(u64 *)(r0 + 0) += r1'],
      [insn(0xdb, 0, 1, 0, 0x01), 'r1 = atomic_fetch_add((u64 *)(r0 + 0), r1)'],
      [insn(0xdb, 2, 1, 0, 0xe1), 'r1 = xchg_64(r2 + 0)'],
      [insn(0x15, 0, 0, 2, 0), 'if r0 == 0 goto +2'],
      [insn(0x6d, 1, 2, -5, 0), 'if r1 s> r2 goto -5'],
      [insn(0x56, 1, 0, 1, 3), 'if w1 != 3 goto +1'],
      [insn(0x05, 0, 0, 8, 0), 'goto +8'],
      [insn(0x95, 0, 0, 0, 0), 'exit'],
      [insn(0xbf, 0, 0, -1, 0), 'r0 = &(void __percpu *)(r0)'],
      [insn(0xff, 0, 0, 0, 0), '.insn code=0xff dst=r0 src=r0 off=0 imm=0'],
    ];
    for (const [hex, text] of cases) expect(disassemble(hex)[0]?.text).toBe(text);
  });

  it('reads 64-bit loads as two slots: constants, map ids and map values', () => {
    const high = (imm: number) => insn(0, 0, 0, 0, imm);
    expect(disassemble(insn(0x18, 1, 0, 0, 42) + high(0) + insn(0x95, 0, 0, 0, 0))).toEqual([
      { index: 0, text: 'r1 = 42 ll' },
      { index: 2, text: 'exit' },
    ]);
    expect(disassemble(insn(0x18, 1, 1, 0, 77) + high(0))[0]?.text).toBe('r1 = map[id:77]');
    expect(disassemble(insn(0x18, 2, 2, 0, 77) + high(16))[0]?.text).toBe('r2 = map[id:77][0]+16');
    expect(disassemble(insn(0x18, 3, 0, 0, 0) + high(-1))[0]?.text).toBe('r3 = -4294967296 ll');
  });

  it('tells helper, subprogram and kfunc calls apart', () => {
    expect(disassemble(insn(0x85, 0, 0, 0, 14))[0]?.call).toEqual({ kind: 'helper', imm: 14 });
    expect(disassemble(insn(0x85, 0, 1, 0, -5))[0]?.call).toEqual({ kind: 'subprog', imm: -5 });
    expect(disassemble(insn(0x85, 0, 2, 0, 999))[0]?.call).toEqual({ kind: 'kfunc', imm: 999 });
  });

  it('refuses what is not whole instructions in hex', () => {
    expect(() => disassemble('b70100')).toThrow(/multiple of 16 hex digits, got 6/);
  });
});

describe('parseLlvmObjdump', () => {
  it('finds the program, its instructions with their lines and the maps its loads name', () => {
    const [fn] = parseLlvmObjdump(objdump);
    expect(fn).toMatchObject({ section: 'tp/sched/sched_process_exec', name: 'track_exec' });
    // Jump labels (LBB0_2) continue the function rather than start another.
    expect(fn!.insns.at(-1)).toMatchObject({ text: 'exit' });
    expect(fn!.insns.find((i) => i.index === 4)).toEqual({
      index: 4,
      text: 'r1 = 0 ll',
      relocation: 'stats',
      file: '/work/.bpflab/runs/n0nce/lastexec.bpf.c',
      line: 29,
    });
    expect(fn!.insns.find((i) => i.index === 7)?.text).toBe('if r0 == 0 goto +2');
  });
});

describe('parseJitObjdump', () => {
  it('reads machine instructions by byte offset', () => {
    const jit = parseJitObjdump(fixture('lastexec.jit.txt'));
    expect(jit[0]).toEqual({ offset: 0, text: 'nop DWORD PTR [rax+rax*1+0x0]' });
    expect(jit.at(-1)?.text).toBe('ret');
  });
});

describe('programCode', () => {
  const program = programCode({
    code,
    clang: parseLlvmObjdump(objdump),
    helpers,
    maps,
    jit: parseJitObjdump(fixture('lastexec.jit.txt')),
    fileOf: labFileOf(['lastexec.bpf.c']),
  });
  const onLine = (column: CodeLine[], line: number) => column.filter((l) => l.line === line);

  it("names clang's helper calls and the maps its loads refer to, by source line", () => {
    expect(onLine(program.clang, 29).map((l) => l.text)).toEqual([
      'r1 = 0 ll  ; stats',
      'call 1  ; bpf_map_lookup_elem',
    ]);
    expect(program.clang.every((l) => l.file === 'lastexec.bpf.c' || l.file === undefined)).toBe(true);
  });

  it('marks what the verifier rewrote: the inlined array lookup, map ids, calls to kernel functions', () => {
    const lookup = onLine(program.xlated, 29);
    expect(lookup.map((l) => [l.text, l.changed ?? false])).toEqual([
      ['r1 = map[id:10371]  ; stats', true],
      ['r1 += 312', true],
      ['r0 = *(u32 *)(r2 + 0)', true],
      ['if r0 >= 1 goto +3', true],
      ['r0 <<= 3', true],
      ['r0 += r1', true],
      ['goto +1', true],
      ['r0 = 0', true],
    ]);
    const calls = program.xlated.filter((l) => l.text.startsWith('call '));
    expect(calls.map((c) => [c.text, c.changed ?? false])).toEqual([
      ['call bpf_get_current_pid_tgid', false],
      ['call bpf_ktime_get_ns', false],
      ['call __htab_map_lookup_elem', true],
      ['call htab_lru_map_update_elem', true],
    ]);
    expect(program.xlated.at(-1)).toEqual({ offset: 44, text: 'exit', file: 'lastexec.bpf.c', line: 42 });
    expect(program.notes).toEqual([]);
  });

  it('gives each JIT instruction the source line its code starts at', () => {
    expect(program.jited?.[0]).toMatchObject({ offset: 0, line: 26 });
    expect(onLine(program.jited!, 42).at(-1)?.text).toBe('ret');
    expect(program.jitUnavailable).toBeUndefined();
  });

  it('says why calls and JIT are missing when the kernel hides them from the sandbox', () => {
    const hidden = {
      ...code,
      calls: [],
      jited: null,
      jited_lines: [],
      jit_unavailable: 'the kernel hides JIT code from this sandbox',
    };
    const view = programCode({
      code: hidden,
      clang: parseLlvmObjdump(objdump),
      helpers,
      maps,
      jit: null,
      fileOf: labFileOf(['lastexec.bpf.c']),
    });
    expect(view.xlated.filter((l) => l.text === 'call ?')).toHaveLength(4);
    expect(view.xlated.filter((l) => l.text === 'call ?' && l.changed)).toEqual([]);
    expect(view.notes).toEqual([HIDDEN_CALLS_NOTE]);
    expect(view).toMatchObject({
      jited: null,
      jitUnavailable: 'the kernel hides JIT code from this sandbox',
    });
  });
});
