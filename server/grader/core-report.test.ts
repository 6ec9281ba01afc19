import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CORE_REPORT_LIMIT } from '../protocol/core-report.js';
import { coreReportOf, withCoreReport } from './core-report.js';

/**
 * Relocation lines as the runner kept them (its {"type":"core"} line) when libbpf 1.1.2 loaded
 * fixtures/core/<name>.bpf.c on Linux 6.18, whose task_struct has tgid at byte 1268.
 */
const captured = (name: string) =>
  readFileSync(new URL(`./fixtures/core/${name}.log`, import.meta.url), 'utf8')
    .trimEnd()
    .split('\n');

describe('coreReportOf', () => {
  const applied = coreReportOf(captured('core-applied'))!;
  const byAccess = (access: string, kind: string) =>
    applied.relocations.find((r) => r.access === access && r.kind === kind);

  it('lists one entry per relocation, program by program, in the order libbpf applied them', () => {
    expect(applied.relocations.map((r) => [r.program, r.index, r.kind])).toEqual([
      ['read_task', 0, 'byte_off'],
      ['read_task', 1, 'byte_off'],
      ['read_task', 2, 'type_size'],
      ['read_task', 3, 'enumval_value'],
      ['read_task', 4, 'field_exists'],
      ['read_task', 5, 'byte_off'],
      ['read_task', 6, 'type_exists'],
      ['read_task', 7, 'enumval_exists'],
      ['read_task', 8, 'field_exists'],
      ['read_task', 9, 'byte_off'],
    ]);
    expect(applied.omitted).toBe(0);
    expect(applied.complete).toBe(true);
  });

  it("gives a field read's offset in the object and on this kernel, and the instruction patched", () => {
    expect(byAccess('struct task_struct.tgid', 'byte_off')).toEqual({
      program: 'read_task',
      index: 0,
      instruction: 2,
      kind: 'byte_off',
      kindText: 'field offset',
      access: 'struct task_struct.tgid',
      kernelType: 'struct task_struct',
      objectValue: 1268,
      kernelValue: 1268,
      status: 'applied',
      explanation: 'At byte 1268 of `struct task_struct` on this kernel (as in the object).',
    });
    expect(byAccess('struct task_struct.real_parent', 'byte_off')).toMatchObject({
      kernelValue: 1280,
      status: 'applied',
    });
  });

  it('reads type sizes and enum values as this kernel has them', () => {
    expect(byAccess('struct task_struct', 'type_size')).toMatchObject({
      kindText: 'type size',
      kernelValue: 3264,
      explanation: '3264 bytes on this kernel (as in the object).',
    });
    expect(byAccess('enum bpf_func_id::BPF_FUNC_map_lookup_elem', 'enumval_value')).toMatchObject({
      kernelType: 'enum bpf_func_id',
      kernelValue: 1,
    });
  });

  it('says what an "exists" check found missing, matched through a ___flavour to the kernel type', () => {
    expect(byAccess('struct task_struct___made_up.pid_before_2_6', 'field_exists')).toMatchObject({
      status: 'applied',
      objectValue: 1,
      kernelValue: 0,
      explanation:
        'On this kernel, `struct task_struct` has no field `pid_before_2_6`: bpf_core_field_exists() is 0 here, so the code it guards does not run.',
    });
    expect(byAccess('struct made_up_struct', 'type_exists')?.explanation).toBe(
      'This kernel has no `struct made_up_struct`: bpf_core_type_exists() is 0 here, so the code it guards does not run.',
    );
    expect(byAccess('enum bpf_func_id___made_up::BPF_FUNC_made_up', 'enumval_exists')?.explanation).toMatch(
      /^On this kernel, `enum bpf_func_id` has no value `BPF_FUNC_made_up`: bpf_core_enum_value_exists\(\) is 0/,
    );
  });

  it('reports a read of a missing field as poisoned, with what the verifier will do and the guard', () => {
    const report = coreReportOf(captured('core-missing-field'))!;
    expect(report.relocations).toHaveLength(2);
    const poisoned = report.relocations[1];
    expect(poisoned).toEqual({
      program: 'read_old_pid',
      index: 1,
      instruction: 13,
      kind: 'byte_off',
      kindText: 'field offset',
      access: 'struct task_struct___made_up.pid_before_2_6',
      status: 'poisoned',
      explanation:
        'On this kernel, `struct task_struct` has no field `pid_before_2_6`: libbpf replaced instruction #13 with an invalid one, and the verifier rejects the program if that instruction can run. Guard the access with bpf_core_field_exists(), or read a field this kernel has.',
    });
  });

  it('names the first missing field of a path from the fields libbpf matched before giving up', () => {
    // task->thread exists on every kernel; thread_struct___made_up's field does not.
    const missing = applied.relocations.filter(
      (r) => r.access === 'struct task_struct___with_thread.thread.made_up',
    );
    expect(missing.map((r) => [r.kind, r.status])).toEqual([
      ['field_exists', 'applied'],
      ['byte_off', 'poisoned'],
    ]);
    expect(missing[0]?.explanation).toMatch(
      /^On this kernel, `struct task_struct.thread` has no field `made_up`: bpf_core_field_exists\(\) is 0 here/,
    );
    expect(missing[1]?.explanation).toMatch(
      /^On this kernel, `struct task_struct.thread` has no field `made_up`: libbpf replaced instruction #63 /,
    );
  });

  it('says a relocation libbpf gave up on stopped the load, and why', () => {
    const report = coreReportOf(captured('core-anonymous'))!;
    expect(report.relocations).toEqual([
      {
        program: 'read_anonymous',
        index: 0,
        kind: 'unknown',
        kindText: 'not known: libbpf gave up before reading it',
        access: 'struct (anonymous)',
        status: 'failed',
        explanation:
          "libbpf finds the kernel's type by name, and this struct has none, so it could not relocate the access and did not load the object. Name the type (`struct task_view { … }`) or use one from vmlinux.h.",
      },
    ]);
  });

  it('is absent for an object without relocations, and keeps the grade small for one with many', () => {
    expect(coreReportOf([])).toBeUndefined();
    expect(coreReportOf(['not a relocation line'])).toBeUndefined();
    const lines = captured('core-applied');
    const many = Array.from({ length: 40 }, (_, p) =>
      lines.map((l) => l.replace("'read_task'", `'p${p}'`)),
    ).flat();
    const report = coreReportOf(many, 12)!;
    expect(report.relocations).toHaveLength(CORE_REPORT_LIMIT);
    expect(report.omitted).toBe(40 * 10 - CORE_REPORT_LIMIT);
    expect(report.complete).toBe(false);
  });
});

describe('withCoreReport', () => {
  const grade = {
    gradable: true,
    score: 1,
    maxScore: 1,
    checks: [],
    diagnostics: [],
    timings: {},
    message: '',
    log: '',
  };

  it('adds the report only when the runner printed relocation lines', () => {
    expect(withCoreReport(grade, null)).toBe(grade);
    expect(withCoreReport(grade, { lines: [], omitted: 0 })).toBe(grade);
    expect(
      withCoreReport(grade, { lines: captured('core-missing-field'), omitted: 0 }).core?.relocations,
    ).toHaveLength(2);
  });
});
