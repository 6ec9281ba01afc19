/**
 * The verifier's rejection, located in the learner's source. With `-g`, the kernel annotates the
 * log with the source line of each instruction it walks (`; <source text> @ file.c:LINE`, printed
 * whenever the line changes); the rejected instruction is the last one walked, so its line is
 * the nearest annotation above the error. Kernels before 6.4 print the source text without
 * `@ file:line`; then the text is looked up in the learner's files.
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
