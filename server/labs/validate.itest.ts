/**
 * `bpflab validate` on the real kernel, with broken copies of a lab that grading alone would pass:
 * a workload that never ends on its own, and a map check naming a map the object does not have.
 * Each must fail validation with the reason a lab's author can act on.
 */
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Grader } from '../grader/grader.js';
import { cannotRunLocalDriver, REPO_ROOT, startTestDriver } from '../sandbox/local/itest-support.js';
import { hostRunner } from '../sandbox/tools-tree.js';
import type { Sandbox } from '../sandbox/types.js';
import { repoLabPaths } from './loader.js';
import { type ValidateDeps, validateLab } from './validate.js';

const skipReason =
  cannotRunLocalDriver() ??
  (existsSync(hostRunner(REPO_ROOT)) ? null : 'the lab toolchain is not built (make -C bpf)');

describe.skipIf(skipReason !== null)(
  `bpflab validate on broken labs${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    let env: Awaited<ReturnType<typeof startTestDriver>>;
    let sandbox: Sandbox;
    let labsDir: string;
    const grader = new Grader();
    const repo = repoLabPaths(REPO_ROOT);

    /** hello-execve copied as lab `id`, its lab.yaml edited by `edit`. */
    async function brokenCopy(id: string, edit: (yaml: string) => string): Promise<void> {
      const dir = path.join(labsDir, id);
      await cp(path.join(repo.labsDir, 'hello-execve'), dir, { recursive: true });
      const yaml = await readFile(path.join(dir, 'lab.yaml'), 'utf8');
      const edited = edit(yaml.replace('id: hello-execve', `id: ${id}`));
      expect(edited).not.toBe(yaml.replace('id: hello-execve', `id: ${id}`));
      await writeFile(path.join(dir, 'lab.yaml'), edited);
    }

    const deps = async (): Promise<ValidateDeps> => ({
      paths: { ...repo, labsDir },
      sandbox,
      features: await sandbox.features(),
      grader,
    });

    beforeAll(async () => {
      labsDir = await mkdtemp(path.join(tmpdir(), 'bpflab-validate-itest-'));
      env = await startTestDriver();
      sandbox = await env.driver.create({ sessionId: 'validate-itest' });
    });

    afterAll(async () => {
      await grader.close();
      await env?.close();
      await rm(labsDir, { recursive: true, force: true });
    });

    it('fails a lab whose workload does not finish within its timeout, naming the limit', async () => {
      await brokenCopy('hangs-after-work', (yaml) =>
        yaml.replace(
          /workload:\n {2}run: \[\.\/workload\.sh\]\n {2}timeoutMs: 5000/,
          "workload:\n  run: [sh, -c, './workload.sh; exec sleep 100000']\n  timeoutMs: 2000",
        ),
      );
      const verdict = await validateLab('hangs-after-work', await deps());

      // The checks alone pass: what was recorded before the overrun is all there.
      expect(verdict.solution).toMatchObject({ gradable: true });
      expect(verdict.solution?.score).toBe(verdict.solution?.maxScore);
      expect(verdict.result).toBe('failed');
      expect(verdict.problems).toContain(
        "the workload did not finish within 2 s (workload.timeoutMs) when grading the solution: it must end on its own, whatever the learner's program does",
      );
    });

    it('fails a map check naming a map the object lacks, with the maps it has and expected next to actual', async () => {
      await brokenCopy('wrong-map-name', (yaml) =>
        yaml.replace(
          'checks:\n',
          `checks:\n  - id: counted\n    type: map\n    title: The counts are kept\n    map: counts\n    entries:\n      - key: 1\n        value: 1\n`,
        ),
      );
      const verdict = await validateLab('wrong-map-name', await deps());

      expect(verdict.result).toBe('failed');
      expect(verdict.problems).toContain(
        'check “counted” names the map "counts", which hello.bpf.o does not have (its maps: events, .bss)',
      );
      expect(verdict.problems).toContain(
        'the solution fails “The counts are kept”\n  expected: a map named "counts"\n  actual:   the program has no map "counts"; its maps are: events, .bss',
      );
    });
  },
);
