/**
 * The Program view on the real kernel, in a local sandbox: hello-execve's solution built, loaded
 * without attaching and read back from the kernel. Each helper call of the source is found under
 * its own line in clang's column, the verifier's instructions are there with their source lines
 * and the map load it rewrote marked, the JIT is shown or its absence explained, nothing stays
 * loaded, and code that does not compile says so.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Lab, loadLab, repoLabPaths } from '../labs/loader.js';
import type { ProgramView } from '../protocol/lab.js';
import { cannotRunLocalDriver, REPO_ROOT, startTestDriver } from '../sandbox/local/itest-support.js';
import { hostRunner } from '../sandbox/tools-tree.js';
import type { Sandbox } from '../sandbox/types.js';
import { leftovers } from './kernel-objects.js';
import { programView } from './program-view.js';

const paths = repoLabPaths(REPO_ROOT);
const skipReason =
  cannotRunLocalDriver() ??
  (existsSync(hostRunner(REPO_ROOT)) ? null : 'the lab toolchain is not built (make -C bpf)');

const lineOf = (code: string, text: string) => code.split('\n').findIndex((l) => l.includes(text)) + 1;

describe.skipIf(skipReason !== null)(
  `program view on the real kernel${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    let env: Awaited<ReturnType<typeof startTestDriver>>;
    let sandbox: Sandbox;
    let lab: Lab;
    let solution: string;

    beforeAll(async () => {
      env = await startTestDriver();
      sandbox = await env.driver.create({ sessionId: 'program-view' });
      const loaded = await loadLab('hello-execve', paths);
      if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
      lab = loaded.lab;
      solution = await readFile(path.join(paths.labsDir, 'hello-execve', 'solution', 'hello.bpf.c'), 'utf8');
    });

    afterAll(async () => {
      await env?.close();
    });

    it("shows clang's, the verifier's and the JIT's instructions of hello-execve by source line", async () => {
      let loaded: number[] = [];
      const view: ProgramView = await programView({
        lab,
        files: { 'hello.bpf.c': solution },
        sandbox,
        onLoaded: (ids) => (loaded = ids),
      });
      if (!view.ok) throw new Error(`program view failed: ${view.error}`);
      expect(view.sources.map((s) => s.path)).toEqual(['hello.bpf.c']);
      expect(view.programs.map((p) => p.name)).toEqual(['handle_execve']);
      const [program] = view.programs;

      // Every helper the source calls is a `call` in clang's column, under the line that calls it.
      for (const helper of [
        'bpf_ringbuf_reserve',
        'bpf_get_current_pid_tgid',
        'bpf_get_current_comm',
        'bpf_probe_read_user_str',
        'bpf_ringbuf_submit',
      ]) {
        const call = program!.clang.find((l) => l.text.startsWith('call ') && l.text.endsWith(`; ${helper}`));
        expect(call, helper).toMatchObject({ file: 'hello.bpf.c', line: lineOf(solution, `${helper}(`) });
      }

      // The verifier's instructions, by source line; the ring buffer's load became a map id.
      const reserveLine = lineOf(solution, 'bpf_ringbuf_reserve(');
      const xlatedOnReserve = program!.xlated.filter((l) => l.line === reserveLine);
      expect(xlatedOnReserve.length).toBeGreaterThan(0);
      const mapLoad = xlatedOnReserve.find((l) => /map\[id:\d+\]/.test(l.text));
      expect(mapLoad).toMatchObject({ changed: true });
      expect(mapLoad!.text).toMatch(/; events$/);
      expect(program!.xlated.at(-1)).toMatchObject({ text: 'exit' });
      expect(program!.xlated.at(-1)?.changed).toBeUndefined();
      // Calls: named kernel functions where the sandbox may see them, else said why.
      const calls = program!.xlated.filter((l) => l.text.startsWith('call '));
      expect(calls.length).toBeGreaterThanOrEqual(4);
      if (calls.some((c) => c.text === 'call ?')) expect(program!.notes.join(' ')).toMatch(/CAP_SYSLOG/);

      // The JIT: machine code by source line, or the kernel's reason in words.
      if (program!.jited) {
        expect(program!.jited.some((l) => l.line === reserveLine)).toBe(true);
      } else {
        expect(program!.jitUnavailable).toMatch(/JIT/);
      }

      // The runner exited: nothing it loaded is still in the kernel.
      expect(loaded).toHaveLength(1);
      expect(await leftovers(sandbox, { programs: loaded, maps: [] })).toEqual({ programs: [], maps: [] });
    });

    it('says the code did not compile, with clang’s first error', async () => {
      const broken = solution.replace('e->pid =', 'e->pidd =');
      const view = await programView({ lab, files: { 'hello.bpf.c': broken }, sandbox });
      expect(view).toMatchObject({ ok: false, stage: 'compile' });
      expect(!view.ok && view.error).toMatch(/did not compile: .*pidd/);
    });
  },
);
