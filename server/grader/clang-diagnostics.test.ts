import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { firstBuildError, parseClangDiagnostics } from './clang-diagnostics.js';

// Captured from clang 14 compiling fixtures/clang-syntax-error.bpf.c (a missing `;` and a typo).
const output = readFileSync(new URL('./fixtures/clang-syntax-error.txt', import.meta.url), 'utf8');

describe('parseClangDiagnostics', () => {
  it('maps each error in a learner file to its line and column, message verbatim', () => {
    const files = new Set(['hello.bpf.c']);
    expect(parseClangDiagnostics(output, { files })).toEqual([
      {
        file: 'hello.bpf.c',
        line: 10,
        column: 2,
        severity: 'error',
        source: 'clang',
        message: 'expected expression',
      },
      {
        file: 'hello.bpf.c',
        line: 11,
        column: 2,
        severity: 'error',
        source: 'clang',
        message: "use of undeclared identifier 'retrun'",
      },
    ]);
  });

  it('leaves notes inside system headers to the log', () => {
    const diagnostics = parseClangDiagnostics(output, { files: new Set(['hello.bpf.c']) });
    expect(diagnostics.some((d) => d.file.startsWith('/usr/include'))).toBe(false);
  });

  it('strips the run directory from absolute names and reads warnings, notes and fatal errors', () => {
    const text = [
      "/ws/.bpflab/runs/ab12/x.bpf.c:3:9: warning: unused variable 'n' [-Wunused-variable]",
      './x.bpf.c:4:1: note: declared here',
      "x.bpf.c:1:10: fatal error: 'missing.h' file not found",
    ].join('\n');
    const d = parseClangDiagnostics(text, { files: new Set(['x.bpf.c']), runDir: '/ws/.bpflab/runs/ab12' });
    expect(d.map((x) => [x.line, x.column, x.severity, x.message])).toEqual([
      [3, 9, 'warning', "unused variable 'n' [-Wunused-variable]"],
      [4, 1, 'note', 'declared here'],
      [1, 10, 'error', "'missing.h' file not found"],
    ]);
  });
});

describe('firstBuildError', () => {
  it('prefers the compiler error over make noise', () => {
    expect(firstBuildError(`${output}make: *** [lab.mk:22: hello.bpf.o] Error 1\n`)).toBe(
      'hello.bpf.c:10:2: error: expected expression',
    );
  });

  it('falls back to the linker error', () => {
    expect(
      firstBuildError("/usr/bin/ld: loader.o: undefined reference to `bpf_object__open'\nmake: *** Error 1"),
    ).toBe("/usr/bin/ld: loader.o: undefined reference to `bpf_object__open'");
  });
});
