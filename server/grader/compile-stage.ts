/**
 * Compile: builds the lab's BPF objects (and user-space programs) in the run directory with the
 * toolchain's makefile fragment, so every lab uses the one set of clang flags and the precompiled
 * vmlinux.h. CPATH adds the trace tag wrapper (trace-tag.ts) without touching those flags.
 */
import type { LabManifest } from '../labs/schema.js';
import type { Diagnostic } from '../protocol/lab.js';
import { type Sandbox, TOOLS_DIR } from '../sandbox/types.js';
import { firstBuildError, parseClangDiagnostics } from './clang-diagnostics.js';
import { LIMITS } from './limits.js';
import { runDirOf } from './run-dir.js';
import { TRACE_TAG_DIR } from './trace-tag.js';

export const LAB_MAKEFILE = `${TOOLS_DIR}/lab.mk`;

export type CompileOutcome =
  | { kind: 'built'; output: string }
  | { kind: 'failed'; output: string; error: string; diagnostics: Diagnostic[] }
  /** The toolchain is missing or broken, or the build overran the platform's limit. */
  | { kind: 'fault'; output: string; reason: string };

/** `make` targets: each `x.bpf.c` → `x.bpf.o`, then each user-space program. */
export function buildTargets(build: LabManifest['build']): string[] {
  return [...build.bpf.map((src) => src.replace(/\.c$/, '.o')), ...build.userspace.map((u) => u.output)];
}

export async function compile(
  sandbox: Sandbox,
  manifest: LabManifest,
  nonce: string,
  signal: AbortSignal,
): Promise<CompileOutcome> {
  const dir = runDirOf(nonce);
  const result = await sandbox.exec(['make', '-s', '-f', LAB_MAKEFILE, ...buildTargets(manifest.build)], {
    cwd: dir,
    env: { CPATH: TRACE_TAG_DIR },
    timeoutMs: LIMITS.compileMs,
    maxOutputBytes: LIMITS.outputBytes,
    signal,
  });
  const output = `${result.stdout}${result.stderr}`;
  if (result.timedOut)
    return { kind: 'fault', output, reason: `the build did not finish within ${LIMITS.compileMs / 1000} s` };
  if (result.exitCode === 0) return { kind: 'built', output };
  const missing = toolchainProblem(output, result.exitCode);
  if (missing) return { kind: 'fault', output, reason: missing };
  const files = new Set([...manifest.files.map((f) => f.path), ...manifest.support]);
  return {
    kind: 'failed',
    output,
    error: firstBuildError(output) ?? `the build exited with status ${result.exitCode}`,
    diagnostics: parseClangDiagnostics(output, { files }),
  };
}

/** Failures that are not the learner's: no make, no clang, no toolchain tree, a killed compiler. */
function toolchainProblem(output: string, exitCode: number | null): string | null {
  if (exitCode === null) return 'the compiler was killed';
  if (exitCode === 127 || exitCode === 126)
    return `the build could not start: ${output.trim().split('\n')[0]}`;
  const line = output
    .split('\n')
    .find((l) =>
      /^make(\[\d+\])?: .*(No such file or directory|Command not found|No rule to make target)/.test(l),
    );
  return line ? `the toolchain is not usable here: ${line}` : null;
}
