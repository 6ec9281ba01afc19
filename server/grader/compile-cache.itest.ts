/**
 * The compile cache on the real kernel with real clang: two learners Check the same code, one
 * after the other; the second's BPF object comes from the cache (the grade's log says so and its
 * compile stage takes a fraction of the first's), and grades the same, its bpf_printk lines
 * routed to its own run (the nonce in the cached object was rewritten to the second run's).
 * Changed code compiles again. With the vm driver's way of building (BPF objects in the host
 * jail), a hit skips the host build, and a lab's user-space loader is still built in the sandbox
 * against the cached object's skeleton.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLab, repoLabPaths } from '../labs/loader.js';
import { type BpfBuilder, hostBpfBuilder } from '../sandbox/host-build.js';
import { cannotRunLocalDriver, REPO_ROOT, startTestDriver } from '../sandbox/local/itest-support.js';
import { hostRunner, hostToolsDir } from '../sandbox/tools-tree.js';
import type { Sandbox } from '../sandbox/types.js';
import { tracedHelloExecve } from '../testing/traced-lab.js';
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
      // With a trace check, so a cached object whose bpf_printk tag kept the first run's nonce
      // would lose its lines (they would be routed to a run that has ended).
      const { traced: lab, printing } = await tracedHelloExecve(REPO_ROOT);
      const code = printing('');

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

    it('skips the host build on a hit and still builds the user-space loader in the sandbox', async () => {
      const jail = hostBpfBuilder(hostToolsDir(REPO_ROOT), [REPO_ROOT]);
      const builtOnHost: string[] = [];
      const builder: BpfBuilder = {
        toolsDir: jail.toolsDir,
        build: (request) => {
          builtOnHost.push(...request.targets);
          return jail.build(request);
        },
      };
      const vmLike = (sandbox: Sandbox) =>
        new Proxy(sandbox, {
          get: (target, key) => {
            if (key === 'bpfBuilder') return builder;
            const value = Reflect.get(target, key, target);
            return typeof value === 'function' ? value.bind(target) : value;
          },
        });
      const loaded = await loadLab('skeleton-loader', repoLabPaths(REPO_ROOT));
      if (!loaded.ok) throw new Error('skeleton-loader does not load');
      const files = {
        'loader.c': await readFile(path.join(REPO_ROOT, 'labs/skeleton-loader/solution/loader.c'), 'utf8'),
      };

      const first = await grader.grade({ lab: loaded.lab, files, sandbox: vmLike(sandboxes[0]!) });
      const second = await grader.grade({ lab: loaded.lab, files, sandbox: vmLike(sandboxes[1]!) });

      expect(first.message).toMatch(/^All \d+ checks passed/);
      expect(second.message).toMatch(/^All \d+ checks passed/);
      expect(builtOnHost).toHaveLength(1);
      expect(second.log).toContain(CACHE_HIT_NOTE);
    });
  },
);
