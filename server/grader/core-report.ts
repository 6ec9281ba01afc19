/**
 * The CO-RE report: libbpf's relocation lines, which the runner keeps from its debug log while it
 * loads the learner's object (`{"type":"core"}`, bpf/README.md), read into one entry per
 * relocation with its values in the object and on this kernel and, for one that found nothing on
 * this kernel, why, in words. Written against libbpf 1.1's messages (Debian 12, the version bpf/
 * builds with); a line of another shape is skipped rather than guessed at.
 */
import {
  CORE_REPORT_LIMIT,
  type CoreRelocation,
  type CoreRelocationStatus,
  type CoreReport,
} from '../protocol/core-report.js';
import type { Grade } from '../protocol/lab.js';

/** libbpf's relocation kinds (core_relo_kind_str), in words. */
const KIND_TEXT: Record<string, string> = {
  byte_off: 'field offset',
  byte_sz: 'field size',
  field_exists: 'field exists',
  signed: 'field signedness',
  lshift_u64: 'bitfield left shift',
  rshift_u64: 'bitfield right shift',
  local_type_id: 'type id in the object',
  target_type_id: 'type id in the kernel',
  type_exists: 'type exists',
  type_matches: 'type matches',
  type_size: 'type size',
  enumval_exists: 'enum value exists',
  enumval_value: 'enum value',
};

/** A spec as libbpf prints it: `struct task_struct.real_parent (0:95 @ offset 1280)`, `enum e::V = 1`. */
interface Spec {
  /** `struct task_struct`, `enum bpf_func_id`. */
  type: string;
  /** Field accessors after the type: `.real_parent`, `[2]`. */
  fields: string[];
  enumerator?: string;
}

interface Parsed {
  program: string;
  index: number;
  kind?: string;
  local?: Spec;
  candidates: { matching: boolean; spec: Spec }[];
  instruction?: number;
  objectValue?: number;
  kernelValue?: number;
  poisoned: boolean;
  failure?: string;
  /** The type libbpf could not search the kernel for (an anonymous one has the name ''). */
  searchedType?: { kind: string; name: string };
}

const RELO_LINE = /^(?:libbpf: )?prog '(.+?)': relo #(\d+): (.*)$/;
const LOCAL_SPEC = /^<(\w+)> \[\d+\] (.*)$/;
const CANDIDATE = /^(matching|non-matching) candidate #\d+ <\w+> \[\d+\] (.*)$/;
const PATCHED = /^patched insn #(\d+) \([^)]*\) \S+ (\d+) -> (\d+)$/;
const POISONED = /^substituting insn #(\d+) w\/ invalid insn$/;
/** libbpf found no kernel type to try: `target candidate search failed for [5] struct : -22`. */
const SEARCH_FAILED = /^target candidate search failed for \[\d+\] (\S+) (\S*): -?\d+$/;
const FAILURE = /fail|error|ambiguity|unexpected|too big|doesn't support/;
const SPEC = /^(\S+) ([^\s.[:]+)((?:\.[^\s.[]+|\[\d+\])*)(?: \([\d:]+ @ offset [\d.]+\)|::(\S+) = -?\d+)?$/;
const FIELD = /\.[^\s.[]+|\[\d+\]/g;

function parseSpec(text: string): Spec | undefined {
  const m = SPEC.exec(text);
  if (!m) return undefined;
  return { type: `${m[1]} ${m[2]}`, fields: m[3]?.match(FIELD) ?? [], enumerator: m[4] };
}

/**
 * The report from the runner's relocation lines (omittedLines: lines the runner had no room
 * for), or undefined when the object has no CO-RE relocation.
 */
export function coreReportOf(lines: readonly string[], omittedLines = 0): CoreReport | undefined {
  const byKey = new Map<string, Parsed>();
  for (const line of lines) {
    const m = RELO_LINE.exec(line);
    if (!m) continue;
    const [, program = '', index = '', rest = ''] = m;
    const key = `${program}#${index}`;
    let relo = byKey.get(key);
    if (!relo) {
      relo = { program, index: Number(index), candidates: [], poisoned: false };
      byKey.set(key, relo);
    }
    take(relo, rest);
  }
  if (byKey.size === 0) return undefined;
  const all = [...byKey.values()].map(relocationOf);
  return {
    relocations: all.slice(0, CORE_REPORT_LIMIT),
    omitted: Math.max(0, all.length - CORE_REPORT_LIMIT),
    complete: omittedLines === 0,
  };
}

/** The grade with the report of the runner's relocation lines, when the object had any. */
export function withCoreReport(
  grade: Grade,
  core: { lines: string[]; omitted: number } | null | undefined,
): Grade {
  const report = core && coreReportOf(core.lines, core.omitted);
  return report ? { ...grade, core: report } : grade;
}

function take(relo: Parsed, rest: string): void {
  const candidate = CANDIDATE.exec(rest);
  if (candidate) {
    const spec = parseSpec(candidate[2] ?? '');
    if (spec) relo.candidates.push({ matching: candidate[1] === 'matching', spec });
    return;
  }
  const patched = PATCHED.exec(rest);
  // A load's size may be patched after its offset: the first patch is the relocation's value.
  if (patched) {
    if (relo.instruction === undefined) {
      relo.instruction = Number(patched[1]);
      relo.objectValue = Number(patched[2]);
      relo.kernelValue = Number(patched[3]);
    }
    return;
  }
  const poisoned = POISONED.exec(rest);
  if (poisoned) {
    relo.poisoned = true;
    relo.instruction ??= Number(poisoned[1]); // a 64-bit load poisons two instructions
    return;
  }
  const local = LOCAL_SPEC.exec(rest);
  if (local) {
    relo.kind ??= local[1];
    relo.local ??= parseSpec(local[2] ?? '');
    return;
  }
  const search = SEARCH_FAILED.exec(rest);
  if (search) relo.searchedType = { kind: search[1] ?? '', name: search[2] ?? '' };
  if (FAILURE.test(rest)) relo.failure ??= rest; // the first message is the most specific
}

function relocationOf(relo: Parsed): CoreRelocation {
  const kind = relo.kind ?? 'unknown';
  const status: CoreRelocationStatus = relo.failure ? 'failed' : relo.poisoned ? 'poisoned' : 'applied';
  const matched = relo.candidates.find((c) => c.matching);
  return {
    program: relo.program,
    index: relo.index,
    ...(relo.instruction !== undefined ? { instruction: relo.instruction } : {}),
    kind,
    kindText: KIND_TEXT[kind] ?? (relo.kind ? kind : 'not known: libbpf gave up before reading it'),
    access: accessOf(relo),
    ...(matched ? { kernelType: matched.spec.type } : {}),
    ...(status === 'applied' && relo.objectValue !== undefined
      ? { objectValue: relo.objectValue, kernelValue: relo.kernelValue }
      : {}),
    status,
    explanation: explain(relo, kind, status),
  };
}

function accessOf(relo: Parsed): string {
  const { local, searchedType } = relo;
  if (local)
    return local.enumerator ? `${local.type}::${local.enumerator}` : `${local.type}${local.fields.join('')}`;
  if (searchedType) return `${searchedType.kind} ${searchedType.name || '(anonymous)'}`;
  return `relocation #${relo.index}`;
}

const EXISTS_HELPER: Record<string, string> = {
  field_exists: 'bpf_core_field_exists()',
  type_exists: 'bpf_core_type_exists()',
  type_matches: 'bpf_core_type_matches()',
  enumval_exists: 'bpf_core_enum_value_exists()',
};

function explain(relo: Parsed, kind: string, status: CoreRelocationStatus): string {
  if (status === 'failed') {
    if (relo.searchedType?.name === '') {
      return (
        `libbpf finds the kernel's type by name, and this ${relo.searchedType.kind} has none, so it could ` +
        `not relocate the access and did not load the object. Name the type (\`${relo.searchedType.kind} task_view { … }\`) or use one from vmlinux.h.`
      );
    }
    return `libbpf could not relocate this (${relo.failure}), so it did not load the object.`;
  }
  if (status === 'poisoned') {
    const where = relo.instruction === undefined ? 'the instruction' : `instruction #${relo.instruction}`;
    return (
      `${capitalised(whyNothingMatched(relo))}: libbpf replaced ${where} with an invalid one, and the ` +
      `verifier rejects the program if that instruction can run. Guard the access with ` +
      `${guardFor(relo)}, or read a field this kernel has.`
    );
  }
  const value = relo.kernelValue;
  if (value === undefined) return 'Applied on this kernel.';
  const helper = EXISTS_HELPER[kind];
  if (helper) {
    return value === 0
      ? `${capitalised(whyNothingMatched(relo))}: ${helper} is 0 here, so the code it guards does not run.`
      : `Exists on this kernel: ${helper} is 1.`;
  }
  const compiled = relo.objectValue === value ? 'as in the object' : `the object has ${relo.objectValue}`;
  switch (kind) {
    case 'byte_off':
      return `At byte ${value} of \`${relo.candidates.find((c) => c.matching)?.spec.type}\` on this kernel (${compiled}).`;
    case 'byte_sz':
    case 'type_size':
      return `${value} bytes on this kernel (${compiled}).`;
    case 'signed':
      return `${value ? 'Signed' : 'Unsigned'} on this kernel.`;
    default:
      return `${value} on this kernel (${compiled}).`;
  }
}

/** Why a relocation found nothing on this kernel, from the candidates libbpf tried. */
function whyNothingMatched(relo: Parsed): string {
  const local = relo.local;
  if (!local) return 'nothing on this kernel matches';
  const base = kernelName(local.type);
  const candidates = relo.candidates.map((c) => c.spec);
  if (candidates.length === 0) {
    const flavour =
      base !== local.type ? ` (libbpf looks for \`${base}\`, the name without its ___suffix)` : '';
    return `this kernel has no \`${base}\`${flavour}`;
  }
  if (local.enumerator)
    return `on this kernel, \`${candidates[0]?.type}\` has no value \`${local.enumerator}\``;
  if (local.fields.length === 0)
    return `this kernel's \`${candidates[0]?.type}\` does not match the object's`;
  // libbpf records each field it found before it gives up: the closest candidate shows the first one missing.
  const closest = candidates.reduce((a, b) => (b.fields.length > a.fields.length ? b : a));
  const found = closest.fields.length;
  const container = `${closest.type}${closest.fields.join('')}`;
  const missing = local.fields[found];
  if (missing === undefined) {
    return `on this kernel, \`${container}\` has a type that does not match the object's`;
  }
  return missing.startsWith('[')
    ? `on this kernel, \`${container}\` has no element ${missing}`
    : `on this kernel, \`${container}\` has no field \`${missing.slice(1)}\``;
}

function guardFor(relo: Parsed): string {
  if (relo.local?.enumerator) return 'bpf_core_enum_value_exists()';
  if (relo.local && relo.local.fields.length === 0) return 'bpf_core_type_exists()';
  return 'bpf_core_field_exists()';
}

/** `struct task_struct___made_up` → `struct task_struct`: libbpf ignores a `___suffix` (a flavour). */
function kernelName(type: string): string {
  const at = type.indexOf('___');
  return at > 0 ? type.slice(0, at) : type;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
