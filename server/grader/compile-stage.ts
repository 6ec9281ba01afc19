/**
 * The compile stage: puts the run directory in place and builds the lab's BPF objects (and
 * user-space programs) with the toolchain's makefile fragment, so every lab uses the one set of
 * clang flags and the precompiled vmlinux.h. CPATH adds the trace tag wrapper (trace-tag.ts)
 * without touching those flags. Code that does not build stops the run to be judged; a missing
 * or broken toolchain, or a build over the platform's limit, is a fault.
 *
 * Where: in the sandbox (make in the run directory), or — for a sandbox with a `bpfBuilder`, a VM
 * whose clang would run emulated — BPF objects on the host against the guest kernel's headers,
 * written into the run directory with the sources in the same round trip; user-space programs
 * are then built in the sandbox, where their libraries are.
 *
 * With the run's compile cache (compile-cache.ts), BPF objects built before from the same files
 * with the same toolchain are written into the run directory instead of being compiled again; the
 * grade's log says so ("compile cache: … not compiled again"). A lab with user-space programs
 * still builds those in the sandbox.
 */
import { bpfObjectOf, type LabManifest } from '../labs/schema.js';
import type { Diagnostic, StageEnd } from '../protocol/lab.js';
import { type ExecResult, TOOLS_DIR, type WorkspaceFile } from '../sandbox/types.js';
import { firstBuildError, parseClangDiagnostics } from './clang-diagnostics.js';
import { type CachedBuild, compileKey, type Lookup, toolchainIdentity } from './compile-cache.js';
import type { GradeRun, StageOutcome } from './grade-run.js';
import { LIMITS } from './limits.js';
import { runDirFiles, runDirOf, sourcesFor, writeRunDir } from './run-dir.js';
import { TRACE_TAG_DIR } from './trace-tag.js';

/** The grade log's line for a build taken from the compile cache. */
export const CACHE_HIT_NOTE = 'compile cache: built before from the same files, not compiled again';

export const LAB_MAKEFILE = `${TOOLS_DIR}/lab.mk`;

/** The learner's sources as built, by file name: the load stage maps verifier lines back to them. */
export type Sources = ReadonlyMap<string, string>;

type BuildOutcome =
  | { kind: 'built'; output: string }
  | { kind: 'failed'; output: string; error: string; diagnostics: Diagnostic[] }
  /** The toolchain is missing or broken, or the build overran the platform's limit. */
  | { kind: 'fault'; output: string; reason: string };

/** How the stage reads to the learner: code that does not build is theirs, a broken toolchain ours. */
const BUILD_END: Record<BuildOutcome['kind'], StageEnd> = {
  built: 'done',
  failed: 'rejected',
  fault: 'fault',
};

export async function compileStage(run: GradeRun): Promise<StageOutcome<Sources>> {
  const sources = await sourcesFor(run.lab, run.files);
  const done = run.stage('compile');
  const built = await build(run, await runDirFiles(run.lab, sources, run.nonce));
  run.log.add('build', built.output);
  done(BUILD_END[built.kind]);
  switch (built.kind) {
    case 'fault':
      return { kind: 'fault', reason: built.reason };
    case 'failed':
      return {
        kind: 'judge',
        findings: {
          evidence: { build: { ok: false, error: built.error }, load: null, run: null },
          diagnostics: built.diagnostics,
          problem: `The program did not compile: ${built.error}`,
        },
      };
    case 'built':
      return { kind: 'continue', value: sources };
  }
}

/**
 * Compiling ahead of a Check (compile-ahead.ts): builds the run's BPF objects into the compile
 * cache and nothing else, so that the Check of the same files takes them from there. Nothing is
 * built when the cache has them or the run has no cache; user-space programs are left to the
 * Check, which builds them in the sandbox as always. A build that fails is not kept: the Check
 * compiles again and shows its errors. Answers whether it built, and so wrote the run directory.
 */
export async function compileAhead(run: GradeRun): Promise<boolean> {
  const { env, objects } = targetsOf(run.manifest);
  if (!run.compileCache || objects.length === 0) return false;
  const files = await runDirFiles(run.lab, await sourcesFor(run.lab, run.files), run.nonce);
  const cached = await lookUp(run, files, objects, env);
  if (!cached || cached.hit) return false;
  await compileAndKeep(run, files, cached, { objects, userspace: [], env });
  return true;
}

/** What a build makes (lab.mk targets) and the variables it is made with. */
interface Targets {
  objects: readonly string[];
  userspace: readonly string[];
  env: Record<string, string>;
}

function targetsOf(manifest: LabManifest): Targets {
  return {
    objects: manifest.build.bpf.map(bpfObjectOf),
    userspace: manifest.build.userspace.map((u) => u.output),
    env: { CPATH: TRACE_TAG_DIR, ...keptTypeOf(manifest) },
  };
}

/** `files` are the run directory's (run-dir.ts runDirFiles); they are written here. */
async function build(run: GradeRun, files: readonly WorkspaceFile[]): Promise<BuildOutcome> {
  const targets = targetsOf(run.manifest);
  const { objects, userspace, env } = targets;
  const cached = objects.length > 0 ? await lookUp(run, files, objects, env) : null;
  if (cached?.hit) {
    const objectFiles = [...cached.hit.objects].map(([path, content]) => ({ path, content }));
    await writeRunDir(run.sandbox, run.nonce, [...files, ...objectFiles]);
    const output = `${CACHE_HIT_NOTE} (${objects.join(', ')})\n${cached.hit.output}`;
    return userspace.length === 0
      ? { kind: 'built', output }
      : withOutputBefore(output, await makeInSandbox(run, userspace, env));
  }
  return compileAndKeep(run, files, cached, targets);
}

/** Compiles, keeping what built in the cache under the lookup's lease, which it then releases. */
async function compileAndKeep(
  run: GradeRun,
  files: readonly WorkspaceFile[],
  cached: Exclude<Lookup, { hit: CachedBuild }> | null,
  { objects, userspace, env }: Targets,
): Promise<BuildOutcome> {
  try {
    const { outcome, built } = await compile(run, files, objects, userspace, env);
    if (cached && built) await cached.store(built, run.nonce);
    return outcome;
  } finally {
    cached?.release();
  }
}

/** The cache's answer for this build, or null when the run has no cache. */
async function lookUp(
  run: GradeRun,
  files: readonly WorkspaceFile[],
  targets: readonly string[],
  variables: Record<string, string>,
): Promise<Lookup | null> {
  if (!run.compileCache) return null;
  const { cache, toolsDir } = run.compileCache;
  const key = compileKey({
    toolchain: await toolchainIdentity(toolsDir),
    targets,
    variables,
    // The trace tag header differs only by the nonce, which the cache rewrites in the objects.
    files: files.filter((f) => !f.path.startsWith(`${TRACE_TAG_DIR}/`)),
  });
  return cache.lookup(key, run.nonce);
}

/**
 * Compiles: the BPF `objects` on the host for a sandbox with a builder, the rest in the sandbox.
 * `built` is what the cache may keep: the objects and the build's output, when it succeeded.
 */
async function compile(
  run: GradeRun,
  files: readonly WorkspaceFile[],
  objects: readonly string[],
  userspace: readonly string[],
  env: Record<string, string>,
): Promise<{ outcome: BuildOutcome; built: CachedBuild | null }> {
  const { sandbox, manifest, nonce } = run;
  if (sandbox.bpfBuilder && objects.length > 0) {
    const onHost = await sandbox.bpfBuilder.build({ files, targets: objects, env, ...limitsOf(run) });
    const output = `${onHost.stdout}${onHost.stderr}`;
    if (onHost.exitCode !== 0) return { outcome: outcome(onHost, output, manifest), built: null };
    await writeRunDir(sandbox, nonce, [
      ...files,
      ...[...onHost.objects].map(([path, content]) => ({ path, content })),
    ]);
    const built = { objects: onHost.objects, output };
    if (userspace.length === 0) return { outcome: { kind: 'built', output }, built };
    return { outcome: withOutputBefore(output, await makeInSandbox(run, userspace, env)), built };
  }
  await writeRunDir(sandbox, nonce, files);
  const made = await makeInSandbox(run, [...objects, ...userspace], env);
  if (made.kind !== 'built' || objects.length === 0) return { outcome: made, built: null };
  const dir = runDirOf(nonce);
  const kept = new Map<string, Buffer>();
  for (const object of objects) kept.set(object, await sandbox.readFile(`${dir}/${object}`));
  return { outcome: made, built: { objects: kept, output: made.output } };
}

async function makeInSandbox(
  run: GradeRun,
  targets: readonly string[],
  env: Record<string, string>,
): Promise<BuildOutcome> {
  const made = await run.sandbox.exec(['make', '-s', '-f', LAB_MAKEFILE, ...targets], {
    cwd: runDirOf(run.nonce),
    env,
    ...limitsOf(run),
  });
  return outcome(made, `${made.stdout}${made.stderr}`, run.manifest);
}

function withOutputBefore(before: string, then: BuildOutcome): BuildOutcome {
  return { ...then, output: `${before}${then.output}` };
}

function limitsOf(run: GradeRun) {
  return { timeoutMs: LIMITS.compileMs, maxOutputBytes: LIMITS.outputBytes, signal: run.deadline };
}

/** lab.mk's EVENT_TYPE: the ring-buffer record struct kept in the object's BTF for decoding. */
function keptTypeOf(manifest: LabManifest): { EVENT_TYPE?: string } {
  const eventType = manifest.attach?.eventType;
  return eventType ? { EVENT_TYPE: eventType } : {};
}

function outcome(result: ExecResult, output: string, manifest: LabManifest): BuildOutcome {
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
