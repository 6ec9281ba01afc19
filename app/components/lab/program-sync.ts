/**
 * The Program view's synchronisation by source line, as plain functions: which instructions of
 * each column (clang's, the verifier's, the JIT's) came from the selected line, which source lines
 * have code at all, and the words that say so under each column.
 */
import type { CodeLine, ProgramCode } from '@/server/protocol/lab';

/** A line of a lab file (1-based). */
export interface SourceLine {
  file: string;
  line: number;
}

export type ColumnId = 'clang' | 'xlated' | 'jited';

export const COLUMN_TITLES: Record<ColumnId, string> = {
  clang: 'clang',
  xlated: 'After the verifier',
  jited: 'JIT',
};

const key = (file: string, line: number) => `${file}:${line}`;

/** `file:line` of every source line some instruction of the program came from. */
export function linesWithCode(program: ProgramCode): Set<string> {
  const lines = new Set<string>();
  for (const column of [program.clang, program.xlated, program.jited ?? []]) {
    for (const insn of column) if (insn.file && insn.line) lines.add(key(insn.file, insn.line));
  }
  return lines;
}

export function hasCode(lines: ReadonlySet<string>, at: SourceLine): boolean {
  return lines.has(key(at.file, at.line));
}

/** Positions in `column` of the instructions that came from `at`. */
export function instructionsOf(column: readonly CodeLine[] | null, at: SourceLine | null): number[] {
  if (!column || !at) return [];
  return column.flatMap((insn, index) => (insn.file === at.file && insn.line === at.line ? [index] : []));
}

/** What a column shows for the selected line, in words (read under its heading). */
export function columnSummary(
  count: number,
  at: SourceLine | null,
  unit: 'instruction' | 'verifier',
): string {
  if (!at) return 'Choose a source line to see its instructions.';
  if (count === 0) return `No instructions for line ${at.line}.`;
  const noun = count === 1 ? 'instruction' : 'instructions';
  return unit === 'verifier'
    ? `${count} ${noun} for line ${at.line} after the verifier.`
    : `${count} ${noun} for line ${at.line}.`;
}

/** The program to show after a new answer: the same one by name when it is still there. */
export function programToShow(programs: readonly ProgramCode[], previous: string | null): ProgramCode | null {
  return programs.find((p) => p.name === previous) ?? programs[0] ?? null;
}
