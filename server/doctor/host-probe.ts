/**
 * Gathers the facts `npx bpflab doctor` judges (verdicts.ts): the runner's own kernel probe,
 * tool versions, mounts, cgroups, this process's capabilities and device access. Each fact is
 * one command or one file read; none changes the host.
 */
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { hostRunner } from '../sandbox/tools-tree.js';
import type { DoctorFacts } from './verdicts.js';

const run = promisify(execFile);

/** The first line a command prints, or null when it is not installed or fails. */
async function firstLine(file: string, args: string[]): Promise<string | null> {
  try {
    const { stdout } = await run(file, args, { timeout: 10_000 });
    return stdout.split('\n')[0]!.trim() || file;
  } catch {
    return null;
  }
}

const exists = (file: string, mode = constants.F_OK) =>
  access(file, mode).then(
    () => true,
    () => false,
  );

/** Capability numbers of `capability(7)` that the local driver needs. */
const CAPABILITY_BITS: Record<string, bigint> = {
  cap_net_admin: 12n,
  cap_sys_admin: 21n,
  cap_perfmon: 38n,
  cap_bpf: 39n,
};

async function probe(root: string): Promise<DoctorFacts['probe']> {
  const runner = hostRunner(root);
  if (!(await exists(runner))) return { error: `${runner} is not built` };
  try {
    const { stdout } = await run(runner, ['probe'], { timeout: 30_000 });
    return JSON.parse(stdout) as DoctorFacts['probe'];
  } catch (error) {
    return { error: `bpflab-runner probe failed: ${(error as Error).message.split('\n')[0]}` };
  }
}

async function cgroups(): Promise<DoctorFacts['cgroups']> {
  const v2 = await readFile('/sys/fs/cgroup/cgroup.controllers', 'utf8').catch(() => null);
  if (v2 !== null) return { version: 2, controllers: v2.trim().split(/\s+/).filter(Boolean) };
  const v1 = await Promise.all(
    ['pids', 'memory', 'cpu'].map(async (c) => ((await exists(`/sys/fs/cgroup/${c}`)) ? c : null)),
  );
  const controllers = v1.filter((c): c is string => c !== null);
  return controllers.length > 0 ? { version: 1, controllers } : null;
}

export async function probeHost(root: string, env: NodeJS.ProcessEnv = process.env): Promise<DoctorFacts> {
  const status = await readFile('/proc/self/status', 'utf8');
  const effective = BigInt(`0x${/^CapEff:\s*([0-9a-f]+)$/m.exec(status)?.[1] ?? '0'}`);
  const mounts = await readFile('/proc/self/mounts', 'utf8');
  const chromium = env.BPFLAB_CHROMIUM ?? '/usr/bin/chromium';
  const [
    found,
    clang,
    bpftool,
    libbpfHeader,
    tracing,
    groups,
    hasChromium,
    qemu,
    kvmExists,
    kvmOpen,
    limactl,
  ] = await Promise.all([
    probe(root),
    firstLine('clang', ['--version']),
    firstLine('bpftool', ['version']),
    exists('/usr/include/bpf/libbpf.h'),
    exists('/sys/kernel/tracing'),
    cgroups(),
    exists(chromium, constants.X_OK),
    firstLine('qemu-system-x86_64', ['--version']),
    exists('/dev/kvm'),
    exists('/dev/kvm', constants.R_OK | constants.W_OK),
    firstLine('limactl', ['--version']),
  ]);
  return {
    probe: found,
    clang,
    bpftool,
    libbpfHeader,
    tracefs: / tracefs /.test(mounts) ? 'mounted' : tracing ? 'mountable' : 'absent',
    cgroups: groups,
    capabilities: Object.entries(CAPABILITY_BITS)
      .filter(([, bit]) => ((effective >> bit) & 1n) === 1n)
      .map(([name]) => name),
    chromium: hasChromium ? chromium : null,
    qemu,
    kvm: kvmOpen ? 'usable' : kvmExists ? 'no-access' : 'absent',
    limactl,
  };
}
