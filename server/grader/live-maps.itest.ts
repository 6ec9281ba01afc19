/**
 * Run's live maps on the real kernel: the perf-sampling lab's solution under Run sends its samples
 * map at least twice a second while the spinner burns its second of CPU, the spinner's count
 * rising snapshot by snapshot to what the Run's reply shows at the end. (The UDP labs' match is
 * over within one snapshot: their counts jump rather than rise.) A Check never asks the runner
 * for snapshots.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Lab, loadLab, repoLabPaths } from '../labs/loader.js';
import { cannotRunLocalDriver, REPO_ROOT, startTestDriver } from '../sandbox/local/itest-support.js';
import { hostRunner } from '../sandbox/tools-tree.js';
import type { Sandbox } from '../sandbox/types.js';
import { Grader } from './grader.js';
import type { LiveMaps } from './live-maps.js';

const paths = repoLabPaths(REPO_ROOT);
const skipReason =
  cannotRunLocalDriver() ??
  (existsSync(hostRunner(REPO_ROOT)) ? null : 'the lab toolchain is not built (make -C bpf)');

/** The spinner's row of the samples map (it runs as spin-<nonce>), if it has one yet. */
function spinnerRow(maps: LiveMaps['maps']) {
  return maps.find((m) => m.name === 'samples')?.entries.find((e) => e.key[1]?.startsWith('spin-'));
}

/** Samples taken while the spinner ran, 0 before its first. */
const spinnerCount = (maps: LiveMaps['maps']) => Number(spinnerRow(maps)?.value[0] ?? 0);

describe.skipIf(skipReason !== null)(
  `live maps on the real kernel${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    let env: Awaited<ReturnType<typeof startTestDriver>>;
    let sandbox: Sandbox;
    let lab: Lab;
    let solution: string;
    const grader = new Grader();
    /** Every runner command line the sandbox spawned. */
    const spawned: string[][] = [];

    beforeAll(async () => {
      env = await startTestDriver();
      const real = await env.driver.create({ sessionId: 'live-maps' });
      sandbox = Object.assign(Object.create(real) as Sandbox, {
        spawn: (argv: string[], opts: Parameters<Sandbox['spawn']>[1]) => {
          spawned.push(argv);
          return real.spawn(argv, opts);
        },
      });
      const loaded = await loadLab('perf-sampling', paths);
      if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
      lab = loaded.lab;
      solution = await readFile(path.join(paths.labsDir, lab.id, 'solution', 'samples.bpf.c'), 'utf8');
    });

    afterAll(async () => {
      await grader.close();
      await env?.close();
    });

    it('streams the samples map at least twice a second while the spinner runs, its count rising', async () => {
      const snapshots: LiveMaps[] = [];
      const grade = await grader.grade({
        lab,
        files: { 'samples.bpf.c': solution },
        sandbox,
        onOutput: () => {},
        onMaps: (maps) => snapshots.push(maps),
      });
      expect(grade.score).toBe(grade.maxScore);

      // While the spinner is sampled: from the first snapshot with its row to the last one.
      const sampling = snapshots.filter((s) => spinnerCount(s.maps) > 0);
      expect(sampling.length).toBeGreaterThanOrEqual(3);
      const seconds = (sampling.at(-1)!.tMs - sampling[0]!.tMs) / 1000;
      expect((sampling.length - 1) / seconds).toBeGreaterThanOrEqual(2);
      const counts = sampling.map((s) => spinnerCount(s.maps));
      expect(counts).toEqual([...counts].sort((a, b) => a - b));
      expect(counts.at(-1)!).toBeGreaterThan(counts[0]!);
      expect(spinnerCount(grade.recorded?.maps ?? [])).toBeGreaterThanOrEqual(counts.at(-1)!);

      // The same table as the reply's final map, with the count as a number for the chart.
      const live = sampling.at(-1)!.maps.find((m) => m.name === 'samples')!;
      expect(live.keyFields).toEqual(['pid', 'comm']);
      expect(live.keyFields).toEqual(grade.recorded?.maps.find((m) => m.name === 'samples')?.keyFields);
      expect(spinnerRow(sampling.at(-1)!.maps)?.numbers).toEqual([counts.at(-1)]);
    });

    it('does not ask the runner for snapshots in a Check', async () => {
      spawned.length = 0;
      const grade = await grader.grade({ lab, files: { 'samples.bpf.c': solution }, sandbox });
      expect(grade.score).toBe(grade.maxScore);
      const runner = spawned.find((argv) => argv.includes('run') && argv.includes('samples.bpf.o'));
      expect(runner).toBeDefined();
      expect(runner).not.toContain('--map-every');
    });
  },
);
