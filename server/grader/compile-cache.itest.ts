/**
 * The compile cache on the real kernel with real clang: two learners Check the same code, one
 * after the other; the second's BPF object comes from the cache (the grade's log says so and its
 * compile stage takes a fraction of the first's), and grades the same, its bpf_printk lines
 * routed to its own run (the nonce in the cached object was rewritten to the second run's).
 * Changed code compiles again.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLab, repoLabPaths } from '../labs/loader.js';
import { LabManifest } from '../labs/schema.js';
import { cannotRunLocalDriver, REPO_ROOT, startTestDriver } from '../sandbox/local/itest-support.js';
import { hostRunner, hostToolsDir } from '../sandbox/tools-tree.js';
import type { Sandbox } from '../sandbox/types.js';
import { CompileCache } from './compile-cache.js';
import { CACHE_HIT_NOTE } from './compile-stage.js';
import { Grader } from './grader.js';

const skipReason =
  cannotRunLocalDriver() ??
  (existsSync(hostRunner(REPO_ROOT)) ? null : 'the lab toolchain is not built (make -C bpf)');

describe.skipIf(skipReason !== null)(
  `compile cache on the real kernel${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    let env: Awaited<ReturnType<typeof startTestDriver>>;
    let sandboxes: Sandbox[];
    let cacheDir: string;
    let grader: Grader;

    beforeAll(async () => {
      env = await startTestDriver();
      cacheDir = await mkdtemp(path.join(os.tmpdir(), 'bpflab-cache-itest-'));
      grader = new Grader({
        compileCache: new CompileCache(cacheDir),
        hostToolsDir: hostToolsDir(REPO_ROOT),
      });
      sandboxes = [
        await env.driver.create({ sessionId: 'cache-a' }),
        await env.driver.create({ sessionId: 'cache-b' }),
      ];
    });

    afterAll(async () => {
      await grader?.close();
      await env?.close();
      await rm(cacheDir, { recursive: true, force: true });
    });

    it("compiles a submission once: another learner's identical Check takes the object from the cache and grades the same", async () => {
      const loaded = await loadLab('hello-execve', repoLabPaths(REPO_ROOT));
      if (!loaded.ok) throw new Error('hello-execve does not load');
      // With a trace check, so a cached object whose bpf_printk tag kept the first run's nonce
      // would lose its lines (they would be routed to a run that has ended).
      const printed = {
        id: 'printed',
        title: 'One trace line per program',
        type: 'output',
        source: 'trace',
        match: { regex: 'execs \\./bin/hx-{{nonce}}-[1-5]$' },
        count: { exact: 5 },
      };
      const lab = {
        ...loaded.lab,
        manifest: LabManifest.parse({
          ...loaded.lab.manifest,
          checks: [...loaded.lab.manifest.checks, printed],
        }),
      };
      const solution = await readFile(path.join(REPO_ROOT, 'labs/hello-execve/solution/hello.bpf.c'), 'utf8');
      const code = solution.replace(
        '\tbpf_ringbuf_submit(e, 0);',
        '\tbpf_printk("pid %d execs %s", e->pid, e->filename);\n\tbpf_ringbuf_submit(e, 0);',
      );

      const first = await grader.grade({ lab, files: { 'hello.bpf.c': code }, sandbox: sandboxes[0]! });
      const second = await grader.grade({ lab, files: { 'hello.bpf.c': code }, sandbox: sandboxes[1]! });

      expect(first.message).toMatch(/^All 6 checks passed/);
      expect(second.message).toMatch(/^All 6 checks passed/);
      expect(first.log).not.toContain(CACHE_HIT_NOTE);
      expect(second.log).toContain(CACHE_HIT_NOTE);
      expect(second.timings.compile!).toBeLessThan(first.timings.compile! / 3);
      expect(await readdir(cacheDir)).toHaveLength(1);

      const changed = await grader.grade({
        lab,
        files: { 'hello.bpf.c': code.replace('execs %s', 'runs %s') },
        sandbox: sandboxes[1]!,
      });
      expect(changed.log).not.toContain(CACHE_HIT_NOTE);
      expect(await readdir(cacheDir)).toHaveLength(2);
    });
  },
);
