/**
 * One learner's Check of hello-execve on a production server, server side: the socket.io round
 * trip of `lab:check` and the grade's stages (compile, load, workload, collect, assert) with the
 * time outside them; each Check sends source the compiler has not seen (a comment differs), as a
 * learner who edited it. Beside them, the floors of the same work on this machine, measured in the
 * same run: clang's own start, `clang -fsyntax-only` with the precompiled vmlinux.h (the flags of
 * bpf/flags.mk, as lab.mk passes them), the grader's compile command on the host, `bpftool prog
 * loadall` of the object and bpflab-runner until it has opened and loaded it (libbpf alone); and a
 * Check of unchanged source, which must not start the compiler at all.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { compile, startRunner, TOOLS } from '../../bpf/harness.js';
import type { Stage } from '../../server/protocol/lab.js';
import {
  type Bench,
  distribution,
  figuresOf,
  type Plan,
  repeat,
  single,
  timed,
  withFloor,
} from '../measure.js';
import type { Figure, FigureDef } from '../report.js';
import { check, expectFullMarks, solutionFiles, startMeasuredServer, variant } from '../server.js';

const run = promisify(execFile);
const LAB = 'hello-execve';
const SOURCE = 'hello.bpf.c';
const OBJECT = 'hello.bpf.o';
/** The lab's attach.eventType, which the grader passes to lab.mk. */
const EVENT_TYPE = 'EVENT_TYPE=event';
const STAGES: Stage[] = ['compile', 'load', 'workload', 'collect', 'assert'];

const def = figuresOf('check');

const FIGURES = {
  roundTrip: def('round-trip', 'Check of hello-execve, lab:check round trip over socket.io', {
    note: 'new source each time (a comment differs); the browser adds its own share (browser.check-*)',
  }),
  stage: Object.fromEntries(
    STAGES.map((s) => [s, def(`stage.${s}`, `Check of hello-execve, stage ${s}`)]),
  ) as Record<Stage, FigureDef>,
  outside: def('outside-stages', 'Check of hello-execve, time outside the stages', {
    note: 'round trip minus the five stages: queueing, spawning, copying the lab, replying',
  }),
  compileRatio: def('compile-ratio', 'Check compile stage (new source) over clang -fsyntax-only + PCH', {
    unit: '×',
    target: { stat: 'value', atMost: 1.5 },
    obstacle:
      'the compile stage runs make and clang through nsenter into the sandbox and generates BPF code and BTF, which -fsyntax-only does not',
  }),
  cached: def('stage.compile-unchanged', 'Check compile stage, unchanged source (compiled before)', {
    obstacle:
      'the compiled object is not reused: every Check runs clang again (the target is clang’s own start, so meeting it means clang did not run)',
  }),
  clangStart: def('floor.clang-start', 'floor: clang --version (clang’s own start)'),
  syntax: def('floor.syntax-only', 'floor: clang -fsyntax-only + PCH, hello.bpf.c'),
  hostCompile: def(
    'host-compile',
    'make -f lab.mk hello.bpf.o on the host (the grader’s command, no sandbox)',
  ),
  bpftool: def('floor.bpftool-loadall', 'floor: bpftool prog loadall hello.bpf.o'),
  runner: def('floor.runner-load', 'floor: bpflab-runner run until its loaded line (libbpf open + load)'),
};

async function floors(plan: Plan, record: (f: Figure) => void) {
  const dir = await mkdtemp(path.join(tmpdir(), 'bpflab-bench-'));
  const pinDir = `/sys/fs/bpf/bpflab-bench-${process.pid}`;
  try {
    const files = await solutionFiles(LAB);
    await writeFile(path.join(dir, SOURCE), files[SOURCE]!);
    const { stdout: flags } = await run(
      'make',
      [
        '-s',
        '-f',
        path.join(TOOLS, 'lab.mk'),
        '--eval',
        `bench-flags: ; @echo $(BPF_CFLAGS) $(call pch_flags,${SOURCE}) $(keep_type_flags)`,
        EVENT_TYPE,
        'bench-flags',
      ],
      { cwd: dir },
    );
    const ms = (work: () => Promise<unknown>) => timed(work).then((t) => t.ms);
    const clangStart = distribution(
      FIGURES.clangStart,
      await repeat(plan.cheapRuns, plan.warmup, () => ms(() => run('clang', ['--version']))),
    );
    record(clangStart);
    const syntax = distribution(
      FIGURES.syntax,
      await repeat(plan.cheapRuns, plan.warmup, () =>
        ms(() => run('clang', [...flags.trim().split(/\s+/), '-fsyntax-only', SOURCE], { cwd: dir })),
      ),
    );
    record(syntax);
    const hostCompile = await repeat(plan.cheapRuns, plan.warmup, async () => {
      await rm(path.join(dir, OBJECT), { force: true });
      const result = await compile(dir, OBJECT, { vars: [EVENT_TYPE] });
      if (result.exitCode !== 0) throw new Error(`make ${OBJECT} failed:\n${result.stderr}`);
      return result.ms;
    });
    record(withFloor(distribution(FIGURES.hostCompile, hostCompile), syntax));
    const bpftool = distribution(
      FIGURES.bpftool,
      await repeat(plan.cheapRuns, plan.warmup, async () => {
        const took = await ms(() => run('bpftool', ['prog', 'loadall', OBJECT, pinDir], { cwd: dir }));
        await rm(pinDir, { recursive: true, force: true });
        return took;
      }),
    );
    record(bpftool);
    const runner = distribution(
      FIGURES.runner,
      await repeat(plan.cheapRuns, plan.warmup, async () => {
        const started = performance.now();
        const runner = startRunner(['run', OBJECT], { cwd: dir });
        await runner.waitFor((line) => line.type === 'loaded' || line.type === 'error');
        const took = performance.now() - started;
        runner.endInput();
        const { exitCode, stderr } = await runner.exited;
        if (exitCode !== 0) throw new Error(`bpflab-runner run ${OBJECT} exited ${exitCode}: ${stderr}`);
        return took;
      }),
    );
    record(withFloor(runner, bpftool));
    return { clangStart, syntax, bpftool, runner };
  } finally {
    await rm(pinDir, { recursive: true, force: true });
    await rm(dir, { recursive: true, force: true });
  }
}

export const checkBench: Bench = {
  name: 'check',
  figures: [
    FIGURES.roundTrip,
    ...Object.values(FIGURES.stage),
    FIGURES.outside,
    FIGURES.compileRatio,
    FIGURES.cached,
    FIGURES.clangStart,
    FIGURES.syntax,
    FIGURES.hostCompile,
    FIGURES.bpftool,
    FIGURES.runner,
  ],
  async run(plan, record) {
    const floor = await floors(plan, record);
    const files = await solutionFiles(LAB);
    const site = await startMeasuredServer();
    try {
      const socket = await site.learner();
      const nonce = Date.now().toString(36);
      const checks = await repeat(plan.runs, plan.warmup, async (i) => {
        const { reply, ms } = await check(socket, LAB, variant(files, `bench ${nonce} ${i}`));
        expectFullMarks(reply, `Check ${i}`);
        return { ms, timings: reply.grade.timings };
      });
      record(
        distribution(
          FIGURES.roundTrip,
          checks.map((c) => c.ms),
        ),
      );
      const stage = (s: Stage) => checks.map((c) => c.timings[s] ?? 0);
      const stages = Object.fromEntries(
        STAGES.map((s) => [s, distribution(FIGURES.stage[s], stage(s))]),
      ) as Record<Stage, Figure>;
      record(withFloor(stages.compile, floor.syntax));
      record(withFloor(stages.load, floor.runner));
      for (const s of STAGES.slice(2)) record(stages[s]);
      record(
        distribution(
          FIGURES.outside,
          checks.map((c) => c.ms - STAGES.reduce((sum, s) => sum + (c.timings[s] ?? 0), 0)),
        ),
      );
      const compileP50 = stages.compile.summary!.p50;
      record(single(FIGURES.compileRatio, compileP50 / floor.syntax.summary!.p50, stages.compile.runs, 2));

      const unchanged = variant(files, `bench ${nonce} unchanged`);
      const cached = await repeat(plan.runs, 1, async (i) => {
        const { reply } = await check(socket, LAB, unchanged);
        expectFullMarks(reply, `unchanged Check ${i}`);
        return reply.grade.timings.compile ?? 0;
      });
      const clangP50 = floor.clangStart.summary!.p50;
      record(
        withFloor(
          distribution({ ...FIGURES.cached, target: { stat: 'p95', atMost: clangP50 } }, cached),
          floor.clangStart,
        ),
      );
    } finally {
      await site.stop();
    }
  },
};
