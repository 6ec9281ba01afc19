import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '@/server/protocol/lab';
import { firstError, markerRange, placeDiagnostics } from './markers';

const source = ['#include "vmlinux.h"', '', 'int handle(void *ctx)', '{', '\treturn counter + 1', '}'].join(
  '\n',
);

function diagnostic(overrides: Partial<Diagnostic>): Diagnostic {
  return {
    file: 'hello.bpf.c',
    line: 5,
    column: 9,
    severity: 'error',
    source: 'clang',
    message: "use of undeclared identifier 'counter'",
    ...overrides,
  };
}

describe('markerRange', () => {
  it('underlines the identifier clang points at', () => {
    expect(markerRange(source, 5, 9)).toEqual({
      startLineNumber: 5,
      startColumn: 9,
      endLineNumber: 5,
      endColumn: 16,
    });
  });

  it('underlines a single punctuation character', () => {
    expect(markerRange(source, 3, 11)).toEqual({
      startLineNumber: 3,
      startColumn: 11,
      endLineNumber: 3,
      endColumn: 12,
    });
  });

  it('underlines the whole line without its indentation when the verifier gives no column', () => {
    expect(markerRange(source, 5, 0)).toEqual({
      startLineNumber: 5,
      startColumn: 2,
      endLineNumber: 5,
      endColumn: 20,
    });
  });

  it('clamps a line past the end of the file to the last line', () => {
    expect(markerRange(source, 40, 1).startLineNumber).toBe(6);
  });
});

describe('placeDiagnostics', () => {
  it('files markers under the lab file, also when the compiler used a longer path', () => {
    const placed = placeDiagnostics(
      [
        diagnostic({}),
        diagnostic({ file: '/tmp/run-1/hello.bpf.c', line: 3, column: 0, severity: 'warning' }),
      ],
      { 'hello.bpf.c': source, 'hello.h': '' },
    );
    expect(placed.byFile.get('hello.bpf.c')?.map((m) => [m.severity, m.startLineNumber])).toEqual([
      ['error', 5],
      ['warning', 3],
    ]);
    expect(placed.byFile.has('hello.h')).toBe(false);
    expect(placed.elsewhere).toEqual([]);
  });

  it('keeps diagnostics in files the learner does not have apart', () => {
    const inHeader = diagnostic({ file: '/opt/bpflab/include/vmlinux.h', line: 100 });
    expect(placeDiagnostics([inHeader], { 'hello.bpf.c': source }).elsewhere).toEqual([inHeader]);
  });
});

describe('firstError', () => {
  it('skips warnings and finds the first error', () => {
    const placed = placeDiagnostics(
      [
        diagnostic({ file: 'a.c', severity: 'warning', line: 1 }),
        diagnostic({ file: 'b.c', line: 2, column: 1 }),
      ],
      { 'a.c': 'x\ny', 'b.c': 'x\ny' },
    );
    expect(firstError(placed)).toEqual({ path: 'b.c', line: 2, column: 1 });
  });
});
