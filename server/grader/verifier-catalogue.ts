/**
 * The verifier explainer's catalogue: the rejections learners meet most, each recognised by the
 * verifier's (or libbpf's) words and explained in plain language with the usual fix. The first
 * entry whose pattern matches the message wins, so specific entries come before general ones.
 * Each entry has a program that triggers it in fixtures/verifier/<id>.bpf.c, loaded on the real
 * kernel by verifier-catalogue.itest.ts. docs/grading.md says how to add one.
 */

export interface CatalogueEntry {
  id: string;
  title: string;
  /** Tried on the verifier's message, then on the whole log and the loader's error. */
  pattern: RegExp;
  /** The words for the learner, given the pattern's match (group 1 is the register, when it names one). */
  explanation(match: RegExpExecArray): string;
  fix(match: RegExpExecArray): string;
}

/** `R0`, from a match whose first group is a register number; "the register" when absent. */
const reg = (m: RegExpExecArray) => (m[1] === undefined ? 'the register' : `R${m[1]}`);

export const CATALOGUE: readonly CatalogueEntry[] = [
  {
    id: 'map-value-null',
    title: 'A map lookup used without a NULL check',
    pattern: /R(\d+) invalid mem access 'map_value_or_null'/,
    explanation: (m) =>
      `${reg(m)} holds what bpf_map_lookup_elem() returned: a pointer to the value, or NULL when the key is not in the map. The program reads or writes through it on a path where it may still be NULL, and the verifier refuses that.`,
    fix: () =>
      'Compare the pointer with NULL right after the lookup and leave on that branch, e.g. `if (!value) return 0;`. After the check the verifier knows it is a valid map value.',
  },
  {
    id: 'ringbuf-null',
    title: 'A ring-buffer record used without a NULL check',
    // Linux 6.1 calls the reservation `alloc_mem_or_null`, later kernels `ringbuf_mem_or_null`.
    pattern: /R(\d+) invalid mem access '(?:ringbuf|alloc)_mem_or_null'/,
    explanation: (m) =>
      `${reg(m)} holds what bpf_ringbuf_reserve() returned: a record, or NULL when the ring buffer is full. The program writes the record on a path where it may still be NULL.`,
    fix: () =>
      'Check the reservation before filling it: `e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0); if (!e) return 0;`.',
  },
  {
    id: 'scalar-deref',
    title: 'A number used as a pointer',
    pattern: /R(\d+) invalid mem access '(?:scalar|inv)'/,
    explanation: (m) =>
      `${reg(m)} holds a plain number (a scalar), not a pointer the verifier can check, and the program reads or writes memory through it. BPF programs may only dereference pointers whose origin the verifier knows: the context, the stack, map values, packets.`,
    fix: () =>
      'Read kernel memory with bpf_probe_read_kernel() or BPF_CORE_READ() instead of dereferencing a number; if the value came from a map or a helper, keep the pointer it gave you rather than a copy cast from an integer.',
  },
  {
    id: 'other-null',
    title: 'A pointer that may be NULL used without a check',
    pattern: /R(\d+) invalid mem access '(\w+_or_null)'/,
    explanation: (m) =>
      `${reg(m)} holds a pointer that may be NULL (${m[2]}), and the program dereferences it before comparing it with NULL.`,
    fix: () =>
      'Compare the pointer with NULL and return (or skip the access) on that branch before using it.',
  },
  {
    id: 'r0-unset',
    title: 'The program exits without setting its return value',
    pattern: /R0 !read_ok/,
    explanation: () =>
      'At `exit`, R0 is the program\u2019s return value, but nothing was written to R0 on this path, so the verifier does not know what the program returns.',
    fix: () =>
      'Make every path end with a `return` of a value (e.g. `return 0;`); in hand-written assembly set r0 before `exit`.',
  },
  {
    id: 'register-unset',
    title: 'A register read before anything was written to it',
    pattern: /R(\d+) !read_ok/,
    explanation: (m) =>
      `${reg(m)} is read here but holds nothing on this path. A helper call leaves R1–R5 uninitialised, so values kept in them across a call are lost.`,
    fix: () =>
      'Initialise the variable before use on every path; a value needed after a helper call must live in a variable the compiler can keep (it will use R6–R9 or the stack).',
  },
  {
    id: 'gpl-only',
    title: 'A GPL-only helper in a program without a GPL licence',
    pattern:
      /cannot call GPL-restricted function from non-GPL compatible program|from non-GPL compatible program/,
    explanation: () =>
      'This helper (bpf_printk/bpf_trace_printk, bpf_probe_read_kernel and many tracing helpers) may only be called by programs whose licence is GPL-compatible, and this program declares another licence.',
    fix: () =>
      'Declare a GPL-compatible licence: `char LICENSE[] SEC("license") = "GPL";` (or "Dual BSD/GPL").',
  },
  {
    id: 'loop',
    title: 'A loop the verifier cannot prove ends',
    pattern: /infinite loop detected|back-edge from insn|loop detected/,
    explanation: () =>
      'The verifier walks every path of the program; here it came back to the same instruction in the same state, so the loop would run for ever (kernels before 5.3 refuse every backward jump).',
    fix: () =>
      'Give the loop a bound the verifier can see (`for (int i = 0; i < 64 && cond; i++)`), or use bpf_loop() for long loops; the condition must change on every turn.',
  },
  {
    id: 'stack-too-big',
    title: 'More than 512 bytes of stack',
    pattern:
      /combined stack size of \d+ calls is (\d+)|stack size \d+\. Too large|stack limit|invalid (?:write|read) to stack R\d+ off=-(?:5[1-9]\d|[6-9]\d\d|\d{4,})/,
    explanation: () =>
      'A BPF program has 512 bytes of stack, for all the functions of one call chain together, and this program needs more (large local arrays or structs).',
    fix: () =>
      'Move large buffers into a BPF_MAP_TYPE_PERCPU_ARRAY map with one entry and use it as scratch space, or reserve the record directly in the ring buffer instead of building it on the stack.',
  },
  {
    id: 'packet-bounds',
    title: 'Packet read without a bounds check',
    pattern: /invalid access to packet|offset is outside of the packet/,
    explanation: () =>
      'A packet pointer may only be used for bytes the program has proven to lie before `data_end`. The verifier shows that proof as `r=N` on the pointer: N bytes from the packet start; here the access goes past it.',
    fix: () =>
      'Compare before reading: `if ((void *)(eth + 1) > data_end) return XDP_PASS;` (or TC_ACT_OK), and read only the header whose end you checked.',
  },
  {
    id: 'helper-arg',
    title: 'A helper called with the wrong kind of argument',
    pattern: /R(\d+) type=(\S+) expected=(.*)/,
    explanation: (m) =>
      `The helper\u2019s argument in ${reg(m)} is a ${m[2]} but the helper needs one of: ${m[3]!.replace(/,?\s*$/, '')}. Arguments go in R1–R5 in order, so ${reg(m)} is argument ${Number(m[1])}.`,
    fix: () =>
      'Pass what the helper expects: keys and values as pointers to variables on the stack (`&key`), maps as `&map`, not numbers cast to pointers.',
  },
  {
    id: 'too-complex',
    title: 'Program too large or too complex to verify',
    pattern: /BPF program is too large|is too complex|too many states|complexity limit|program too large/,
    explanation: () =>
      'The verifier stopped before it finished: it walks each path and each loop turn, up to a million instructions, and this program has too many paths or turns (a long loop with a branch in its body, or deep nesting).',
    fix: () =>
      'Shorten loops (a smaller bound), move work out of the loop, or use bpf_loop() with a callback, which the verifier checks once instead of once per turn.',
  },
  {
    id: 'unreleased-reference',
    title: 'A ring-buffer record neither submitted nor discarded',
    pattern: /Unreleased reference|would lead to reference leak/,
    explanation: () =>
      'Something the program acquired, such as a record from bpf_ringbuf_reserve(), is still held when the program exits on this path. The verifier requires every reservation to be given back.',
    fix: () =>
      'On every path after a successful reserve call bpf_ringbuf_submit(e, 0), or bpf_ringbuf_discard(e, 0) when you decide not to send it.',
  },
  {
    id: 'ctx-access',
    title: 'Invalid access to the program\u2019s context',
    pattern: /invalid bpf_context access|dereference of modified ctx ptr|R(\d+) invalid mem access 'ctx'/,
    explanation: () =>
      'The context (the program\u2019s argument) may only be read at the offsets and sizes its program type allows, and most contexts may not be written at all. This access is outside what the verifier allows.',
    fix: () =>
      'Read the context through its proper type and fields (e.g. `ctx->data` in XDP, `ctx->args[0]` in a syscall tracepoint), copy what you need to a local variable, and write to the copy.',
  },
  {
    id: 'uninit-stack',
    title: 'Reading stack memory that was never written',
    pattern: /invalid (?:indirect )?read from stack/,
    explanation: () =>
      'A variable on the stack is read (or handed to a helper) before anything was written to it. Its bytes show as `?` in the stack state.',
    fix: () =>
      'Initialise it first: `u64 value = 0;` or `struct event e = {};`, or fill it completely before passing its address to a helper.',
  },
  {
    id: 'core-relocation',
    title: 'A CO-RE relocation failed on this kernel',
    pattern: /failed to resolve CO-RE relocation|<invalid CO-RE relocation>|0xbad2310|unknown#195896080/,
    explanation: () =>
      'The program reads a kernel struct field (through CO-RE, BPF_CORE_READ or preserve_access_index) that this kernel\u2019s BTF does not have. libbpf could not fix the offset, so it replaced the instruction with an invalid one, which the verifier refused.',
    fix: () =>
      'Check the field name and struct against this kernel (`bpftool btf dump file /sys/kernel/btf/vmlinux`); for a field that only some kernels have, guard the read with bpf_core_field_exists().',
  },
  {
    id: 'kernel-btf-missing',
    title: 'The kernel\u2019s BTF is missing',
    pattern:
      /failed to find valid kernel BTF|Error loading vmlinux BTF|vmlinux BTF is not found|missing kernel BTF/,
    explanation: () =>
      'The program uses CO-RE, which needs the kernel\u2019s own type information (/sys/kernel/btf/vmlinux), and libbpf could not load it on this kernel.',
    fix: () =>
      'This is about the machine, not your code: the kernel needs CONFIG_DEBUG_INFO_BTF=y. Tell whoever runs this platform; a program without CO-RE reads (no BPF_CORE_READ, no vmlinux.h struct access) does not need it.',
  },
];
