import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CACHE_HIT_NOTE } from '../grader/compile-stage.js';
import type { LabServerEvents } from '../protocol/lab.js';
import { cannotRunLocalDriver, REPO_ROOT } from '../sandbox/local/itest-support.js';
import { hostRunner } from '../sandbox/tools-tree.js';
import { type ClientSocket, startTestPlatform, type TestPlatform } from '../testing/harness.js';
import { TerminalScreen } from '../testing/socket-client.js';

const LAB = 'hello-execve';
const skipReason =
  cannotRunLocalDriver() ??
  (existsSync(hostRunner(REPO_ROOT)) ? null : 'the lab toolchain is not built (make -C bpf)');

describe.skipIf(skipReason !== null)(
  `Check and Run over socket.io on the real kernel${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    let site: TestPlatform;
    let socket: ClientSocket;
    let solution: string;
    beforeAll(async () => {
      site = await startTestPlatform({});
      socket = await site.connect({ cookie: await site.newLearner(), origin: site.origin });
      solution = await readFile(path.join(REPO_ROOT, 'labs', LAB, 'solution/hello.bpf.c'), 'utf8');
    });
    afterAll(() => site?.close());

    it('grades a Check stage by stage, records it, and then offers the solution', async () => {
      const progress: Parameters<LabServerEvents['lab:progress']>[0][] = [];
      socket.on('lab:progress', (p) => progress.push(p));
      const reply = await socket.emitWithAck('lab:check', { labId: LAB, files: { 'hello.bpf.c': solution } });
      socket.off('lab:progress');

      expect(reply).toMatchObject({
        ok: true,
        value: {
          grade: { gradable: true, score: 8, maxScore: 8 },
          progress: {
            attempts: 1,
            bestScore: 8,
            maxScore: 8,
            passed: true,
            solutionShown: false,
            passedOnOwn: true,
          },
          solutionAvailable: true,
        },
      });
      expect(progress.map((p) => `${p.stage}:${'status' in p ? p.status : p.position}`)).toEqual([
        'compile:running',
        'compile:done',
        'load:running',
        'load:done',
        'workload:running',
        'workload:done',
        'collect:running',
        'collect:done',
        'assert:running',
        'assert:done',
      ]);
      const opened = await socket.emitWithAck('lab:open', { labId: LAB });
      expect(opened).toMatchObject({
        ok: true,
        value: {
          progress: { attempts: 1, bestScore: 8, maxScore: 8, passed: true },
          solutionAvailable: true,
          files: [{ path: 'hello.bpf.c', content: solution }],
        },
      });
      // Shown after a pass of one's own: recorded, and the pass stays the learner's own.
      expect(await socket.emitWithAck('lab:solution', { labId: LAB })).toMatchObject({
        ok: true,
        value: {
          files: [{ content: solution }],
          progress: { attempts: 1, passed: true, solutionShown: true, passedOnOwn: true },
        },
      });
    });

    it('records a solution shown before the first pass: that pass is one with the solution shown', async () => {
      const cookie = await site.newLearner();
      const learner = await site.connect({ cookie, origin: site.origin });
      const starter = await readFile(path.join(REPO_ROOT, 'labs', LAB, 'starter/hello.bpf.c'), 'utf8');
      const failed = await learner.emitWithAck('lab:check', {
        labId: LAB,
        files: { 'hello.bpf.c': starter },
      });
      expect(failed).toMatchObject({
        ok: true,
        value: { grade: { gradable: true }, solutionAvailable: true },
      });
      expect(failed.ok && failed.value.grade.score).toBeLessThan(8);

      const shown = await learner.emitWithAck('lab:solution', { labId: LAB });
      expect(shown).toMatchObject({
        ok: true,
        value: { progress: { attempts: 1, passed: false, solutionShown: true, passedOnOwn: false } },
      });
      // Nothing of the learner's was overwritten: the lab opens with their code.
      const opened = await learner.emitWithAck('lab:open', { labId: LAB });
      expect(opened.ok && opened.value.files[0]?.content).toBe(starter);

      const passed = await learner.emitWithAck('lab:check', {
        labId: LAB,
        files: { 'hello.bpf.c': solution },
      });
      const withSolution = {
        attempts: 2,
        bestScore: 8,
        passed: true,
        solutionShown: true,
        passedOnOwn: false,
      };
      expect(passed).toMatchObject({ ok: true, value: { progress: withSolution } });
      const api = await fetch(`${site.url}/api/progress`, { headers: { cookie } });
      expect(await api.json()).toMatchObject({ labs: { [LAB]: withSolution } });
      learner.disconnect();
    });

    it('refuses a second Check while one is running', async () => {
      const files = { 'hello.bpf.c': solution };
      const replies = await Promise.all([
        socket.emitWithAck('lab:check', { labId: LAB, files }),
        socket.emitWithAck('lab:check', { labId: LAB, files }),
      ]);
      expect(replies.filter((r) => r.ok && r.value.grade.score === 8)).toHaveLength(1);
      expect(replies.filter((r) => !r.ok)).toEqual([
        { ok: false, error: 'A Check or Run of yours is still in progress; wait for its result' },
      ]);
    });

    it('streams what the program emits during Run without counting an attempt', async () => {
      const lines: string[] = [];
      socket.on('lab:output', ({ line }) => lines.push(line));
      const reply = await socket.emitWithAck('lab:run', { labId: LAB, files: { 'hello.bpf.c': solution } });
      socket.off('lab:output');

      expect(reply).toMatchObject({ ok: true, value: { score: 8 } });
      expect(lines.some((l) => /"filename":"\.\/bin\/hx-[a-z0-9]{8}-1"/.test(l))).toBe(true);
      const opened = await socket.emitWithAck('lab:open', { labId: LAB });
      expect(opened.ok && opened.value.progress?.attempts).toBe(2);
    });

    it('compiles saved code ahead, so the Check that follows takes its objects from the cache', async () => {
      const learner = await site.connect({ cookie: await site.newLearner(), origin: site.origin });
      const edited = `${solution}\n// compiled ahead ${Date.now()}\n`;
      await learner.emitWithAck('lab:save', { labId: LAB, files: { 'hello.bpf.c': edited } });
      // As a learner reads their code over before pressing Check: the build ahead has the time.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const checked = await learner.emitWithAck('lab:check', {
        labId: LAB,
        files: { 'hello.bpf.c': edited },
      });
      expect(checked).toMatchObject({ ok: true, value: { grade: { score: 8 } } });
      expect(checked.ok && checked.value.grade.log).toContain(CACHE_HIT_NOTE);

      // Code that does not build is not kept: its Check compiles it and shows the error on its line.
      const broken = `${solution}\nint broken(void) { return undeclared_name; }\n`;
      await learner.emitWithAck('lab:save', { labId: LAB, files: { 'hello.bpf.c': broken } });
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const failed = await learner.emitWithAck('lab:check', { labId: LAB, files: { 'hello.bpf.c': broken } });
      expect(failed.ok && failed.value.grade.log).not.toContain(CACHE_HIT_NOTE);
      expect(failed.ok && failed.value.grade.diagnostics).toContainEqual(
        expect.objectContaining({
          file: 'hello.bpf.c',
          severity: 'error',
          message: expect.stringContaining('undeclared_name'),
        }),
      );
      learner.disconnect();
    });

    it('puts the saved code in the terminal, where make builds it as Check does', async () => {
      const edited = `${solution}\n// edited in the browser\n`;
      expect(await socket.emitWithAck('lab:save', { labId: LAB, files: { 'hello.bpf.c': edited } })).toEqual({
        ok: true,
        value: null,
      });
      const screen = await TerminalScreen.open(socket);
      screen.type(`cd ~/labs/${LAB} && tail -n 1 hello.bpf.c && make && ls hello.bpf.o && echo BUILT\n`);
      await screen.waitFor(/edited in the browser[\s\S]*hello\.bpf\.o\s+BUILT/, 30_000);
    });
  },
);
