/**
 * The grader on the real kernel with real clang, libbpf and local sandboxes: what a learner sees
 * for a syntax error, a verifier rejection and a hanging workload; that libbpf-style code grades
 * (a record struct used only through bpf_ringbuf_reserve, const volatile globals the lab sets, a
 * kernel without the program's feature explained by the probe); that nothing of a grade
 * outlives it; that BPF objects built on the host (the vm driver's way) grade the same; that two
 * learners grading at once each see only their own output; and what a learner is told when
 * another program holds trace_pipe.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Lab, loadLab, repoLabPaths } from '../labs/loader.js';
import { LabManifest } from '../labs/schema.js';
import type { Grade } from '../protocol/lab.js';
import { type BpfBuilder, hostBpfBuilder } from '../sandbox/host-build.js';
import { cannotRunLocalDriver, REPO_ROOT, startTestDriver } from '../sandbox/local/itest-support.js';
import type { LocalSandbox } from '../sandbox/local/local-sandbox.js';
import { hostRunner, hostToolsDir } from '../sandbox/tools-tree.js';
import type { Sandbox } from '../sandbox/types.js';
import { tracedHelloExecve } from '../testing/traced-lab.js';
import type { GradeRequest } from './grade-run.js';
import { Grader } from './grader.js';
import { leftovers } from './kernel-objects.js';
import { runDirsRemoved } from './run-dir.js';
import { findTracefs } from './trace-pipe.js';

const paths = repoLabPaths(REPO_ROOT);
const toolchainBuilt = existsSync(hostRunner(REPO_ROOT));
const skipReason =
  cannotRunLocalDriver() ?? (toolchainBuilt ? null : 'the lab toolchain is not built (make -C bpf)');

async function lab(id: string): Promise<Lab> {
  const loaded = await loadLab(id, paths);
  if (!loaded.ok) throw new Error(`lab ${id} does not load: ${JSON.stringify(loaded.problems)}`);
  return loaded.lab;
}

const source = (id: string, variant: 'starter' | 'solution', file: string) =>
  readFile(path.join(paths.labsDir, id, variant, file), 'utf8');

/** 1-based line of the first line containing `text`. */
const lineOf = (code: string, text: string) => code.split('\n').findIndex((l) => l.includes(text)) + 1;

describe.skipIf(skipReason !== null)(
  `grader on the real kernel${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    let env: Awaited<ReturnType<typeof startTestDriver>>;
    let sandboxes: Sandbox[];
    const grader = new Grader();
    /** What the last grade loaded, by kernel id. */
    let lastLoaded = { programs: [] as number[], maps: [] as number[] };
    /** Every grade goes through here, so each proves that bpftool lists none of what it loaded. */
    const grade = async (req: GradeRequest): Promise<Grade> => {
      let ids = { programs: [] as number[], maps: [] as number[] };
      const result = await grader.grade({ ...req, onFinished: (record) => (ids = record.loaded) });
      expect(await leftovers(req.sandbox, ids)).toEqual({ programs: [], maps: [] });
      lastLoaded = ids;
      return result;
    };

    beforeAll(async () => {
      env = await startTestDriver();
      sandboxes = [
        await env.driver.create({ sessionId: 'grader-a' }),
        await env.driver.create({ sessionId: 'grader-b' }),
      ];
    });

    afterAll(async () => {
      await grader.close();
      await env?.close();
    });

    it('points clang errors at the line and column the learner wrote', async () => {
      const code = (await source('hello-execve', 'solution', 'hello.bpf.c')).replace('e->pid =', 'e->pidd =');
      const result = await grade({
        lab: await lab('hello-execve'),
        files: { 'hello.bpf.c': code },
        sandbox: sandboxes[0]!,
      });

      const line = lineOf(code, 'e->pidd =');
      const column = code.split('\n')[line - 1]!.indexOf('pidd') + 1;
      const message = "no member named 'pidd' in 'struct event'; did you mean 'pid'?";
      expect(result.gradable).toBe(true);
      expect(result.diagnostics).toEqual([
        { file: 'hello.bpf.c', line, column, severity: 'error', source: 'clang', message },
        {
          file: 'hello.bpf.c',
          line: lineOf(code, 'u32 pid;'),
          column: code.split('\n')[lineOf(code, 'u32 pid;') - 1]!.indexOf('pid;') + 1,
          severity: 'note',
          source: 'clang',
          message: "'pid' declared here",
        },
      ]);
      expect(result.checks.map((c) => c.status)).toEqual([
        'failed',
        'skipped',
        'skipped',
        'skipped',
        'skipped',
      ]);
      expect(result.checks[0]?.actual).toBe(`hello.bpf.c:${line}:${column}: error: ${message}`);
      expect(result.message).toMatch(/did not compile/);
    });

    it("points the verifier's rejection at the source line of the refused instruction", async () => {
      const code = await source('verifier-null-check', 'starter', 'count.bpf.c');
      const result = await grade({
        lab: await lab('verifier-null-check'),
        files: { 'count.bpf.c': code },
        sandbox: sandboxes[0]!,
      });

      expect(result.gradable).toBe(true);
      expect(result.diagnostics).toEqual([
        {
          file: 'count.bpf.c',
          line: lineOf(code, '__sync_fetch_and_add(count, 1);'),
          column: 2,
          severity: 'error',
          source: 'verifier',
          message: "R0 invalid mem access 'map_value_or_null'",
        },
      ]);
      expect(result.checks.find((c) => c.id === 'load')).toMatchObject({ status: 'failed', points: 0 });
      expect(result.log).toContain('; __sync_fetch_and_add(count, 1); @ count.bpf.c:');
      // The verdict explains it (verifier-explain.ts): the catalogue entry, the line, R0 in words.
      expect(result.verifier).toMatchObject({
        entry: { id: 'map-value-null' },
        source: { file: 'count.bpf.c', line: lineOf(code, '__sync_fetch_and_add(count, 1);') },
      });
      expect(result.verifier?.registers.find((r) => r.named)).toMatchObject({
        name: 'R0',
        words: 'a map value of map `exec_count` that may be NULL \u2014 check it before use',
      });
    });

    it('cuts a hanging workload at its timeout and says so, still grading what was seen', async () => {
      const hello = await lab('hello-execve');
      const hanging: Lab = {
        ...hello,
        manifest: LabManifest.parse({
          ...hello.manifest,
          workload: { run: ['sleep', '600'], timeoutMs: 1500 },
        }),
      };
      const started = performance.now();
      const result = await grade({
        lab: hanging,
        files: { 'hello.bpf.c': await source('hello-execve', 'solution', 'hello.bpf.c') },
        sandbox: sandboxes[0]!,
      });

      expect(performance.now() - started).toBeLessThan(10_000);
      expect(result.gradable).toBe(true);
      expect(result.timings.workload).toBeGreaterThanOrEqual(1500);
      expect(result.message).toContain('The workload did not finish within 1.5 s and was stopped.');
      expect(result.checks.find((c) => c.id === 'load')?.status).toBe('passed');
      expect(result.checks.find((c) => c.id === 'every-program')?.status).toBe('failed');
    });

    it('decodes the records of libbpf-style code, whose struct is used only through bpf_ringbuf_reserve()', async () => {
      const solution = await source('hello-execve', 'solution', 'hello.bpf.c');
      const libbpfStyle = solution.replace(/^BPFLAB_EVENT_TYPE\(event\);$/m, '');
      expect(libbpfStyle).not.toBe(solution);
      const result = await grade({
        lab: await lab('hello-execve'),
        files: { 'hello.bpf.c': libbpfStyle },
        sandbox: sandboxes[0]!,
      });
      expect(result.message).toMatch(/^All \d+ checks passed/);
      expect(result.log).not.toContain('shown as hex');
    });

    it("sets the lab's attach.rodata in the program's const volatile globals before load, {{nonce}} replaced", async () => {
      // The solution, reporting only while `enabled` and only programs named after `prefix`, as
      // libbpf-bootstrap's tools filter on globals their loader sets.
      const filtered = (await source('hello-execve', 'solution', 'hello.bpf.c'))
        .replace(
          'SEC("tracepoint/syscalls/sys_enter_execve")',
          'const volatile bool enabled = false;\nconst volatile char prefix[16] = "";\n\nSEC("tracepoint/syscalls/sys_enter_execve")',
        )
        .replace('\tstruct event *e;\n', '\tstruct event *e;\n\n\tif (!enabled)\n\t\treturn 0;\n');
      expect(filtered).toContain('if (!enabled)');
      const hello = await lab('hello-execve');
      // The values as the kernel holds them: .rodata is dumped like any map after the run.
      const rodataHeld = {
        id: 'rodata',
        title: 'The loader set the globals',
        type: 'map',
        map: '.rodata',
        entries: [{ key: 0, value: { enabled: true, prefix: 'hx-{{nonce}}' } }],
      };
      const withRodata = (rodata: Record<string, unknown>): Lab => ({
        ...hello,
        manifest: LabManifest.parse({
          ...hello.manifest,
          attach: { ...hello.manifest.attach, rodata },
          checks: [...hello.manifest.checks, rodataHeld],
        }),
      });

      const on = await grade({
        lab: withRodata({ enabled: true, prefix: 'hx-{{nonce}}' }),
        files: { 'hello.bpf.c': filtered },
        sandbox: sandboxes[0]!,
      });
      expect(on.message).toMatch(/^All \d+ checks passed/);
      const off = await grade({
        lab: withRodata({ enabled: false }),
        files: { 'hello.bpf.c': filtered },
        sandbox: sandboxes[0]!,
      });
      expect(off.checks.find((c) => c.id === 'every-program')?.status).toBe('failed');
      expect(off.checks.find((c) => c.id === 'rodata')?.status).toBe('failed');
      const unknown = await grade({
        lab: withRodata({ min_pid: 1 }),
        files: { 'hello.bpf.c': filtered },
        sandbox: sandboxes[0]!,
      });
      expect(unknown.checks.find((c) => c.id === 'load')?.actual).toContain(
        "no `const volatile` global 'min_pid' in the object's .rodata",
      );
    });

    it("tells a learner whose program the kernel cannot run the feature probe's reason", async () => {
      const { reasons } = await sandboxes[0]!.features();
      const solution = await source('hello-execve', 'solution', 'hello.bpf.c');
      const asKprobe = solution
        .replace('SEC("tracepoint/syscalls/sys_enter_execve")', 'SEC("kprobe/do_sys_openat2")')
        .replace('struct trace_event_raw_sys_enter *ctx', 'void *ctx')
        .replace('(const char *)ctx->args[0]', '"?"');
      expect(asKprobe).toContain('SEC("kprobe/');
      const result = await grade({
        lab: await lab('hello-execve'),
        files: { 'hello.bpf.c': asKprobe },
        sandbox: sandboxes[0]!,
      });
      const load = result.checks.find((c) => c.id === 'load');
      if (reasons.kprobe === undefined) {
        expect(load?.status).toBe('failed'); // it attaches, but not as the tracepoint the lab asks for
        return;
      }
      expect(load).toMatchObject({ status: 'failed' });
      expect(load?.actual).toBe(
        `program 'handle_execve' (SEC("kprobe/do_sys_openat2")): attach failed: this kernel cannot run kprobe programs: ${reasons.kprobe}`,
      );
    });

    it('leaves no program, map, process or run directory behind', async () => {
      const sandbox = sandboxes[0] as LocalSandbox;
      const before = await sandbox.pids();
      await grade({
        lab: await lab('hello-execve'),
        files: { 'hello.bpf.c': await source('hello-execve', 'solution', 'hello.bpf.c') },
        sandbox,
      });
      expect(lastLoaded.programs).toHaveLength(1);
      expect(lastLoaded.maps.length).toBeGreaterThan(0);
      // The run directory goes after the reply, in the background.
      await runDirsRemoved();
      expect(await sandbox.pids()).toEqual(before);
      const runs = await sandbox.exec(['ls', '-A', '.bpflab/runs'], {
        timeoutMs: 5_000,
        maxOutputBytes: 4096,
      });
      expect(runs.stdout).toBe('');
    });

    const tracedLab = () => tracedHelloExecve(REPO_ROOT);

    it("gives two learners grading at once only their own events and their own program's trace lines", async () => {
      // Both programs see every execve on the machine, the other learner's too. Each prints in its
      // own format, so a line that reached the wrong run would show; the exact counts would break too.
      const { traced, printing } = await tracedLab();
      const outputs: string[][] = [[], []];
      const results = await Promise.all(
        ['A', 'B'].map((who, i) =>
          grade({
            lab: traced,
            files: { 'hello.bpf.c': printing(who) },
            sandbox: sandboxes[i]!,
            onOutput: (line) => outputs[i]!.push(line),
          }),
        ),
      );

      for (const [i, result] of results.entries()) {
        expect(result.message, `run ${'AB'[i]}`).toMatch(/^All 6 checks passed/);
      }
      const traceLines = (i: number) => outputs[i]!.filter((l) => l.includes('bpf_trace_printk:'));
      expect(traceLines(0).length).toBeGreaterThanOrEqual(5);
      expect(traceLines(1).length).toBeGreaterThanOrEqual(5);
      expect(traceLines(0).filter((l) => !l.includes('bpf_trace_printk: A pid'))).toEqual([]);
      expect(traceLines(1).filter((l) => !l.includes('bpf_trace_printk: B pid'))).toEqual([]);
    });

    it("builds the BPF objects on the host for a sandbox with a bpfBuilder (the vm driver's way), and grades the same", async () => {
      // A local sandbox as the vm driver's are: BPF objects from the host build jail, user-space
      // programs (here a skeleton loader, which includes the object's skeleton) built inside.
      const jail = hostBpfBuilder(hostToolsDir(REPO_ROOT), [REPO_ROOT]);
      const builtOnHost: string[] = [];
      const builder: BpfBuilder = {
        toolsDir: jail.toolsDir,
        build: (request) => {
          builtOnHost.push(...request.targets);
          return jail.build(request);
        },
      };
      const local = sandboxes[0]!;
      const vmLike = new Proxy(local, {
        get: (target, key) => {
          if (key === 'bpfBuilder') return builder;
          const value = Reflect.get(target, key, target);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      const loaderLab = await lab('skeleton-loader');
      const solved = await grade({
        lab: loaderLab,
        files: { 'loader.c': await source('skeleton-loader', 'solution', 'loader.c') },
        sandbox: vmLike,
      });
      expect(solved.message).toMatch(/^All \d+ checks passed/);

      const code = (await source('hello-execve', 'solution', 'hello.bpf.c')).replace('e->pid =', 'e->pidd =');
      const broken = { lab: await lab('hello-execve'), files: { 'hello.bpf.c': code } };
      const onHost = await grade({ ...broken, sandbox: vmLike });
      const inSandbox = await grade({ ...broken, sandbox: local });
      expect(onHost.gradable).toBe(true);
      expect(onHost.diagnostics).toEqual(inSandbox.diagnostics);
      expect(onHost.checks).toEqual(inSandbox.checks);
      expect(builtOnHost).toEqual(['execsnoop.bpf.o', 'hello.bpf.o']);
    });

    it('does not grade trace checks while another program holds trace_pipe, and says why', async () => {
      const { traced, printing } = await tracedLab();
      // Another reader (a learner's `cat` in a terminal, say) holds trace_pipe once the shared
      // grader has let go of it. tracefs may not be mounted yet (no grade has needed it), so the
      // test mounts its own for the holder then.
      await grader.close();
      let tracefs = await findTracefs();
      const mountedHere = tracefs === null;
      if (mountedHere) {
        tracefs = '/sys/kernel/tracing';
        await promisify(execFile)('mount', ['-t', 'tracefs', 'tracefs', tracefs]);
      }
      const holder = spawn('cat', [`${tracefs}/trace_pipe`], { stdio: 'ignore' });
      const fresh = new Grader();
      try {
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(holder.exitCode, 'the test reader could not open trace_pipe').toBeNull();
        const result = await fresh.grade({
          lab: traced,
          files: { 'hello.bpf.c': printing('C') },
          sandbox: sandboxes[0]!,
        });
        expect(result.gradable).toBe(false);
        expect(result.message).toContain('trace_pipe is being read by another program');
      } finally {
        holder.kill('SIGKILL');
        await fresh.close();
        if (mountedHere) await promisify(execFile)('umount', ['-l', tracefs!]);
      }
    });
  },
);
