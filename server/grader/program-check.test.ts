import { describe, expect, it } from 'vitest';
import { Check, LabManifest, needsRunStats } from '../labs/schema.js';
import { evaluateChecks, type ScriptRunner } from './checks.js';
import type { Evidence, ProgramStats } from './evidence.js';
import { processedInsnsOf, programStatsOf } from './program-stats.js';
import { runnerArgs } from './runner-session.js';

const NONCES = { text: 'k3x9q2ab', number: 24680 };
const noScripts: ScriptRunner = async () => {
  throw new Error('no script expected');
};

const countExecs: ProgramStats = {
  name: 'count_execs',
  type: 'tracepoint',
  section: 'tp/syscalls/sys_enter_execve',
  target: 'syscalls/sys_enter_execve',
  instructions: 57,
  processedInstructions: 412,
  statsEnabled: true,
  runCount: 40,
  runTimeNs: 32_480,
};

function ran(program: Partial<ProgramStats>): Evidence {
  return {
    build: { ok: true },
    load: { ok: true, programs: [] },
    run: { events: [], trace: [], iter: [], maps: new Map(), programs: [{ ...countExecs, ...program }] },
  };
}

async function judge(check: Record<string, unknown>, evidence: Evidence) {
  const [result] = await evaluateChecks(
    [Check.parse({ id: 'p', title: 'Within budget', type: 'program', program: 'count_execs', ...check })],
    evidence,
    NONCES,
    noScripts,
  );
  return result!;
}

describe('program checks', () => {
  it('fails a verifier budget with both numbers, in words', async () => {
    const r = await judge({ processedInstructions: { max: 300 } }, ran({}));
    expect(r).toMatchObject({
      status: 'failed',
      points: 0,
      expected: 'at most 300 processed instructions',
      actual:
        'your program took 412 processed instructions; the budget is at most 300 processed instructions',
    });
  });

  it('passes a budget the program meets, saying its number', async () => {
    const r = await judge({ processedInstructions: { max: 300 } }, ran({ processedInstructions: 120 }));
    expect(r).toMatchObject({
      status: 'passed',
      points: 1,
      actual: 'your program took 120 processed instructions',
    });
  });

  it('judges the xlated size against min and max', async () => {
    expect(await judge({ instructions: { min: 10, max: 50 } }, ran({}))).toMatchObject({
      status: 'failed',
      expected: 'between 10 and 50 instructions',
      actual:
        "count_execs is 57 instructions long as the kernel runs it (after the verifier's rewrites); the lab asks for between 10 and 50 instructions",
    });
    expect((await judge({ instructions: { max: 57 } }, ran({}))).status).toBe('passed');
  });

  it('matches the type and the attach point, by target or by any spelling of the section', async () => {
    for (const attach of ['syscalls/sys_enter_execve', 'tracepoint/syscalls/sys_enter_execve']) {
      expect((await judge({ progType: 'tracepoint', attach }, ran({}))).status).toBe('passed');
    }
    const wrong = await judge(
      { progType: 'kprobe', attach: 'syscalls/sys_enter_openat' },
      ran({ section: 'tp/syscalls/sys_enter_execve' }),
    );
    expect(wrong).toMatchObject({
      status: 'failed',
      expected: 'count_execs is a kprobe program; attached to syscalls/sys_enter_openat',
      actual:
        'count_execs is a tracepoint program\ncount_execs is attached to syscalls/sys_enter_execve (section tp/syscalls/sys_enter_execve)',
    });
  });

  it('judges run count and average run time, and says when the kernel did not count runs', async () => {
    expect(await judge({ runCount: { min: 1 }, averageRunNs: { max: 500 } }, ran({}))).toMatchObject({
      status: 'failed',
      actual: 'count_execs took 812 ns per run on average over 40 runs; the budget is at most 500 ns',
    });
    expect(await judge({ runCount: { min: 1 } }, ran({ runCount: 0, runTimeNs: 0 }))).toMatchObject({
      status: 'failed',
      actual: 'count_execs ran 0 times during the workload; the lab asks for at least 1 run',
    });
    expect(await judge({ averageRunNs: { max: 500 } }, ran({ runCount: 0, runTimeNs: 0 }))).toMatchObject({
      actual: 'count_execs never ran during the workload, so it has no average run time',
    });
    expect(await judge({ runCount: { min: 1 } }, ran({ statsEnabled: false }))).toMatchObject({
      status: 'failed',
      actual: expect.stringContaining('the kernel did not count runs'),
    });
  });

  it('names the programs the kernel reported when the one asked for is absent', async () => {
    expect(
      await judge({ program: 'count_opens', processedInstructions: { max: 300 } }, ran({})),
    ).toMatchObject({
      status: 'failed',
      actual: 'no program named count_opens was loaded; the kernel reported: count_execs',
    });
  });

  it('is skipped, not failed, when the program did not load', async () => {
    const r = await judge(
      { processedInstructions: { max: 300 } },
      { build: { ok: true }, load: { ok: false, programs: [], error: 'R0 !read_ok' }, run: null },
    );
    expect(r).toMatchObject({ status: 'skipped', actual: 'not run: the program was not loaded' });
  });
});

describe('the program check in lab.yaml', () => {
  const parse = (check: Record<string, unknown>) =>
    Check.safeParse({ id: 'p', title: 'T', type: 'program', program: 'count_execs', ...check });

  it('needs something to judge, and bounds that make sense', () => {
    expect(parse({}).error?.issues[0]?.message).toMatch(/give at least one of `progType`, `attach`/);
    expect(parse({ processedInstructions: {} }).error?.issues[0]).toMatchObject({
      path: ['processedInstructions'],
      message: 'give `min`, `max` or both',
    });
    expect(parse({ instructions: { min: 9, max: 3 } }).error?.issues[0]?.message).toBe(
      '`min` must not exceed `max`',
    );
    expect(parse({ program: 'count execs', progType: 'xdp' }).error?.issues[0]?.path).toEqual(['program']);
  });

  it('asks the runner for run statistics only when a check judges runs', () => {
    const lab = (check: Record<string, unknown>) =>
      LabManifest.parse({
        id: 'x',
        title: 'X',
        summary: 'X.',
        lesson: 'l',
        requires: [],
        files: [{ path: 'x.bpf.c' }],
        build: { bpf: ['x.bpf.c'] },
        attach: { object: 'x.bpf.o' },
        checks: [{ id: 'p', title: 'T', type: 'program', program: 'x', ...check }],
      });
    const budgeted = lab({ processedInstructions: { max: 300 } });
    const counted = lab({ runCount: { min: 1 } });
    expect([
      needsRunStats(budgeted),
      needsRunStats(counted),
      needsRunStats(lab({ averageRunNs: { max: 9 } })),
    ]).toEqual([false, true, true]);
    expect(runnerArgs(counted.attach!, false, needsRunStats(counted))).toContain('--stats');
    expect(runnerArgs(budgeted.attach!, false, needsRunStats(budgeted))).not.toContain('--stats');
  });

  it('needs `attach` in the lab', () => {
    const lab = LabManifest.safeParse({
      id: 'x',
      title: 'X',
      summary: 'X.',
      lesson: 'l',
      requires: [],
      files: [{ path: 'x.bpf.c' }],
      build: { bpf: ['x.bpf.c'] },
      checks: [{ id: 'p', title: 'T', type: 'program', program: 'x', progType: 'xdp' }],
    });
    expect(lab.error?.issues).toContainEqual(
      expect.objectContaining({ path: ['checks', 0, 'type'], message: 'a `program` check needs `attach`' }),
    );
  });
});

describe('program_stats lines', () => {
  const line = {
    type: 'program_stats' as const,
    program: 'count_execs',
    section: 'tp/syscalls/sys_enter_execve',
    prog_type: 'tracepoint',
    xlated_insns: 57,
    jited_bytes: 250,
    verified_insns: 44,
    stats_enabled: true,
    run_cnt: 3,
    run_time_ns: 900,
  };
  const log = 'processed 29 insns (limit 1000000) max_states_per_insn 0 total_states 3\n';

  it('take the verifier count from the kernel, or from the log on kernels before 5.16', () => {
    expect(programStatsOf(line, 'syscalls/sys_enter_execve', log)).toMatchObject({
      processedInstructions: 44,
      instructions: 57,
      target: 'syscalls/sys_enter_execve',
      runCount: 3,
    });
    expect(programStatsOf({ ...line, verified_insns: 0 }, undefined, log).processedInstructions).toBe(29);
    expect(programStatsOf({ ...line, verified_insns: 0 }, undefined, undefined).processedInstructions).toBe(
      null,
    );
  });

  it('reads "processed N insns" from a verifier log', () => {
    expect(processedInsnsOf(`0: (b7) r0 = 0\n1: (95) exit\n${log}`)).toBe(29);
    expect(processedInsnsOf('R0 !read_ok\n')).toBeNull();
  });
});
