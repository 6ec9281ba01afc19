/**
 * Grade diagnostics as editor markers. clang reports a column, the verifier often only a line;
 * either way the learner should see a squiggle under the token or line that is wrong, in the tab
 * of the file it belongs to. Pure: the editor component turns these into Monaco markers.
 */
import type { Diagnostic } from '@/server/protocol/lab';

export interface EditorMarker {
  severity: Diagnostic['severity'];
  source: Diagnostic['source'];
  message: string;
  startLineNumber: number;
  startColumn: number;
  endLineNumber: number;
  endColumn: number;
}

/** A place in one of the lab's files, 1-based, as the editor counts. */
export interface SourcePosition {
  path: string;
  line: number;
  column: number;
}

export interface PlacedDiagnostics {
  /** Markers keyed by the lab file path they belong to. */
  byFile: Map<string, EditorMarker[]>;
  /** Diagnostics in files the learner cannot see (a system header, say); shown as text only. */
  elsewhere: Diagnostic[];
}

const WORD_CHAR = /[A-Za-z0-9_]/;

/** The lab file a diagnostic names: exactly, or as the tail of a longer path the compiler used. */
export function labFileOf(diagnosticFile: string, paths: readonly string[]): string | undefined {
  return paths.find((p) => diagnosticFile === p || diagnosticFile.endsWith(`/${p}`));
}

export function placeDiagnostics(
  diagnostics: readonly Diagnostic[],
  files: Readonly<Record<string, string>>,
): PlacedDiagnostics {
  const paths = Object.keys(files);
  const byFile = new Map<string, EditorMarker[]>();
  const elsewhere: Diagnostic[] = [];
  for (const diagnostic of diagnostics) {
    const path = labFileOf(diagnostic.file, paths);
    if (path === undefined) {
      elsewhere.push(diagnostic);
      continue;
    }
    const marker: EditorMarker = {
      severity: diagnostic.severity,
      source: diagnostic.source,
      message: diagnostic.message,
      ...markerRange(files[path] ?? '', diagnostic.line, diagnostic.column),
    };
    byFile.set(path, [...(byFile.get(path) ?? []), marker]);
  }
  return { byFile, elsewhere };
}

/**
 * The range to underline: from the column to the end of the word there, or the whole line
 * (without its indentation) when no usable column was reported. Lines past the end of the
 * file (the learner edited since) are clamped to the last line.
 */
export function markerRange(
  text: string,
  line: number,
  column: number,
): Pick<EditorMarker, 'startLineNumber' | 'startColumn' | 'endLineNumber' | 'endColumn'> {
  const lines = text.split('\n');
  const lineNumber = Math.min(Math.max(1, Math.trunc(line)), lines.length);
  const content = (lines[lineNumber - 1] ?? '').replace(/\r$/, '');
  const at = { startLineNumber: lineNumber, endLineNumber: lineNumber };
  if (column >= 1 && column <= content.length) {
    let end = column;
    if (WORD_CHAR.test(content[column - 1] ?? '')) {
      while (end < content.length && WORD_CHAR.test(content[end] ?? '')) end++;
    }
    return { ...at, startColumn: column, endColumn: end + 1 };
  }
  const indent = content.length - content.trimStart().length;
  return { ...at, startColumn: indent + 1, endColumn: Math.max(content.length + 1, indent + 2) };
}

/** Where to take the learner after a failed check: the first error in a file they can see. */
export function firstError(placed: PlacedDiagnostics): SourcePosition | undefined {
  for (const [path, markers] of placed.byFile) {
    const error = markers.find((m) => m.severity === 'error');
    if (error) return { path, line: error.startLineNumber, column: error.startColumn };
  }
  return undefined;
}
