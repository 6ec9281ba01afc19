/**
 * "Clean kernel side" on the local driver, where sandboxes share the host's kernel: the clean-up
 * removes everything BPF that one sandbox holds (a loader's programs, pins, XDP and tc hooks),
 * keeps its other processes and files, and cannot reach another sandbox's programs or the host's,
 * though all of them live in the same kernel.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cleanKernelSide } from '../kernel-clean.js';
import type { Sandbox } from '../types.js';
import { cannotRunLocalDriver, run, startTestDriver } from './itest-support.js';

const skip = cannotRunLocalDriver();
const opts = { timeoutMs: 30_000, maxOutputBytes: 256 * 1024 };

/** Kept alive by the sandbox's bpffs, its loopback's XDP hook and its tc hook. */
const HOOKED = `#include <linux/bpf.h>
#define SEC(name) __attribute__((section(name), used))
SEC("socket") int keep_all(struct __sk_buff *skb) { return -1; }
SEC("xdp") int pass_all(struct xdp_md *ctx) { return XDP_PASS; }
SEC("tc") int classify(struct __sk_buff *skb) { return 0; }
char LICENSE[] SEC("license") = "GPL";
`;

/** Kept alive by the process that attached it: the bpflab runner, left running. */
const TRACED = `#include <linux/bpf.h>
#define SEC(name) __attribute__((section(name), used))
SEC("tracepoint/syscalls/sys_enter_getppid") int on_getppid(void *ctx) { return 0; }
char LICENSE[] SEC("license") = "GPL";
`;

const HOST_PIN = '/sys/fs/bpf/bpflab-itest-kernel-clean';

async function hostSeesProgram(id: number): Promise<boolean> {
  return run('bpftool', ['prog', 'show', 'id', String(id)]).then(
    () => true,
    () => false,
  );
}

/** Waits out RCU: the kernel frees a program shortly after its last reference, not at once. */
async function gone(id: number): Promise<boolean> {
  for (let i = 0; i < 100 && (await hostSeesProgram(id)); i++) await sleep(20);
  return !(await hostSeesProgram(id));
}

function shell(sandbox: Sandbox) {
  return async (script: string) => {
    const result = await sandbox.exec(['sh', '-c', script], opts);
    expect(result.stderr, script).toBe('');
    expect(result.exitCode, script).toBe(0);
    return result.stdout;
  };
}

/** Loads, hooks and runs what a learner might leave behind; answers the program ids. */
async function leaveProgramsBehind(sandbox: Sandbox) {
  const sh = shell(sandbox);
  await sandbox.writeFiles([
    { path: 'hooked.c', content: HOOKED },
    { path: 'traced.c', content: TRACED },
  ]);
  const clang = 'clang -O2 -g -target bpf -I/usr/include/$(uname -m)-linux-gnu';
  await sh(`${clang} -c hooked.c -o hooked.o && ${clang} -c traced.c -o traced.o`);
  await sh('bpftool prog loadall hooked.o /sys/fs/bpf/lab');
  const idOf = async (name: string) =>
    (JSON.parse(await sh(`bpftool -j prog show pinned /sys/fs/bpf/lab/${name}`)) as { id: number }).id;
  const ids = {
    keep_all: await idOf('keep_all'),
    pass_all: await idOf('pass_all'),
    classify: await idOf('classify'),
  };
  await sh('ip link set dev lo xdpgeneric pinned /sys/fs/bpf/lab/pass_all');
  await sh('tc qdisc add dev lo clsact');
  await sh('tc filter add dev lo ingress bpf object-pinned /sys/fs/bpf/lab/classify direct-action');
  await sh('rm /sys/fs/bpf/lab/pass_all /sys/fs/bpf/lab/classify');
  // A loader that holds its program and link open, and a process that holds nothing BPF.
  await sh(
    'setsid bpflab-runner run traced.o --ignore-stdin --duration-ms 600000 >runner.out 2>&1 </dev/null & ' +
      'setsid sleep 600 >/dev/null 2>&1 </dev/null & ' +
      'for i in $(seq 100); do grep -q ready runner.out && exit 0; sleep 0.05; done; cat runner.out; exit 1',
  );
  // The runner's `loaded` line names its programs' ids (bpftool would list every sandbox's).
  const loaded = (await sh('cat runner.out'))
    .split('\n')
    .map((line) => (line.startsWith('{') ? JSON.parse(line) : null))
    .find((line) => line?.type === 'loaded') as { programs: { id: number }[] };
  const runnerIds = loaded.programs.map((p) => p.id);
  return { ...ids, runnerIds };
}

describe.skipIf(skip !== null)(`clean kernel side, local driver${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let test: Awaited<ReturnType<typeof startTestDriver>>;
  let hostProgram: number;
  beforeAll(async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    test = await startTestDriver({ BPFLAB_LOCAL_POOL: '0' });
    // A program of the host's own, pinned in the host's bpffs.
    const dir = await mkdtemp('/var/tmp/bpflab-clean-');
    await writeFile(`${dir}/hooked.c`, HOOKED);
    const include = `-I/usr/include/${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu`;
    await run('clang', ['-O2', '-target', 'bpf', include, '-c', `${dir}/hooked.c`, '-o', `${dir}/hooked.o`]);
    await mkdir(HOST_PIN, { recursive: true });
    await run('bpftool', ['prog', 'loadall', `${dir}/hooked.o`, HOST_PIN]);
    const pinned = await run('bpftool', ['-j', 'prog', 'show', 'pinned', `${HOST_PIN}/keep_all`]);
    hostProgram = (JSON.parse(pinned.stdout) as { id: number }).id;
    await rm(dir, { recursive: true, force: true });
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await test?.close();
    await rm(HOST_PIN, { recursive: true, force: true });
  });

  it("removes one sandbox's programs, pins and hooks, and nothing of another sandbox or the host", async () => {
    const [mine, theirs] = await Promise.all([
      test.driver.create({ sessionId: 'clean-mine' }),
      test.driver.create({ sessionId: 'clean-theirs' }),
    ]);
    const [my, their] = await Promise.all([leaveProgramsBehind(mine), leaveProgramsBehind(theirs)]);

    const report = await cleanKernelSide(mine);

    expect(report.problems).toEqual([]);
    const texts = report.removed.map((r) => r.text);
    expect(texts).toContainEqual(
      expect.stringMatching(/^Stopped process \d+ \(bpflab-runner\), which held 1 program.* open$/),
    );
    expect(texts).toContain('Unpinned /sys/fs/bpf/lab/keep_all (a program)');
    expect(texts).toContain(`Took program id ${my.pass_all} off the generic XDP hook of lo`);
    expect(texts).toContain('Deleted the clsact qdisc of lo with its tc program classify');
    expect(report.removed.every((r) => r.kind !== 'cgroup')).toBe(true);

    for (const id of [my.keep_all, my.pass_all, my.classify, ...my.runnerIds]) {
      expect(await gone(id), `program ${id} outlived the clean-up`).toBe(true);
    }
    const sh = shell(mine);
    expect(await sh('bpftool net show dev lo')).not.toMatch(/id \d+/);
    expect(await sh('tc qdisc show dev lo')).not.toContain('clsact');
    expect(await sh('find /sys/fs/bpf -mindepth 1 ! -name "*.debug"')).toBe('');
    // What holds nothing BPF is left alone: the other process and the learner's files.
    expect(await sh('pgrep -x sleep')).not.toBe('');
    expect(await sh('ls hooked.c traced.c')).toContain('hooked.c');

    // The other sandbox and the host keep everything.
    for (const id of [their.keep_all, their.pass_all, their.classify, ...their.runnerIds, hostProgram]) {
      expect(await hostSeesProgram(id), `program ${id} was removed from outside its sandbox`).toBe(true);
    }
    expect(await shell(theirs)('bpftool net show dev lo')).toContain(`id ${their.pass_all}`);

    // A second clean-up finds nothing left.
    expect(await cleanKernelSide(mine)).toEqual({ removed: [], problems: [] });
  });
});
