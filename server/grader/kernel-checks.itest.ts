/**
 * Kernel-side checks on the real kernel: the runner's program_stats line (xlated size, the
 * verifier's processed instructions as its log states them, run counts only while statistics
 * are on, kernel.bpf_stats_enabled as it was afterwards), the server's hold on that sysctl for
 * local sandboxes, and the verifier-budget lab graded in a local sandbox: its starter fails
 * exactly the budget, naming both numbers, and its solution passes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTools,
  buildWorkload,
  compile,
  type RunnerLine,
  runDir,
  runToEnd,
  toolchainUnavailable,
  workload,
} from '../../bpf/harness.js';
import { type Lab, loadLab, repoLabPaths } from '../labs/loader.js';
import { cannotRunLocalDriver, REPO_ROOT, startTestDriver } from '../sandbox/local/itest-support.js';
import type { Sandbox } from '../sandbox/types.js';
import { BPF_STATS_SYSCTL, holdBpfStats } from './bpf-stats.js';
import { Grader } from './grader.js';

const statsSysctl = async () => (await readFile(BPF_STATS_SYSCTL, 'utf8')).trim();
const skipReason = toolchainUnavailable() ?? cannotRunLocalDriver();
/** Statistics on for the whole host already (someone set the sysctl): no run can show them off. */
const statsAlreadyOn = existsSync(BPF_STATS_SYSCTL) && readFileSync(BPF_STATS_SYSCTL, 'utf8').trim() === '1';

describe.skipIf(skipReason !== null)(
  `kernel-side checks${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    let lab: Awaited<ReturnType<typeof runDir>>;
    let before: string;

    beforeAll(async () => {
      before = await statsSysctl();
      await buildTools();
      lab = await runDir(['syscall_counts.bpf.c']);
      expect((await compile(lab.dir, 'syscall_counts.bpf.o')).exitCode).toBe(0);
    });

    afterAll(async () => {
      await lab?.remove();
    });

    /** A run of syscall_counts (a tracepoint on getppid) while a workload calls getppid 7 times. */
    const countedRun = async (extra: string[]) => {
      const binary = await buildWorkload(lab.dir);
      const { exitCode, lines } = await runToEnd(['run', 'syscall_counts.bpf.o', ...extra], {
        cwd: lab.dir,
        afterReady: async () => {
          await workload(binary, 'getppid', '7');
        },
      });
      expect(exitCode).toBe(0);
      const stats = lines.find((l: RunnerLine) => l.type === 'program_stats');
      const verifier = lines.find((l: RunnerLine) => l.type === 'verifier');
      return { stats, verifier };
    };

    it('reports each program as the kernel sees it, with runs counted under --stats', async () => {
      const { stats, verifier } = await countedRun(['--stats']);
      expect(stats).toMatchObject({
        program: 'count_getppid',
        section: 'tp/syscalls/sys_enter_getppid',
        prog_type: 'tracepoint',
        stats_enabled: true,
      });
      expect(stats!.xlated_insns).toBeGreaterThan(10);
      expect(stats!.jited_bytes).toBeGreaterThan(0);
      // The kernel's own count is the one its verifier log states.
      expect(verifier!.log).toContain(`processed ${stats!.verified_insns} insns`);
      expect(stats!.run_cnt).toBeGreaterThanOrEqual(7);
      expect(stats!.run_time_ns).toBeGreaterThan(0);
      // BPF_ENABLE_STATS is held by the runner's fd; the sysctl never changed.
      expect(await statsSysctl()).toBe(before);
    });

    it.skipIf(statsAlreadyOn)('counts no runs without --stats, and says so', async () => {
      const { stats } = await countedRun([]);
      expect(stats).toMatchObject({ stats_enabled: false, run_cnt: 0, run_time_ns: 0 });
    });

    it('holds kernel.bpf_stats_enabled on for its holders and puts the old value back', async () => {
      const first = await holdBpfStats();
      const second = await holdBpfStats();
      expect(await statsSysctl()).toBe('1');
      await first();
      await first(); // a second release of the same hold changes nothing
      expect(await statsSysctl()).toBe('1');
      await second();
      expect(await statsSysctl()).toBe(before);
    });

    describe('the verifier-budget lab in a local sandbox', () => {
      let env: Awaited<ReturnType<typeof startTestDriver>>;
      let sandbox: Sandbox;
      let budgetLab: Lab;
      const grader = new Grader();
      const paths = repoLabPaths(REPO_ROOT);
      const code = (variant: 'starter' | 'solution') =>
        readFile(path.join(paths.labsDir, 'verifier-budget', variant, 'pathlen.bpf.c'), 'utf8');

      beforeAll(async () => {
        env = await startTestDriver();
        sandbox = await env.driver.create({ sessionId: 'kernel-checks' });
        const loaded = await loadLab('verifier-budget', paths);
        if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
        budgetLab = loaded.lab;
      });

      afterAll(async () => {
        await grader.close();
        await env?.close();
      });

      it('fails the starter on exactly the budget, naming its count and the budget', async () => {
        const grade = await grader.grade({
          lab: budgetLab,
          files: { 'pathlen.bpf.c': await code('starter') },
          sandbox,
        });
        expect(grade.gradable).toBe(true);
        expect(grade.checks.filter((c) => c.status !== 'passed').map((c) => c.id)).toEqual(['budget']);
        const budget = grade.checks.find((c) => c.id === 'budget')!;
        const taken = Number(/your program took (\d+) processed instructions/.exec(budget.actual ?? '')?.[1]);
        expect(taken).toBeGreaterThan(1000);
        expect(budget.actual).toBe(
          `your program took ${taken} processed instructions; the budget is at most 300 processed instructions`,
        );
        // Its run count was judged, so statistics were on during the run, and are back as they were.
        expect(grade.checks.find((c) => c.id === 'attached')?.actual).toMatch(
          /^sum_path_lengths is a tracepoint program; sum_path_lengths is attached to syscalls\/sys_enter_execve .*; sum_path_lengths ran \d+ times during the workload$/,
        );
        expect(await statsSysctl()).toBe(before);
      });

      it('passes the solution with full points', async () => {
        const grade = await grader.grade({
          lab: budgetLab,
          files: { 'pathlen.bpf.c': await code('solution') },
          sandbox,
        });
        expect(grade.checks.map((c) => c.status)).toEqual(grade.checks.map(() => 'passed'));
        expect(grade.checks.find((c) => c.id === 'budget')?.actual).toMatch(
          /^your program took \d{2,3} processed instructions$/,
        );
      });
    });
  },
);
