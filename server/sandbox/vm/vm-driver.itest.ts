/**
 * The vm driver against real QEMU, with the real guest image (lima/vm-image.sh; `make test` builds
 * it first): one VM for the whole file. It is a machine of its own — another kernel, root inside,
 * nothing of the host reachable — and it keeps the sandbox contract: exec with timeout and output
 * cap, streaming spawn, files confined to the workspace, a terminal, kernel features, dispose
 * that leaves no QEMU and no files, and leftovers of a crashed server reclaimed at start. An object
 * built against the host's kernel types loads there with libbpf's CO-RE relocations to the guest's.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { release, tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../../bpf/harness.js';
import { loadConfig } from '../../config.js';
import { coreReportOf } from '../../grader/core-report.js';
import { programView } from '../../grader/program-view.js';
import { loadLab, repoLabPaths } from '../../labs/loader.js';
import { cleanKernelSide } from '../kernel-clean.js';
import { TOOLBOX_CHECK } from '../toolbox.js';
import type { Sandbox } from '../types.js';
import { VmDriver } from './vm-driver.js';

const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
const BOOT_MS = 15 * 60_000;
const opts = { timeoutMs: 60_000, maxOutputBytes: 256 * 1024 };
const skip = process.getuid?.() !== 0 ? 'needs root (the guest image is built with mmdebstrap)' : null;

describe.skipIf(skip !== null)(`vm driver${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let dataDir: string;
  let driver: VmDriver;
  let vm: Sandbox;

  const sh = async (script: string) => {
    const result = await vm.exec(['sh', '-c', script], opts);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    return result.stdout.trim();
  };
  const qemuProcesses = async () => {
    const found: number[] = [];
    for (const pid of (await readdir('/proc')).filter((p) => /^\d+$/.test(p))) {
      const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
      if (cmdline.startsWith('qemu-system') && cmdline.includes(dataDir)) found.push(Number(pid));
    }
    return found;
  };

  beforeAll(async () => {
    dataDir = await mkdtemp('/var/tmp/bpflab-vm-itest-');
    const config = loadConfig({ BPFLAB_DATA_DIR: dataDir, BPFLAB_VM_POOL: '0' });
    driver = await VmDriver.start(config, REPO_ROOT);
    vm = await driver.create({ sessionId: 'learner-a' });
  }, BOOT_MS);
  afterAll(async () => {
    await driver?.shutdown();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('is a Debian 12 machine with its own kernel, where commands run as root', async () => {
    expect(vm.driver).toBe('vm');
    expect(await sh('. /etc/os-release; echo $ID $VERSION_ID')).toBe('debian 12');
    expect(await sh('uname -r')).not.toBe(release());
    expect(await sh('id -u; hostname')).toBe(`0\n${vm.name}`);
  });

  it('offers the toolbox labs count on, and nc reaches socat over UDP', async () => {
    expect(await sh(TOOLBOX_CHECK)).toBe('udp hello from nc');
  });

  it('runs commands with the sandbox environment only', async () => {
    process.env.BPFLAB_SECRET_PROBE = 'never-in-a-vm';
    const env = await sh('env');
    delete process.env.BPFLAB_SECRET_PROBE;
    expect(env).toContain(`BPFLAB_SANDBOX=${vm.name}`);
    expect(env).toContain('HOME=/root');
    expect(env).toMatch(/^PATH=\/opt\/bpflab\/bin:/m);
    expect(env).not.toContain('never-in-a-vm');
  });

  it('cuts a command at its timeout and its output at the cap, and streams spawn lines', async () => {
    const slow = await vm.exec(['sleep', '600'], { ...opts, timeoutMs: 500 });
    expect(slow.timedOut).toBe(true);
    const loud = await vm.exec(['sh', '-c', 'head -c 100000 /dev/zero | tr "\\0" x'], {
      ...opts,
      maxOutputBytes: 1000,
    });
    expect(loud).toMatchObject({ truncated: true, exitCode: 0 });
    expect(loud.stdout.length).toBeLessThanOrEqual(1000);

    const lines: string[] = [];
    const counting = vm.spawn(['sh', '-c', 'for i in 1 2 3; do echo line $i; done'], opts);
    counting.onLine((line) => lines.push(line));
    expect((await counting.exited).exitCode).toBe(0);
    expect(lines).toEqual(['line 1', 'line 2', 'line 3']);
  });

  it('moves files in and out of the workspace, byte for byte, and refuses paths out of it', async () => {
    const binary = Buffer.from([0, 1, 255, 10, 13, 39, 34, 92]);
    await vm.writeFile('lab/blob', binary);
    expect(await vm.readFile('lab/blob')).toEqual(binary);
    expect(await sh('cd /root/lab && od -An -tu1 blob | tr -s " "')).toBe('0 1 255 10 13 39 34 92');
    await sh('ln -sf /etc/shadow /root/escape');
    await expect(vm.readFile('escape')).rejects.toThrow(/not inside your workspace/);
    await expect(vm.writeFile('escape', 'x')).rejects.toThrow(/not inside your workspace/);
    await expect(vm.readFile('../etc/passwd')).rejects.toThrow(/not inside your workspace/);
    await expect(vm.readFile('missing.c')).rejects.toThrow(/no file "missing.c"/);
  });

  it('opens a login shell in a pseudo-terminal', async () => {
    const shell = vm.openTerminal({ cols: 80, rows: 24 });
    let screen = '';
    shell.onData((data) => {
      screen += data;
    });
    shell.write('echo "in=$BPFLAB_SANDBOX tty=$(tty)"; exit\r');
    await new Promise<void>((resolve) => shell.onExit(() => resolve()));
    expect(screen).toMatch(new RegExp(`in=${vm.name} tty=/dev/pts/\\d+`));
  });

  it('reports the guest kernel: kprobes, fentry, headers and BCC, which this course needs it for', async () => {
    const features = await vm.features();
    expect(features.kernelRelease).toBe(await sh('uname -r'));
    for (const feature of [
      'btf',
      'kprobe',
      'fentry',
      'tracepoint',
      'uprobe',
      'ringbuf',
      'kernel_headers',
      'bcc',
    ] as const) {
      expect({ feature, available: features.available[feature] }).toEqual({ feature, available: true });
    }
  });

  it(
    "cleans its kernel side: a loader, pins, XDP and cgroup hooks go, init's own programs stay",
    async () => {
      await vm.writeFile(
        'hooks.c',
        [
          '#include <linux/bpf.h>',
          '#define SEC(name) __attribute__((section(name), used))',
          'SEC("xdp") int pass_all(struct xdp_md *ctx) { return XDP_PASS; }',
          'SEC("cgroup_skb/egress") int allow_all(struct __sk_buff *skb) { return 1; }',
          'char LICENSE[] SEC("license") = "GPL";',
          '',
        ].join('\n'),
      );
      const systemPrograms = await sh("bpftool cgroup tree | awk '$1 ~ /^[0-9]+$/ { print $1 }' | sort");
      await sh(
        'clang -O2 -target bpf -I/usr/include/$(uname -m)-linux-gnu -c hooks.c -o hooks.o && ' +
          'bpftool prog loadall hooks.o /sys/fs/bpf/lab && mkdir -p /sys/fs/cgroup/lab && ' +
          'bpftool cgroup attach /sys/fs/cgroup/lab egress pinned /sys/fs/bpf/lab/allow_all && ' +
          'ip link set dev lo xdpgeneric pinned /sys/fs/bpf/lab/pass_all && rm /sys/fs/bpf/lab/allow_all',
      );

      const report = await cleanKernelSide(vm);

      expect(report.problems).toEqual([]);
      const texts = report.removed.map((r) => r.text);
      expect(texts).toContain('Unpinned /sys/fs/bpf/lab/pass_all (a program)');
      expect(texts).toContainEqual(
        expect.stringMatching(/^Took program pass_all \(id \d+\) off the generic XDP hook of lo$/),
      );
      expect(texts).toContainEqual(
        expect.stringMatching(
          /^Detached program allow_all \(id \d+, cgroup_inet_egress\) from \/sys\/fs\/cgroup\/lab$/,
        ),
      );
      expect(await sh('bpftool net show dev lo')).not.toMatch(/id \d+/);
      expect(await sh("bpftool cgroup tree | awk '$1 ~ /^[0-9]+$/ { print $1 }' | sort")).toBe(
        systemPrograms,
      );
      // The machine still answers: the clean-up stopped nothing it runs on.
      expect(await sh('echo alive')).toBe('alive');
    },
    5 * 60_000,
  );

  it('relocates a program built against the host kernel to the guest kernel (CO-RE), and the report says so', async () => {
    // Built with the host's vmlinux.h: the object holds the host's task_struct offsets.
    const dir = await mkdtemp(path.join(tmpdir(), 'bpflab-core-vm-'));
    await copyFile(
      path.join(REPO_ROOT, 'server/grader/fixtures/core/core-applied.bpf.c'),
      path.join(dir, 'core.bpf.c'),
    );
    expect((await compile(dir, 'core.bpf.o')).stderr).toBe('');
    await vm.writeFile('core.bpf.o', await readFile(path.join(dir, 'core.bpf.o')));
    await rm(dir, { recursive: true, force: true });
    // bpftool's line for task_struct.tgid, the same command on each kernel.
    const tgidLine = `bpftool btf dump file /sys/kernel/btf/vmlinux | grep -A400 "STRUCT 'task_struct' " | grep -m1 "'tgid'"`;
    const bytes = (line: string) => Number(/bits_offset=(\d+)/.exec(line)?.[1]) / 8;
    const hostTgid = bytes((await promisify(execFile)('sh', ['-c', tgidLine])).stdout);
    const guestTgid = bytes(await sh(tgidLine));

    const run = await vm.exec(['/opt/bpflab/bin/bpflab-runner', 'run', 'core.bpf.o'], opts);
    expect(run.exitCode).toBe(0);
    const core = run.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .find((l) => l.type === 'core');
    const tgid = coreReportOf(core.lines)?.relocations.find((r) => r.access === 'struct task_struct.tgid');
    expect(guestTgid).not.toBe(hostTgid);
    expect(tgid).toMatchObject({ status: 'applied', objectValue: hostTgid, kernelValue: guestTgid });
    expect(tgid?.explanation).toBe(
      `At byte ${guestTgid} of \`struct task_struct\` on this kernel (the object has ${hostTgid}).`,
    );
  });

  it('shows the program as the guest kernel sees it: calls named, JIT code by source line', async () => {
    const loaded = await loadLab('hello-execve', repoLabPaths(REPO_ROOT));
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    const solution = await readFile(path.join(REPO_ROOT, 'labs/hello-execve/solution/hello.bpf.c'), 'utf8');
    const view = await programView({ lab: loaded.lab, files: { 'hello.bpf.c': solution }, sandbox: vm });
    if (!view.ok) throw new Error(`program view failed: ${view.error}`);
    const [program] = view.programs;
    const reserve = solution.split('\n').findIndex((l) => l.includes('bpf_ringbuf_reserve(')) + 1;
    // Root in the guest may see call addresses and the JIT image, which a local sandbox may not.
    expect(program?.notes).toEqual([]);
    const calls = program!.xlated.filter((l) => l.text.startsWith('call ')).map((l) => l.text);
    expect(calls).toContain('call bpf_get_current_pid_tgid');
    expect(program?.jitUnavailable).toBeUndefined();
    expect(program?.jited?.some((l) => l.line === reserve && l.file === 'hello.bpf.c')).toBe(true);
  });

  it('cannot reach the host: no files, a read-only toolchain, no network beyond itself', async () => {
    expect(await sh(`test -e ${REPO_ROOT}/package.json && echo visible || echo hidden`)).toBe('hidden');
    expect(await sh(`test -e ${dataDir} && echo visible || echo hidden`)).toBe('hidden');
    expect(await sh('touch /opt/bpflab/x 2>/dev/null && echo wrote || echo refused')).toBe('refused');
    // QEMU's user network gateway and DNS are the host; restrict=on drops everything sent there.
    for (const target of ['10.0.2.2/22', '10.0.2.2/3000', '10.0.2.3/53', '1.1.1.1/80']) {
      expect(
        await sh(`timeout 5 bash -c 'echo > /dev/tcp/${target}' 2>/dev/null && echo open || echo closed`),
      ).toBe('closed');
    }
  });

  it('is reached only through a forward bound to 127.0.0.1', async () => {
    const pid = (await qemuProcesses())[0];
    expect(pid).toBeDefined();
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
    const forwards = cmdline.filter((arg) => arg.includes('hostfwd='));
    expect(forwards).toHaveLength(1);
    expect(forwards[0]).toMatch(/restrict=on,hostfwd=tcp:127\.0\.0\.1:\d+-:22$/);
  });

  it(
    'dispose leaves no QEMU and no files, and is idempotent',
    async () => {
      const other = await driver.create({ sessionId: 'learner-b' });
      const dir = path.join(dataDir, 'vm-instances', other.name);
      expect((await readdir(dir)).sort()).toEqual(
        expect.arrayContaining(['disk.qcow2', 'qemu.pid', 'serial.log']),
      );
      const before = await qemuProcesses();
      expect(before.length).toBe(2);
      await other.dispose();
      await other.dispose();
      expect(await qemuProcesses()).toHaveLength(1);
      await expect(readdir(dir)).rejects.toThrow(/ENOENT/);
      await expect(other.exec(['true'], opts)).rejects.toThrow(/stopped/);
    },
    BOOT_MS,
  );

  it('reclaims the VMs of a crashed server at start', async () => {
    // A QEMU left running by a server that died: paused (-S), as good as a booted one for this.
    const records = path.join(dataDir, 'crashed', 'vm-instances');
    const leftover = path.join(records, 'bl-0dead0');
    await mkdir(leftover, { recursive: true });
    const orphan: ChildProcess = spawn(
      'qemu-system-x86_64',
      [
        '-S',
        '-nodefaults',
        '-display',
        'none',
        '-machine',
        'none',
        '-pidfile',
        path.join(leftover, 'qemu.pid'),
      ],
      { stdio: 'ignore', detached: true },
    );
    await expect
      .poll(() => readFile(path.join(leftover, 'qemu.pid'), 'utf8').catch(() => ''), { timeout: 10_000 })
      .not.toBe('');
    await writeFile(path.join(leftover, 'disk.qcow2'), 'stale overlay');
    const gone = new Promise((resolve) => orphan.once('exit', resolve));
    const restarted = await VmDriver.start(
      loadConfig({ BPFLAB_DATA_DIR: path.join(dataDir, 'crashed'), BPFLAB_VM_POOL: '0' }),
      REPO_ROOT,
    );
    await restarted.shutdown();
    await gone;
    expect(await readdir(records)).toEqual([]);
  });
});
