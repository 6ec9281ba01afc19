/**
 * bpflab-runner on the real kernel: each attach kind, ring buffer events and map dumps decoded
 * through BTF, verifier rejections with line info, every stop path, and nothing left loaded.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTools,
  buildWorkload,
  compile,
  ensureTracefs,
  kernelPrograms,
  programsLeftBehind,
  RUNNER,
  type RunnerLine,
  runDir,
  runToEnd,
  startRunner,
  TESTDATA,
  toolchainUnavailable,
  workload,
} from './harness.js';

const run = promisify(execFile);
const unavailable = toolchainUnavailable();
const hasUnshare = existsSync('/usr/bin/unshare');
const SOURCES = [
  'exec_ringbuf',
  'null_check',
  'syscall_counts',
  'tc_count',
  'xdp_count',
  'uprobe_count',
  'perf_count',
  'printk',
  'kprobe_count',
  'fentry_read',
  'rodata_filter',
  'uprobe_bare',
  'iter_tasks',
  'usdt_count',
];
const hasKprobes =
  existsSync('/sys/bus/event_source/devices/kprobe') || existsSync('/sys/kernel/tracing/kprobe_events');

/** CPUs the kernel may ever bring up: the length of every per-CPU value. */
async function possibleCpus(): Promise<number> {
  const ranges = (await readFile('/sys/devices/system/cpu/possible', 'utf8')).trim().split(',');
  return ranges.reduce((n, r) => {
    const [lo, hi = lo] = r.split('-').map(Number);
    return n + hi! - lo! + 1;
  }, 0);
}

describe.skipIf(unavailable !== null)(`bpflab-runner (${unavailable ?? 'available'})`, () => {
  let lab: Awaited<ReturnType<typeof runDir>>;
  let undoTracefs: () => Promise<void>;
  let before: Map<number, string>;
  let lastRun: RunnerLine[] = [];

  beforeAll(async () => {
    await buildTools();
    undoTracefs = await ensureTracefs();
    lab = await runDir(SOURCES.map((s) => `${s}.bpf.c`));
    for (const source of SOURCES) {
      const built = await compile(lab.dir, `${source}.bpf.o`);
      if (built.exitCode !== 0) throw new Error(`compiling ${source}.bpf.c failed:\n${built.stderr}`);
    }
  }, 180_000);

  afterAll(async () => {
    await lab?.remove();
    await undoTracefs?.();
  });

  // Every run, whatever its outcome, must leave no program of its own in the kernel.
  afterEach(async () => {
    expect(await programsLeftBehind(before, lastRun)).toEqual([]);
  });

  async function runner(args: string[], opts: Omit<Parameters<typeof runToEnd>[1], 'cwd'> = {}) {
    before = await kernelPrograms();
    const result = await runToEnd(args, { cwd: lab.dir, ...opts });
    lastRun = result.lines;
    return result;
  }

  /** The first line matching, failing the test with every line when there is none. */
  function lineWhere(lines: RunnerLine[], match: (l: RunnerLine) => boolean): RunnerLine {
    const found = lines.find(match);
    if (!found) throw new Error(`no such runner line in:\n${lines.map((l) => JSON.stringify(l)).join('\n')}`);
    return found;
  }
  const mapDump = (lines: RunnerLine[], name: string) =>
    lineWhere(lines, (l) => l.type === 'map' && l.name === name);
  const lastLine = (lines: RunnerLine[]) => lineWhere([...lines].reverse(), () => true);

  it('probe reports every kernel feature, with a reason for each missing one', async () => {
    before = await kernelPrograms();
    lastRun = [];
    const { stdout } = await run(RUNNER, ['probe']);
    const probe = JSON.parse(stdout);
    const features = [
      'btf',
      'kprobe',
      'fentry',
      'tracepoint',
      'raw_tracepoint',
      'uprobe',
      'tc',
      'xdp',
      'ringbuf',
      'perf_event',
      'hardware_pmu',
    ];
    expect(Object.keys(probe.available).sort()).toEqual([...features].sort());
    const missing = features.filter((f) => !probe.available[f]);
    expect(Object.keys(probe.reasons).sort()).toEqual(missing.sort());
    // Mounted in beforeAll, and present on every kernel bpflab supports.
    expect(probe.available).toMatchObject({ btf: true, tracepoint: true, ringbuf: true });
    expect(probe.kernelRelease).toBe((await run('uname', ['-r'])).stdout.trim());
  });

  it('streams ring buffer records decoded by field name while execve happens', async () => {
    // A uniquely named program, so this run's event is told apart from the rest of the machine's.
    const name = `blt-${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
    const binary = join(lab.dir, name);
    await copyFile('/bin/true', binary);
    await run('chmod', ['+x', binary]);
    const { exitCode, lines } = await runner(['run', 'exec_ringbuf.bpf.o', '--event-type', 'exec_event'], {
      afterReady: async (r) => {
        await run(binary);
        await r.waitFor((l) => l.type === 'event' && l.data.filename === binary);
      },
    });
    expect(exitCode).toBe(0);
    const event = lineWhere(lines, (l) => l.type === 'event' && l.data.filename === binary);
    expect(event.map).toBe('events');
    expect(event.data).toEqual({ pid: expect.any(Number), comm: expect.any(String), filename: binary });
    const bss = mapDump(lines, '.bss');
    expect(bss.entries[0].value.exec_count).toBeGreaterThanOrEqual(1);
    expect(lines.map((l) => l.type)).toEqual(
      expect.arrayContaining(['verifier', 'loaded', 'attached', 'ready', 'event', 'map']),
    );
  });

  describe('a libbpf-style exec snoop (struct event in a header, used only through bpf_ringbuf_reserve)', () => {
    /** A uniquely named copy of /bin/true in the run directory, so this run's exec is told apart. */
    async function uniqueProgram(): Promise<string> {
      const binary = join(lab.dir, `bls-${process.pid.toString(36)}${Date.now().toString(36).slice(-5)}`);
      await copyFile('/bin/true', binary);
      await run('chmod', ['+x', binary]);
      return binary;
    }

    /** Builds execsnoop.bpf.o with the given make variables, under its own name. */
    async function buildSnoop(name: string, vars: string[]): Promise<string> {
      await copyFile(join(TESTDATA, 'execsnoop.h'), join(lab.dir, 'execsnoop.h'));
      await copyFile(join(TESTDATA, 'execsnoop.bpf.c'), join(lab.dir, `${name}.bpf.c`));
      const built = await compile(lab.dir, `${name}.bpf.o`, { vars });
      expect(built.stderr).toBe('');
      return `${name}.bpf.o`;
    }

    it('is not in BTF without EVENT_TYPE: the run goes on, with a warning and the records in hex', async () => {
      const object = await buildSnoop('execsnoop_plain', []);
      const binary = await uniqueProgram();
      const inHex = Buffer.from(binary).toString('hex');
      const { exitCode, lines } = await runner(['run', object, '--event-type', 'event'], {
        afterReady: async (r) => {
          await run(binary);
          await r.waitFor((l) => l.type === 'event' && String(l.data).includes(inHex));
        },
      });
      expect(exitCode).toBe(0);
      expect(lineWhere(lines, (l) => l.type === 'warning')).toEqual({
        type: 'warning',
        stage: 'run',
        message: expect.stringMatching(
          /^--event-type: no struct 'event' in the object's BTF, so ring buffer records are shown as hex/,
        ),
      });
      expect(lineWhere(lines, (l) => l.type === 'event' && String(l.data).includes(inHex)).data).toMatch(
        /^[0-9a-f]+$/,
      );
    });

    it('is decoded by field name when built with EVENT_TYPE=event, and adds no map', async () => {
      const object = await buildSnoop('execsnoop_kept', ['EVENT_TYPE=event']);
      const binary = await uniqueProgram();
      const { exitCode, lines } = await runner(['run', object, '--event-type', 'event'], {
        afterReady: async (r) => {
          await run(binary);
          await r.waitFor((l) => l.type === 'event' && l.data.filename === binary);
        },
      });
      expect(exitCode).toBe(0);
      expect(lines.some((l) => l.type === 'warning')).toBe(false);
      const event = lineWhere(lines, (l) => l.type === 'event' && l.data.filename === binary);
      expect(event.data).toEqual({
        pid: expect.any(Number),
        ppid: process.pid,
        uid: 0,
        comm: binary.split('/').at(-1),
        filename: binary,
        exit_event: false,
      });
      expect(lineWhere(lines, (l) => l.type === 'loaded').maps.map((m: RunnerLine) => m.name)).toEqual([
        'rb',
      ]);
    });
  });

  describe('--rodata sets const volatile globals before load, as a skeleton does', () => {
    /** getppid() calls from this process: Node's process.ppid makes the syscall on each read. */
    const callGetppid = (times: number) => {
      for (let i = 0; i < times; i++) void process.ppid;
    };

    it('sets integers, bools, enums and char arrays, and the program filters on them', async () => {
      const { exitCode, lines } = await runner(
        [
          'run',
          'rodata_filter.bpf.o',
          ...[
            'my_pid',
            String(process.pid),
            'min_duration_ns',
            '0x10',
            'enabled',
            'true',
            'label',
            'mine',
            'verbosity',
            '1',
          ].flatMap((v, i, all) => (i % 2 === 0 ? ['--rodata', `${v}=${all[i + 1]}`] : [])),
        ],
        { afterReady: async () => callGetppid(5) },
      );
      expect(exitCode).toBe(0);
      expect(mapDump(lines, '.rodata').entries[0].value).toEqual({
        my_pid: process.pid,
        min_duration_ns: 16,
        enabled: true,
        label: 'mine',
        verbosity: 1,
      });
      expect(mapDump(lines, '.bss').entries[0].value.calls).toBeGreaterThanOrEqual(5);

      const other = await runner(['run', 'rodata_filter.bpf.o', '--rodata', 'my_pid=2147483000'], {
        afterReady: async () => callGetppid(5),
      });
      expect(other.exitCode).toBe(0);
      expect(mapDump(other.lines, '.bss').entries[0].value.calls).toBe(0);
    });

    it.each([
      ['nope=1', "no `const volatile` global 'nope' in the object's .rodata"],
      ['my_pid=4294967296', "'my_pid' is a 4-byte signed integer, which cannot hold '4294967296'"],
      ['enabled=2', "'enabled' is a 1-byte bool, which cannot hold '2'"],
      ['label=too-long', "'label' holds at most 7 characters, and 'too-long' has 8"],
      ['my_pid', "--rodata takes NAME=VALUE, not 'my_pid'"],
    ])('refuses %s before loading anything, naming the variable', async (assignment, message) => {
      const { exitCode, lines } = await runner(['run', 'rodata_filter.bpf.o', '--rodata', assignment]);
      expect(exitCode).toBe(65);
      expect(lastLine(lines)).toMatchObject({ type: 'error', stage: 'open' });
      expect(lastLine(lines).message).toContain(message);
      expect(lines.some((l) => l.type === 'loaded')).toBe(false);
    });
  });

  it('rejects a missing NULL check with the verifier log and its source line', async () => {
    const { exitCode, lines } = await runner(['run', 'null_check.bpf.o']);
    expect(exitCode).toBe(66);
    const verifier = lineWhere(lines, (l) => l.type === 'verifier');
    expect(verifier).toMatchObject({ program: 'count_execve', accepted: false });
    expect(verifier.log).toContain('@ null_check.bpf.c:18');
    expect(verifier.log).toMatch(/invalid mem access 'map_value_or_null'/);
    expect(lastLine(lines)).toMatchObject({ type: 'error', stage: 'load', program: 'count_execve' });
    expect(lines.some((l) => l.type === 'ready')).toBe(false);
  });

  it('dumps a hash map decoded by field names, and per-CPU values per CPU', async () => {
    const dir = lab.dir;
    const binary = await buildWorkload(dir);
    let workloadPid = 0;
    const { exitCode, lines } = await runner(['run', 'syscall_counts.bpf.o'], {
      afterReady: async () => {
        workloadPid = (await workload(binary, 'getppid', '7')).pid;
      },
    });
    expect(exitCode).toBe(0);
    const calls = mapDump(lines, 'calls');
    expect(calls.map_type).toBe('hash');
    const mine = calls.entries.find((e: RunnerLine) => e.key.pid === workloadPid);
    expect(mine).toEqual({
      key: { pid: workloadPid, comm: 'bpflab-workload' },
      value: { calls: 7, last_ret_hint: -1, flags: [1, 2, 3, 4] },
    });
    const total = mapDump(lines, 'total');
    const perCpu: number[] = total.entries[0].value;
    expect(perCpu).toHaveLength(await possibleCpus());
    expect(perCpu.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(7);
  });

  it.skipIf(!hasUnshare)('counts packets with tc on lo of a fresh network namespace', async () => {
    const { exitCode, lines } = await runner(['run', 'tc_count.bpf.o', '--ifname', 'lo'], {
      wrap: ['unshare', '-n', 'sh', '-c', 'ip link set lo up && exec "$0" "$@"'],
      afterReady: async (r) => {
        const send = 'for i in 1 2 3 4 5; do echo bpflab > /dev/udp/127.0.0.1/9; done';
        await run('nsenter', ['-t', String(r.child.pid), '-n', 'bash', '-c', send]);
      },
    });
    expect(exitCode).toBe(0);
    expect(lines.filter((l) => l.type === 'attached').map((l) => l.target)).toEqual([
      'lo/ingress',
      'lo/egress',
    ]);
    const [ingress, egress] = mapDump(lines, 'traffic').entries.map((e: RunnerLine) => e.value);
    // Every datagram sent on lo is also received on lo (plus the ICMP port-unreachable replies).
    expect(ingress.packets).toBeGreaterThanOrEqual(5);
    expect(ingress).toEqual(egress);
  });

  it.skipIf(!hasUnshare)('attaches XDP to lo through a link that detaches on exit', async () => {
    const { exitCode, lines } = await runner(['run', 'xdp_count.bpf.o', '--ifname', 'lo'], {
      wrap: ['unshare', '-n', 'sh', '-c', 'ip link set lo up && exec "$0" "$@"'],
      afterReady: async (r) => {
        await run('nsenter', [
          '-t',
          String(r.child.pid),
          '-n',
          'bash',
          '-c',
          'echo x > /dev/udp/127.0.0.1/9',
        ]);
      },
    });
    expect(exitCode).toBe(0);
    expect(lineWhere(lines, (l) => l.type === 'attached').target).toMatch(/^lo \((generic|native)\)$/);
    expect(mapDump(lines, '.bss').entries[0].value.packets).toBeGreaterThanOrEqual(1);
  });

  it('counts uprobe and uretprobe hits on a named binary', async () => {
    const binary = await buildWorkload(lab.dir);
    const { exitCode, lines } = await runner(['run', 'uprobe_count.bpf.o', '--uprobe-binary', binary], {
      afterReady: async () => {
        expect((await workload(binary, 'add', '7')).stdout).toBe('21\n');
      },
    });
    expect(exitCode).toBe(0);
    expect(mapDump(lines, '.bss').entries[0].value).toEqual({ entries: 7, returns: 7, last_result: 21 });
  });

  it('attaches bare SEC("uprobe") and SEC("uretprobe") to --uprobe-function in --uprobe-binary', async () => {
    const binary = await buildWorkload(lab.dir);
    const { exitCode, lines } = await runner(
      ['run', 'uprobe_bare.bpf.o', '--uprobe-binary', binary, '--uprobe-function', 'add_numbers'],
      {
        afterReady: async () => {
          expect((await workload(binary, 'add', '4')).stdout).toBe('6\n');
        },
      },
    );
    expect(exitCode).toBe(0);
    expect(lines.filter((l) => l.type === 'attached').map((l) => l.target)).toEqual([
      `${binary}:add_numbers`,
      `${binary}:add_numbers`,
    ]);
    expect(mapDump(lines, '.bss').entries[0].value).toEqual({ entries: 4, last_result: 6 });

    const unnamed = await runner(['run', 'uprobe_bare.bpf.o', '--uprobe-binary', binary]);
    expect(unnamed.exitCode).toBe(67);
    expect(lastLine(unnamed.lines).message).toContain(
      'a bare SEC("uprobe") or SEC("uretprobe") needs --uprobe-function',
    );
  });

  it('attaches a bare SEC("usdt") to the --usdt probe in --uprobe-binary, and dumps none of libbpf\'s USDT maps', async () => {
    const binary = await buildWorkload(lab.dir);
    const { exitCode, lines } = await runner(
      ['run', 'usdt_count.bpf.o', '--uprobe-binary', binary, '--usdt', 'bpflab:tick'],
      { afterReady: async () => void (await workload(binary, 'tick', '3')) },
    );
    expect(exitCode).toBe(0);
    expect(lineWhere(lines, (l) => l.type === 'attached').target).toBe(`${binary}:bpflab:tick`);
    expect(lines.filter((l) => l.type === 'map').map((l) => l.name)).toEqual(['.bss']);
    expect(mapDump(lines, '.bss').entries[0].value).toEqual({ ticks: 3 });

    const unnamed = await runner(['run', 'usdt_count.bpf.o', '--uprobe-binary', binary]);
    expect(unnamed.exitCode).toBe(67);
    expect(lastLine(unnamed.lines).message).toContain('a bare SEC("usdt") needs --usdt PROVIDER:NAME');
  });

  it('reads a BPF iterator when the run stops, one iter line per line of its output', async () => {
    // A sleeping process with a name of this run's (its comm: the file's name), for the iterator
    // to find among all tasks.
    const name = `bli-${process.pid.toString(36)}`.slice(0, 15);
    await copyFile('/bin/sleep', join(lab.dir, name));
    await run('chmod', ['+x', join(lab.dir, name)]);
    const sleeper = spawn(join(lab.dir, name), ['30']);
    try {
      await new Promise((resolve) => sleeper.once('spawn', resolve));
      const { exitCode, lines } = await runner([
        'run',
        'iter_tasks.bpf.o',
        '--rodata',
        `comm_prefix=${name}`,
      ]);
      expect(exitCode).toBe(0);
      expect(lineWhere(lines, (l) => l.type === 'attached')).toMatchObject({
        section: 'iter/task',
        target: 'task',
      });
      expect(lines.filter((l) => l.type === 'iter')).toEqual([
        { type: 'iter', program: 'list_tasks', line: `task ${sleeper.pid} ${name}` },
      ]);
    } finally {
      sleeper.kill('SIGKILL');
    }
  });

  it('samples a perf event on every CPU, falling back to cpu-clock', async () => {
    const { exitCode, lines } = await runner(
      [
        'run',
        'perf_count.bpf.o',
        '--perf-event',
        'cycles,cpu-clock',
        '--perf-freq',
        '1000',
        '--duration-ms',
        '300',
      ],
      { afterReady: (r) => r.exited.then(() => undefined) },
    );
    expect(exitCode).toBe(0);
    const attached = lineWhere(lines, (l) => l.type === 'attached');
    expect(['cycles', 'cpu-clock']).toContain(attached.event);
    const samples: number[] = mapDump(lines, 'samples').entries[0].value;
    expect(samples.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });

  it('streams trace_pipe lines with --trace-pipe', async () => {
    const binary = await buildWorkload(lab.dir);
    const { exitCode, lines } = await runner(['run', 'printk.bpf.o', '--trace-pipe'], {
      afterReady: async (r) => {
        const { pid } = await workload(binary, 'getppid', '1');
        await r.waitFor((l) => l.type === 'trace' && l.line.includes(`bpflab hello from ${pid}`));
      },
    });
    expect(lines.filter((l) => l.type === 'error')).toEqual([]);
    expect(exitCode).toBe(0);
    expect(lines.some((l) => l.type === 'trace')).toBe(true);
  });

  it('reports an attach failure with its own exit code and detaches what was attached', async () => {
    // tc needs an interface; without --ifname the second program cannot attach.
    const { exitCode, lines } = await runner(['run', 'tc_count.bpf.o']);
    expect(exitCode).toBe(67);
    expect(lastLine(lines)).toMatchObject({ type: 'error', stage: 'attach', program: 'count_ingress' });
    expect(lastLine(lines).message).toMatch(/needs --ifname/);
  });

  /** `bpflab-runner probe`'s reason for a missing feature, or undefined when the kernel has it. */
  async function probeReason(feature: string): Promise<string | undefined> {
    return JSON.parse((await run(RUNNER, ['probe'])).stdout).reasons[feature];
  }

  it.skipIf(hasKprobes)("explains a kernel without kprobes with the feature probe's reason", async () => {
    const reason = await probeReason('kprobe');
    const { exitCode, lines } = await runner(['run', 'kprobe_count.bpf.o']);
    expect(exitCode).toBe(67);
    expect(lastLine(lines)).toMatchObject({ type: 'error', stage: 'attach', program: 'count_read' });
    expect(lastLine(lines).message).toBe(
      `program 'count_read' (SEC("kprobe/vfs_read")): attach failed: this kernel cannot run kprobe programs: ${reason}`,
    );
    expect(reason).toMatch(/CONFIG_KPROBE_EVENTS=y/);
  });

  it("explains a kernel without fentry with the feature probe's reason, not libbpf's ulimit hint", async () => {
    const reason = await probeReason('fentry');
    const { exitCode, lines } = await runner(['run', 'fentry_read.bpf.o']);
    if (reason === undefined) {
      expect(exitCode).toBe(0); // this kernel has trampolines: nothing to explain
      return;
    }
    expect(exitCode).toBe(66);
    expect(lastLine(lines)).toMatchObject({ type: 'error', stage: 'load', program: 'count_read_entry' });
    expect(lastLine(lines).message).toBe(
      `loading program 'count_read_entry' (SEC("fentry/vfs_read")) failed: this kernel cannot run fentry programs: ${reason}`,
    );
    expect(lastLine(lines).message).not.toMatch(/ulimit/);
  });

  it.each([
    ['SIGTERM', (r: ReturnType<typeof startRunner>) => r.child.kill('SIGTERM')],
    ['SIGINT', (r: ReturnType<typeof startRunner>) => r.child.kill('SIGINT')],
    ['stdin EOF', (r: ReturnType<typeof startRunner>) => r.endInput()],
  ])('stops on %s, dumps maps and leaves nothing loaded', async (_how, stop) => {
    before = await kernelPrograms();
    const r = startRunner(['run', 'syscall_counts.bpf.o'], { cwd: lab.dir });
    await r.waitFor((l) => l.type === 'ready');
    stop(r);
    const { exitCode } = await r.exited;
    lastRun = r.lines;
    expect(exitCode).toBe(0);
    expect(r.lines.filter((l) => l.type === 'map').map((l) => l.name)).toEqual(
      expect.arrayContaining(['calls', 'total']),
    );
  });
});
