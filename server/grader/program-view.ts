/**
 * `lab:program`: the program as the kernel sees it. The learner's files are built by the grader's
 * own compile stage in a run directory of the learner's sandbox; then, in that sandbox (so on the
 * kernel that would run it: the host's for the local driver, the guest's for a VM),
 * `llvm-objdump` shows clang's instructions and `bpflab-runner code` loads each object without
 * attaching it and reads every program back from the kernel: the instructions after the verifier,
 * their line info and the JIT image, where the kernel shows it. The JIT image is disassembled
 * here, on the server, with GNU objdump. Nothing runs and nothing is recorded; the run directory
 * is removed and the programs unloaded (the runner exits) before the answer is sent.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { bpfObjectOf } from '../labs/schema.js';
import type { ProgramCode, ProgramView } from '../protocol/lab.js';
import { RUNNER } from '../sandbox/tools-tree.js';
import type { Sandbox } from '../sandbox/types.js';
import { compileStage } from './compile-stage.js';
import type { ProgressListener } from './grade-report.js';
import { type GradeRequest, GradeRun } from './grade-run.js';
import { LIMITS } from './limits.js';
import { withNonce } from './nonce.js';
import { type JitInsn, parseJitObjdump, parseLlvmObjdump } from './objdump-parse.js';
import { labFileOf, programCode } from './program-code.js';
import { runDirOf } from './run-dir.js';
import { LEARNER_EXITS, parseRunnerLine, type RunnerCode } from './runner-protocol.js';
import { rodataArgs } from './runner-session.js';

export interface ProgramViewRequest {
  lab: GradeRequest['lab'];
  files: Readonly<Record<string, string>>;
  sandbox: Sandbox;
  onProgress?: ProgressListener;
  /** Kernel ids of the programs read back, to prove none outlived the view (tests). */
  onLoaded?: (programIds: number[]) => void;
}

/** objdump's name for the JIT's instruction set, by `uname -m` of the sandbox's kernel. */
const JIT_ARCHES: Record<string, string[]> = {
  x86_64: ['-m', 'i386:x86-64', '-M', 'intel'],
  aarch64: ['-m', 'aarch64'],
};

export async function programView(req: ProgramViewRequest): Promise<ProgramView> {
  const run = new GradeRun(req, null);
  try {
    const built = await compileStage(run);
    if (built.kind === 'fault') return { ok: false, stage: 'compile', error: built.reason };
    if (built.kind === 'judge')
      return { ok: false, stage: 'compile', error: built.findings.problem ?? 'The program did not compile' };
    const sourceFiles = [...built.value].filter(([name]) => /\.[ch]$/.test(name));
    const fileOf = labFileOf(sourceFiles.map(([name]) => name));
    const done = run.stage('load');
    const programs: ProgramCode[] = [];
    for (const source of run.manifest.build.bpf) {
      const object = bpfObjectOf(source);
      const [clang, kernel] = await Promise.all([clangOf(run, object), kernelOf(run, object)]);
      if (!kernel.ok) {
        done('rejected');
        return { ok: false, stage: 'load', error: kernel.error };
      }
      req.onLoaded?.(kernel.codes.map((c) => c.id));
      for (const code of kernel.codes) {
        const jit = await jitOf(code);
        programs.push(
          programCode({
            code,
            clang,
            helpers: kernel.helpers,
            maps: kernel.maps,
            jit: jit.insns,
            ...(jit.problem ? { jitProblem: jit.problem } : {}),
            fileOf,
          }),
        );
      }
    }
    done('done');
    return { ok: true, sources: sourceFiles.map(([p, text]) => ({ path: p, text })), programs };
  } catch (error) {
    const grade = run.crashed(error);
    return { ok: false, stage: 'load', error: grade.message };
  } finally {
    await run.release();
  }
}

/** `llvm-objdump` in the run directory: clang's instructions with their DWARF lines. */
async function clangOf(run: GradeRun, object: string) {
  const result = await run.sandbox.exec(['llvm-objdump', '-d', '-l', '-r', '--no-show-raw-insn', object], {
    cwd: runDirOf(run.nonce),
    timeoutMs: LIMITS.compileMs,
    maxOutputBytes: LIMITS.runnerOutputBytes,
    signal: run.deadline,
  });
  if (result.exitCode !== 0) {
    run.log.add('llvm-objdump', result.stderr);
    return [];
  }
  return parseLlvmObjdump(result.stdout);
}

type KernelSide =
  | { ok: true; codes: RunnerCode[]; helpers: string[]; maps: { name: string; id: number }[] }
  | { ok: false; error: string };

/** `bpflab-runner code`: loads the object (nothing attached) and reads each program back. */
async function kernelOf(run: GradeRun, object: string): Promise<KernelSide> {
  const attach = run.manifest.attach;
  const rodata = attach && attach.object === object ? rodataArgs(withNonce(attach, run.nonces)) : [];
  const result = await run.sandbox.exec(
    [RUNNER, 'code', object, '--log-limit', String(LIMITS.verifierLogBytes), ...rodata],
    {
      cwd: runDirOf(run.nonce),
      timeoutMs: LIMITS.loadMs * (run.sandbox.slowdown ?? 1),
      maxOutputBytes: LIMITS.runnerOutputBytes,
      signal: run.deadline,
    },
  );
  const side = {
    codes: [] as RunnerCode[],
    helpers: [] as string[],
    maps: [] as { name: string; id: number }[],
  };
  const errors: string[] = [];
  for (const text of result.stdout.split('\n')) {
    const line = parseRunnerLine(text);
    if (line?.type === 'code') side.codes.push(line);
    else if (line?.type === 'helpers') side.helpers = line.names;
    else if (line?.type === 'loaded') side.maps = line.maps;
    else if (line?.type === 'error') errors.push(line.message);
  }
  if (result.exitCode === 0) return { ok: true, ...side };
  if (result.exitCode !== null && LEARNER_EXITS.has(result.exitCode))
    return { ok: false, error: `The program was not loaded: ${errors.at(-1) ?? `${object} did not load`}` };
  throw new Error(
    `bpflab-runner code ${object} exited with ${result.exitCode ?? result.signal}: ${errors.join('; ') || result.stderr.trim()}`,
  );
}

/** The JIT image disassembled on the server, or why there is none. */
async function jitOf(code: RunnerCode): Promise<{ insns: JitInsn[] | null; problem?: string }> {
  if (code.jited === null) return { insns: null };
  const arch = JIT_ARCHES[code.machine ?? ''];
  if (!arch)
    return { insns: null, problem: `the server cannot disassemble ${code.machine ?? 'this'} machine code` };
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bpflab-jit-'));
  try {
    const image = path.join(dir, `${code.program}.bin`);
    await writeFile(image, Buffer.from(code.jited, 'hex'));
    const { stdout } = await promisify(execFile)(
      'objdump',
      ['-D', '-b', 'binary', ...arch, '--no-show-raw-insn', image],
      { maxBuffer: LIMITS.runnerOutputBytes },
    );
    return { insns: parseJitObjdump(stdout) };
  } catch (error) {
    return {
      insns: null,
      problem: `the server could not disassemble the JIT image (GNU objdump): ${String(error)}`,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
