/**
 * A problem in a lesson file, located the way editors and compilers do: `file:line:column`.
 * Every content check (frontmatter, MDX syntax, components, labs, catalog) reports these, so the
 * CLI, the dev error page and the tests all speak one format.
 */

export interface ContentDiagnostic {
  /** Path relative to the repository root, e.g. `content/03-hello-execve.mdx`. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  message: string;
}

export interface Position {
  line: number;
  column: number;
}

/** Where a problem goes when it belongs to the whole file rather than to one place in it. */
export const FILE_START: Position = { line: 1, column: 1 };

export function diagnostic(file: string, at: Position, message: string): ContentDiagnostic {
  return { file, line: at.line, column: at.column, message };
}

export function formatDiagnostic(d: ContentDiagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.message}`;
}

/** By file, then by position, so output reads top to bottom like the file does. */
export function sortDiagnostics(list: readonly ContentDiagnostic[]): ContentDiagnostic[] {
  return [...list].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}
