/**
 * The grading queue with real grades: six learners press Check on hello-execve at once on a
 * queue of two slots. Never more than two grade at a time, they start in the order they arrived,
 * each waiting one is told its place in line (and hears it shrink), the first to arrive are the
 * first to get their verdict, and every grade has full marks.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLab, repoLabPaths } from '../labs/loader.js';
import type { Grade } from '../protocol/lab.js';
import { cannotRunLocalDriver, REPO_ROOT, startTestDriver } from '../sandbox/local/itest-support.js';
import { hostRunner } from '../sandbox/tools-tree.js';
import type { Sandbox } from '../sandbox/types.js';
import { GradeLock } from './grade-lock.js';
import { Grader } from './grader.js';
import { GradingQueue } from './grading-queue.js';

const LEARNERS = 6;
const SLOTS = 2;

const skipReason =
  cannotRunLocalDriver() ??
  (existsSync(hostRunner(REPO_ROOT)) ? null : 'the lab toolchain is not built (make -C bpf)');

describe.skipIf(skipReason !== null)(
  `grading queue on the real kernel${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    let env: Awaited<ReturnType<typeof startTestDriver>>;
    let sandboxes: Sandbox[];
    const grader = new Grader();

    beforeAll(async () => {
      env = await startTestDriver();
      sandboxes = await Promise.all(
        Array.from({ length: LEARNERS }, (_, i) => env.driver.create({ sessionId: `queue-${i}` })),
      );
    });

    afterAll(async () => {
      await grader.close();
      await env?.close();
    });

    it(`grades ${LEARNERS} simultaneous Checks ${SLOTS} at a time, in order of arrival, telling each its place`, async () => {
      const loaded = await loadLab('hello-execve', repoLabPaths(REPO_ROOT));
      if (!loaded.ok) throw new Error('hello-execve does not load');
      const files = {
        'hello.bpf.c': await readFile(path.join(REPO_ROOT, 'labs/hello-execve/solution/hello.bpf.c'), 'utf8'),
      };
      const lock = new GradeLock(new GradingQueue({ slots: SLOTS }));
      const started: number[] = [];
      const finished: number[] = [];
      const places: number[][] = sandboxes.map(() => []);
      let running = 0;
      let mostAtOnce = 0;

      // Called one after another, as the server receives them: index = order of arrival.
      const grades = sandboxes.map((sandbox, i) =>
        lock.exclusive(
          `learner-${i}`,
          async (): Promise<Grade> => {
            started.push(i);
            mostAtOnce = Math.max(mostAtOnce, ++running);
            try {
              return await grader.grade({ lab: loaded.lab, files, sandbox });
            } finally {
              running--;
              finished.push(i);
            }
          },
          (place) => places[i]!.push(place),
        ),
      );
      const results = await Promise.all(grades);

      for (const result of results) {
        if (result.refused !== null) throw new Error(`refused: ${result.refused}`);
        expect(result.value.message).toMatch(/^All 5 checks passed/);
      }
      expect(mostAtOnce).toBe(SLOTS);
      expect(started).toEqual([0, 1, 2, 3, 4, 5]);
      // The first two start at once; the k-th waiting learner hears k, then k-1, … down to 1.
      expect(places).toEqual([[], [], [1], [2, 1], [3, 2, 1], [4, 3, 2, 1]]);
      // Early arrivals finish early: the first two are done before the last two.
      expect(finished.slice(0, 2).sort()).toEqual([0, 1]);
      expect(finished.slice(-2).sort()).toEqual([4, 5]);
    });
  },
);
