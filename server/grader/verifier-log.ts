/**
 * The verifier's rejection, located in the learner's source. With `-g`, the kernel annotates the
 * log with the source line of each instruction it walks (`; <source text> @ file.c:LINE`, printed
 * whenever the line changes); the rejected instruction is the last one walked, so its line is
 * the nearest annotation above the error. Kernels before 6.4 print the source text without
 * `@ file:line`; then the text is looked up in the learner's files.
 *
 * It also reads the state the verifier knew just before the rejected instruction (parseFailingState):
 * the last full state it printed (`0: R1=ctx() R10=fp0`, or `from 6 to 8: R0=…` where a branch's
 * path starts), updated by each later instruction's `; R0=… fp-8=…` (6.18 prints `R0=`, 6.1
 * `R0_w=`, with liveness marks that are dropped here).
 */
import path from 'node:path';
import type { Diagnostic } from '../protocol/lab.js';

const INSTRUCTION = /^\d+: (\([0-9a-f]{2}\)|R\d|frame\d|safe)/;
const ANNOTATION = /^; (.*?)(?: @ (\S+):(\d+))?$/;
/** Lines the verifier prints before or between walked instructions that are not the error. */
const PREAMBLE = /^(\s|func#\d+ @\d+$|Live regs before insn:|mark_precise:|-- BEGIN PROG LOAD LOG --)/;
/** Lines after the error that are statistics or libbpf framing, not part of the message. */
const TRAILER =
  /^(processed \d+ insns|verification time|stack depth|max_states_per_insn|-- END PROG LOAD LOG --|libbpf: )/;

export interface VerifierRejection {
  /** The verifier's own words, verbatim (one or more lines). */
  message: string;
  /** Where it points in the learner's source, when the log carries line info. */
  file?: string;
  line?: number;
  column?: number;
  /** The source text the kernel printed for that line. */
  sourceText?: string;
}

/**
 * Finds the rejection in a verifier log. `sources` maps the learner's file names to their text,
 * used to find columns and, on older kernels, lines.
 */
export function parseVerifierLog(
  log: string,
  sources: ReadonlyMap<string, string>,
): VerifierRejection | null {
  const lines = log.split('\n').map((l) => l.trimEnd());
  const errorStart = findErrorStart(lines);
  if (errorStart === -1) return null;
  const message: string[] = [];
  for (let i = errorStart; i < lines.length && !TRAILER.test(lines[i]!) && lines[i] !== ''; i++) {
    message.push(lines[i]!);
  }
  const rejection: VerifierRejection = { message: message.join('\n') };
  for (let i = errorStart - 1; i >= 0; i--) {
    const m = ANNOTATION.exec(lines[i]!);
    if (!m) continue;
    const text = m[1]!.trim();
    if (m[3] !== undefined) {
      if (m[3] === '0') continue; // compiler-generated code without a source line
      const file = matchFile(m[2]!, sources);
      if (!file) break;
      Object.assign(rejection, { file, line: Number(m[3]), sourceText: text });
    } else {
      const found = findText(text, sources);
      if (!found) continue;
      Object.assign(rejection, found, { sourceText: text });
    }
    rejection.column = columnOf(text, sources.get(rejection.file!)!, rejection.line!);
    break;
  }
  return rejection;
}

/** A register (`R0`) or stack slot (`fp-8`) and its value as the verifier printed it. */
export interface StateEntry {
  name: string;
  value: string;
}

/** The rejected instruction and the registers and stack just before it, as the log shows them. */
export interface FailingState {
  /** The instruction's index in the program and its text (`r1 = *(u64 *)(r0 +0)`). */
  instruction?: { index: number; text: string };
  /** Registers by number; one the log never shows is uninitialised there. */
  registers: StateEntry[];
  /** Stack slots by offset from the frame pointer, nearest first. */
  stack: StateEntry[];
}

/** `N: (op) text` with an optional `; state` after it. */
const WALKED = /^(?:frame\d+: )?(\d+): \(([0-9a-f]{2})\) (.*?)(?:\s+; (.*))?$/;
/** A full state: the program's entry (`0: R1=ctx() R10=fp0`) or a branch's path (`from 6 to 8: …`). */
const FULL_STATE =
  /^(?:from \d+ to \d+(?: \(speculative execution\))?:|\d+:) ((?:frame\d+: )?(?:R\d+|fp-?\d+)\S*=.*)$/;
/** libbpf writes this over an instruction whose CO-RE relocation failed. */
const POISONED = /^(\d+): (<invalid CO-RE relocation>)$/;
const CALL_OPCODE = '85';

/** The registers and stack before the rejected instruction; null when the log shows no rejection. */
export function parseFailingState(log: string): FailingState | null {
  const lines = log.split('\n').map((l) => l.trimEnd());
  const errorStart = findErrorStart(lines);
  if (errorStart === -1) return null;
  let registers = new Map<string, string>();
  let stack = new Map<string, string>();
  let instruction: FailingState['instruction'];
  for (let i = 0; i < errorStart; i++) {
    const line = lines[i]!;
    const full = FULL_STATE.exec(line);
    if (full) {
      registers = new Map();
      stack = new Map();
      applyState(full[1]!, registers, stack);
      continue;
    }
    const walked = WALKED.exec(line);
    if (!walked) continue;
    instruction = { index: Number(walked[1]), text: walked[3]! };
    if (walked[4] === undefined) continue; // not executed: the rejected instruction
    // A helper call leaves R1-R5 uninitialised; the verifier prints only what it wrote.
    if (walked[2] === CALL_OPCODE && !walked[3]!.startsWith('call pc')) {
      for (let r = 1; r <= 5; r++) registers.delete(`R${r}`);
    }
    applyState(walked[4], registers, stack);
  }
  const poisoned = POISONED.exec(lines[errorStart]!);
  if (poisoned) instruction = { index: Number(poisoned[1]), text: poisoned[2]! };
  const byNumber = (a: StateEntry, b: StateEntry) =>
    Number(a.name.replace(/\D/g, '')) - Number(b.name.replace(/\D/g, ''));
  return {
    ...(instruction ? { instruction } : {}),
    registers: [...registers].map(([name, value]) => ({ name, value })).sort(byNumber),
    stack: [...stack].map(([name, value]) => ({ name, value })).sort(byNumber),
  };
}

/** Applies `R0_w=scalar(smin=0,…) R10=fp0 fp-8=mmmm???? refs=2` to the state. */
function applyState(text: string, registers: Map<string, string>, stack: Map<string, string>): void {
  for (const token of splitTopLevel(text.replace(/^frame\d+: /, ''))) {
    const m = /^(R\d+|fp-?\d+)(?:_[rwD]+)?=(.+)$/.exec(token);
    if (!m) continue;
    (m[1]!.startsWith('R') ? registers : stack).set(m[1]!, m[2]!);
  }
}

/** Splits at spaces outside parentheses: `var_off=(0x0; 0xff)` stays one token. */
export function splitTopLevel(text: string, separator = ' '): string[] {
  const tokens: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    if (ch === separator && depth === 0) {
      if (current.trim() !== '') tokens.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim() !== '') tokens.push(current.trim());
  return tokens;
}

export function toDiagnostic(r: VerifierRejection): Diagnostic | null {
  if (r.file === undefined || r.line === undefined) return null;
  return {
    file: r.file,
    line: r.line,
    column: r.column ?? 1,
    severity: 'error',
    source: 'verifier',
    message: r.message,
  };
}

/** The first line after the last walked instruction that is neither an instruction nor an annotation. */
function findErrorStart(lines: string[]): number {
  let lastWalked = -1;
  for (let i = 0; i < lines.length; i++) if (INSTRUCTION.test(lines[i]!)) lastWalked = i;
  for (let i = lastWalked + 1; i < lines.length; i++) {
    const l = lines[i]!;
    if (l === '' || l.startsWith(';') || PREAMBLE.test(l)) continue;
    if (TRAILER.test(l)) return -1;
    return i;
  }
  return -1;
}

/** The learner file a line-info file name refers to (the kernel may print a basename or a path). */
function matchFile(name: string, sources: ReadonlyMap<string, string>): string | undefined {
  const clean = name.replace(/^\.\//, '');
  if (sources.has(clean)) return clean;
  return [...sources.keys()].find((f) => path.basename(f) === path.basename(clean));
}

function findText(
  text: string,
  sources: ReadonlyMap<string, string>,
): { file: string; line: number } | undefined {
  if (text === '') return undefined;
  for (const [file, content] of sources) {
    const index = content.split('\n').findIndex((l) => l.trim() === text);
    if (index !== -1) return { file, line: index + 1 };
  }
  return undefined;
}

function columnOf(text: string, source: string, line: number): number {
  const sourceLine = source.split('\n')[line - 1] ?? '';
  const at = text === '' ? -1 : sourceLine.indexOf(text);
  if (at !== -1) return at + 1;
  const indent = sourceLine.search(/\S/);
  return indent === -1 ? 1 : indent + 1;
}
