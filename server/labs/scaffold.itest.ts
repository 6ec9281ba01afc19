/**
 * `npx bpflab new lab` on the real kernel: the lab it writes validates as it stands (the solution
 * scores full marks, the starter does not), so an author starts from something that works.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Grader } from '../grader/grader.js';
import { cannotRunLocalDriver, REPO_ROOT, startTestDriver } from '../sandbox/local/itest-support.js';
import { hostRunner } from '../sandbox/tools-tree.js';
import { newLab, newLesson } from './scaffold.js';
import { validateLab } from './validate.js';

const skipReason =
  cannotRunLocalDriver() ??
  (existsSync(hostRunner(REPO_ROOT)) ? null : 'the lab toolchain is not built (make -C bpf)');

describe.skipIf(skipReason !== null)(
  `a scaffolded lab${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    let env: Awaited<ReturnType<typeof startTestDriver>>;
    let root: string;
    const grader = new Grader();

    beforeAll(async () => {
      root = await mkdtemp(path.join(tmpdir(), 'bpflab-scaffold-itest-'));
      for (const f of [
        ...newLab('fresh-lab', 'fresh-lesson'),
        newLesson('01-fresh-lesson.mdx', ['fresh-lab']),
      ]) {
        const target = path.join(root, f.path);
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, f.content);
        if (f.executable) await chmod(target, 0o755);
      }
      env = await startTestDriver();
    });

    afterAll(async () => {
      await grader.close();
      await env?.close();
      await rm(root, { recursive: true, force: true });
    });

    it('validates out of the box: full marks for the solution, not for the starter', async () => {
      const sandbox = await env.driver.create({ sessionId: 'scaffold-itest' });
      try {
        const verdict = await validateLab('fresh-lab', {
          paths: { root, labsDir: path.join(root, 'labs'), contentDir: path.join(root, 'content') },
          sandbox,
          features: await sandbox.features(),
          grader,
        });
        expect(verdict.problems).toEqual([]);
        expect(verdict.result).toBe('ok');
        expect(verdict.solution).toMatchObject({ score: 5, maxScore: 5 });
        expect(verdict.starter).toMatchObject({ score: 2, maxScore: 5 });
      } finally {
        await sandbox.dispose();
      }
    }, 120_000);
  },
);
