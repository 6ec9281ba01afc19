/**
 * clang's diagnostics (`file:line:col: error: message`) as editor markers. Messages stay verbatim;
 * only the location is parsed. Diagnostics in files the learner cannot open (system headers, the
 * toolchain's) are left to the raw log, where the learner still sees them in context.
 */
import type { Diagnostic } from '../protocol/lab.js';

const HEADLINE = /^(.+?):(\d+):(\d+): (fatal error|error|warning|note): (.*)$/;

export interface ClangDiagnosticsOptions {
  /** Files the learner can see, by the path clang prints (relative to the run directory). */
  files: ReadonlySet<string>;
  /** The run directory's absolute path inside the sandbox, stripped from absolute file names. */
  runDir?: string;
}

export function parseClangDiagnostics(output: string, opts: ClangDiagnosticsOptions): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const line of output.split('\n')) {
    const m = HEADLINE.exec(line);
    if (!m) continue;
    const file = relativeTo(m[1]!, opts.runDir);
    if (!opts.files.has(file)) continue;
    diagnostics.push({
      file,
      line: Number(m[2]),
      column: Number(m[3]),
      severity: m[4] === 'fatal error' ? 'error' : (m[4] as Diagnostic['severity']),
      source: 'clang',
      message: m[5]!,
    });
  }
  return diagnostics;
}

/** The most telling failure line, verbatim: a compiler error, else a linker error, else make's. */
export function firstBuildError(output: string): string | undefined {
  const lines = output.split('\n');
  return (
    lines.find((l) => / (fatal error|error): /.test(l)) ??
    lines.find((l) => /^\S*\bld(\.\w+)?: /.test(l)) ??
    lines.find((l) => l.trim() !== '')
  );
}

function relativeTo(file: string, runDir: string | undefined): string {
  const clean = file.startsWith('./') ? file.slice(2) : file;
  if (runDir && clean.startsWith(`${runDir.replace(/\/$/, '')}/`)) return clean.slice(runDir.length + 1);
  return clean;
}
