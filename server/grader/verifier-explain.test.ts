import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATALOGUE } from './verifier-catalogue.js';
import { describeStackSlot, describeValue, explainRejection } from './verifier-explain.js';

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/verifier/${name}`, import.meta.url), 'utf8');

/** A Linux 6.18 log captured by loading fixtures/verifier/<id>.bpf.c, explained against its source. */
function explain618(id: string) {
  return explainRejection({
    verifierLog: fixture(`${id}.6.18.log`),
    error: 'the verifier rejected the program',
    sources: new Map([[`${id}.bpf.c`, fixture(`${id}.bpf.c`)]]),
  })!;
}

const register = (e: ReturnType<typeof explain618>, name: string) => e.registers.find((r) => r.name === name);

describe('explainRejection on Linux 6.18 logs', () => {
  it('a lookup without a NULL check: instruction, source line, R0 in words, the fix', () => {
    const e = explain618('map-value-null');
    expect(e.entry?.id).toBe('map-value-null');
    expect(e.entry?.explanation).toContain('R0 holds what bpf_map_lookup_elem() returned');
    expect(e.entry?.fix).toContain('if (!value) return 0;');
    expect(e.message).toBe("R0 invalid mem access 'map_value_or_null'");
    expect(e.instruction).toEqual({ index: 8, text: 'r1 = *(u64 *)(r0 +0)' });
    expect(e.source).toEqual({ file: 'map-value-null.bpf.c', line: 19, column: 2, text: '*value += 1;' });
    expect(register(e, 'R0')).toEqual({
      name: 'R0',
      value: 'map_value_or_null(id=1,map=counts,ks=4,vs=8)',
      words: 'a map value of map `counts` that may be NULL \u2014 check it before use',
      named: true,
    });
    // The call left R1-R5 uninitialised (the map pointer in R1 is gone); R10 is always there.
    expect(e.registers.map((r) => r.name)).toEqual(['R0', 'R10']);
    expect(register(e, 'R10')?.words).toMatch(/^the frame pointer/);
    expect(e.stack).toEqual([
      {
        name: 'fp-8',
        value: 'mmmm????',
        words: '4 of 8 bytes written (written data), 4 never written',
        named: false,
      },
    ]);
  });

  it.each([
    // fixture, line, instruction, a register and its value there
    ['ringbuf-null', 16, '*(u32 *)(r6 +0) = r0', 'R6', 'ringbuf_mem_or_null(id=2,ref_obj_id=2,sz=4)'],
    ['scalar-deref', 12, 'r0 = *(u32 *)(r0 +0)', 'R0', 'scalar()'],
    ['r0-unset', undefined, 'exit', 'R1', 'ctx()'],
    ['gpl-only', 10, 'call bpf_trace_printk#6', 'R2', '7'],
    ['loop', 11, 'r1 = *(u32 *)(r10 -4)', 'R1', '0'],
    ['packet-bounds', 11, 'r1 = *(u16 *)(r1 +12)', 'R1', 'pkt(r=0)'],
    [
      'helper-arg',
      18,
      'call bpf_map_lookup_elem#1',
      'R2',
      'scalar(id=1,smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff))',
    ],
    ['unreleased-reference', 20, 'exit', 'R6', 'ringbuf_mem(ref_obj_id=2,sz=4)'],
    ['ctx-access', 10, '*(u64 *)(r1 +16) = r2', 'R1', 'ctx()'],
    ['uninit-stack', 19, 'call bpf_map_update_elem#2', 'R3', 'fp-16'],
    ['core-relocation', 14, '<invalid CO-RE relocation>', 'R0', 'scalar()'],
  ])('%s: line %s, `%s`, %s=%s, explained by its entry', (id, line, instruction, name, value) => {
    const e = explain618(id);
    expect(e.entry?.id).toBe(id);
    expect(e.source?.line).toBe(line);
    expect(e.instruction?.text).toBe(instruction);
    expect(register(e, name)?.value).toBe(value);
  });

  it('does not take the states a loop\u2019s message lists for registers the error names', () => {
    const e = explain618('loop');
    expect(e.message).toMatch(/^infinite loop detected at insn 3\ncur state: R1=0 R10=fp0/);
    expect(e.registers.filter((r) => r.named)).toEqual([]);
  });

  it('stack over 512 bytes and a too complex program need no instruction to be explained', () => {
    expect(explain618('stack-too-big')).toMatchObject({
      entry: { id: 'stack-too-big' },
      registers: [],
      message: 'combined stack size of 3 calls is 640. Too large',
    });
    const complex = explain618('too-complex');
    expect(complex.entry?.id).toBe('too-complex');
    expect(complex.instruction).toEqual({ index: 5, text: 'r0 &= r7' });
  });

  it('says which words describe a packet pointer, a range and a ring-buffer record', () => {
    expect(describeValue('pkt(r=0)')).toMatch(/r=0: no bytes proven inside the packet yet/);
    expect(describeValue('pkt(off=14,r=14,imm=0)')).toBe(
      'a pointer into the packet at offset 14, r=14: the first 14 bytes from the packet\u2019s start are proven inside the packet',
    );
    expect(describeValue('scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff))')).toBe(
      'a number, not a pointer, between 0 and 4294967295 (0xffffffff)',
    );
    expect(describeValue('scalar()')).toBe(
      'a number, not a pointer; the verifier knows nothing of its value',
    );
    expect(describeValue('ringbuf_mem(ref_obj_id=2,sz=4)')).toBe(
      'a reserved ring-buffer record of 4 bytes: submit or discard it before the program ends',
    );
    expect(describeValue('trusted_ptr_task_struct()')).toBe('a pointer to a kernel struct task_struct');
    expect(describeValue('P-1')).toBe('the number -1, known exactly');
    expect(describeStackSlot('????????')).toBe('never written: reading it is an uninitialised stack read');
    expect(describeStackSlot('0')).toBe('a saved register: the number 0, known exactly');
  });
});

/** Captured by loading the same fixtures in the vm driver's guest: Debian 12, Linux 6.1.0-57-amd64. */
describe('explainRejection on Linux 6.1 logs from the VM guest', () => {
  const explain61 = (id: string) =>
    explainRejection({
      verifierLog: fixture(`${id}.6.1.log`),
      error: 'the verifier rejected the program',
      sources: new Map([[`${id}.bpf.c`, fixture(`${id}.bpf.c`)]]),
    })!;

  it.each([
    // fixture, line (found by its text: 6.1 prints no `@ file:line`), a register and its value there
    ['map-value-null', 19, 'R0', 'map_value_or_null(id=1,off=0,ks=4,vs=8,imm=0)'],
    ['ringbuf-null', 16, 'R6', 'alloc_mem_or_null(id=2,ref_obj_id=2,off=0,imm=0)'],
    ['scalar-deref', 12, 'R0', 'scalar()'],
    ['r0-unset', undefined, 'R1', 'ctx(off=0,imm=0)'],
    ['gpl-only', 10, 'R2', '7'],
    ['loop', 11, 'R1', '0'],
    ['stack-too-big', undefined, undefined, undefined],
    ['packet-bounds', 11, 'R1', 'pkt(off=0,r=0,imm=0)'],
    ['helper-arg', 18, 'R2', 'scalar(id=1,umax=4294967295,var_off=(0x0; 0xffffffff))'],
    ['unreleased-reference', 20, 'R6', 'alloc_mem(ref_obj_id=2,off=0,imm=0)'],
    ['ctx-access', 10, 'R1', 'ctx(off=0,imm=0)'],
    ['uninit-stack', 19, 'R3', 'fp-16'],
    ['core-relocation', 14, 'R0', 'scalar()'],
  ])('%s: line %s, %s=%s, explained by its entry', (id, line, name, value) => {
    const e = explain61(id);
    expect(e.entry?.id).toBe(id);
    expect(e.source?.line).toBe(line);
    expect(name && register(e, name)?.value).toBe(value);
  });

  it('says a 6.1 ring-buffer reservation (alloc_mem_or_null) may be NULL', () => {
    expect(register(explain61('ringbuf-null'), 'R6')).toMatchObject({
      named: true,
      words: 'a ring-buffer record that may be NULL (the buffer may be full) \u2014 check it before use',
    });
  });
});

/** Written in Linux 6.1's format (Debian 12's kernel): the VM guest's. */
describe('explainRejection on Linux 6.1 logs (no `@ file:line`, liveness marks, off= and imm=)', () => {
  const source = fixture('map-value-null.bpf.c');
  const sources = new Map([['map-value-null.bpf.c', source]]);
  const log61 = [
    '0: R1=ctx(off=0,imm=0) R10=fp0',
    '; u32 pid = bpf_get_current_pid_tgid() >> 32;',
    '0: (85) call bpf_get_current_pid_tgid#14      ; R0_w=scalar()',
    '1: (77) r0 >>= 32                     ; R0_w=scalar(umax=4294967295,var_off=(0x0; 0xffffffff))',
    '2: (63) *(u32 *)(r10 -4) = r0         ; R0_w=scalar(umax=4294967295,var_off=(0x0; 0xffffffff)) R10=fp0 fp-8=mmmm????',
    '3: (bf) r2 = r10                      ; R2_w=fp0 R10=fp0',
    ';',
    '4: (07) r2 += -4                      ; R2_w=fp-4',
    '; u64 *value = bpf_map_lookup_elem(&counts, &pid);',
    '5: (18) r1 = 0xffff9b2c4a3f5c00       ; R1_w=map_ptr(off=0,ks=4,vs=8,imm=0)',
    '7: (85) call bpf_map_lookup_elem#1    ; R0_w=map_value_or_null(id=1,off=0,ks=4,vs=8,imm=0)',
    '; *value += 1;',
    '8: (79) r1 = *(u64 *)(r0 +0)',
    "R0 invalid mem access 'map_value_or_null'",
    'processed 8 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0',
  ].join('\n');

  it('finds the instruction, the line by its text, and the registers without their marks', () => {
    const e = explainRejection({ verifierLog: log61, error: '', sources })!;
    expect(e.entry?.id).toBe('map-value-null');
    expect(e.instruction).toEqual({ index: 8, text: 'r1 = *(u64 *)(r0 +0)' });
    expect(e.source).toMatchObject({ file: 'map-value-null.bpf.c', line: 19 });
    expect(e.registers.map((r) => [r.name, r.value])).toEqual([
      ['R0', 'map_value_or_null(id=1,off=0,ks=4,vs=8,imm=0)'],
      ['R10', 'fp0'],
    ]);
    expect(e.registers[0]?.words).toBe('a map value that may be NULL \u2014 check it before use');
    expect(e.stack.map((s) => s.name)).toEqual(['fp-8']);
  });

  it('takes the state a branch starts with (`from X to Y:`), and says when no entry matches', () => {
    const e = explainRejection({
      verifierLog: [
        '0: R1=ctx(off=0,imm=0) R10=fp0',
        '5: (18) r1 = 0xffff9b2c4a3f5c00       ; R1_w=map_ptr(off=0,ks=4,vs=8,imm=0)',
        '7: (85) call bpf_map_lookup_elem#1    ; R0_w=map_value_or_null(id=1,off=0,ks=4,vs=8,imm=0)',
        '8: (15) if r0 == 0x0 goto pc+1       ; R0_w=map_value(off=0,ks=4,vs=8,imm=0)',
        '9: (95) exit',
        '',
        'from 8 to 10: R0=map_value(off=0,ks=4,vs=8,imm=0) R6=ctx(off=0,imm=0) R10=fp0 fp-8=mmmm????',
        '; *value += 1;',
        '10: (79) r1 = *(u64 *)(r0 +8)',
        'invalid access to map value, value_size=8 off=8 size=8',
        'R0 min value is outside of the allowed memory range',
        'processed 10 insns (limit 1000000) max_states_per_insn 0 total_states 1 peak_states 1 mark_read 0',
      ].join('\n'),
      error: 'the verifier rejected the program',
      sources,
    })!;
    expect(e.entry).toBeNull();
    expect(e.instruction).toEqual({ index: 10, text: 'r1 = *(u64 *)(r0 +8)' });
    expect(e.registers.map((r) => r.name)).toEqual(['R0', 'R6', 'R10']);
    expect(e.registers[0]).toMatchObject({
      named: true,
      words: 'a pointer to a value (8 bytes), checked: safe to read and write within its size',
    });
  });

  it('reads 6.1 ring-buffer and packet registers', () => {
    expect(describeValue('ringbuf_mem_or_null(id=2,ref_obj_id=2,off=0,imm=0)')).toMatch(/may be NULL/);
    expect(describeValue('pkt(off=0,r=0,imm=0)')).toMatch(/^a pointer into the packet, r=0/);
    expect(describeValue('pkt_end(off=0,imm=0)')).toMatch(/^the end of the packet/);
  });
});

describe('explainRejection without a verifier log', () => {
  it('explains a missing kernel BTF from libbpf\u2019s error', () => {
    const e = explainRejection({
      error: "loading 'core-relocation.bpf.o' failed: No such process; libbpf: Error loading vmlinux BTF: -3",
      sources: new Map(),
    });
    expect(e).toMatchObject({ entry: { id: 'kernel-btf-missing' }, registers: [], stack: [] });
    expect(e?.instruction).toBeUndefined();
  });

  it('explains nothing for a load failure that is neither the verifier\u2019s nor catalogued', () => {
    expect(explainRejection({ error: 'attach failed: Permission denied', sources: new Map() })).toBeNull();
  });
});

describe('the catalogue', () => {
  it('has an entry per kind of rejection the lab promises, each with a fixture program', () => {
    const ids = CATALOGUE.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids.filter((i) => !['other-null', 'register-unset', 'kernel-btf-missing'].includes(i))) {
      expect(fixture(`${id}.bpf.c`)).toContain('SEC(');
    }
  });
});
