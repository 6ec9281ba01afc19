import { describe, expect, it } from 'vitest';
import { FeatureProbe, type RunInSandbox } from './feature-probe.js';
import { RUNNER } from './tools-tree.js';
import type { ExecResult } from './types.js';

const ok = (stdout = ''): ExecResult => ({
  exitCode: 0,
  signal: null,
  stdout,
  stderr: '',
  timedOut: false,
  truncated: false,
  durationMs: 1,
});
const exit = (exitCode: number, stderr = ''): ExecResult => ({ ...ok(), exitCode, stderr });

const RUNNER_OUTPUT = JSON.stringify({
  kernelRelease: '6.8.0-63-generic',
  kernelBuild: '6.8.0-63-generic #66-Ubuntu SMP',
  arch: 'aarch64',
  available: {
    btf: true,
    kprobe: true,
    fentry: true,
    tracepoint: true,
    raw_tracepoint: true,
    uprobe: true,
    tc: true,
    xdp: true,
    ringbuf: true,
    perf_event: true,
    hardware_pmu: false,
  },
  reasons: { hardware_pmu: 'no hardware PMU is exposed (most VMs)' },
});

/** A sandbox as the probe sees it; `answers` decides each command's result. */
function sandbox(answers: (argv: string[]) => ExecResult) {
  const calls: string[][] = [];
  const run: RunInSandbox = async (argv) => {
    calls.push(argv);
    return answers(argv);
  };
  return { run, calls };
}

const ubuntuVm = (argv: string[]): ExecResult => {
  const command = argv.join(' ');
  if (command.startsWith('sh -c uname')) return ok('6.8.0-63-generic\n#66-Ubuntu SMP\naarch64\n');
  if (argv[0] === RUNNER) return ok(RUNNER_OUTPUT);
  if (argv[0] === 'clang') return ok('Ubuntu clang version 18.1.3 (1ubuntu1)\nTarget: aarch64\n');
  if (argv[0] === 'bpftool') return ok('bpftool v7.4.0\nusing libbpf v1.4\n');
  return ok();
};

describe('FeatureProbe', () => {
  it('combines the runner probe with the toolchain, headers and BCC', async () => {
    const features = await new FeatureProbe().features(sandbox(ubuntuVm).run);
    expect(features).toMatchObject({
      kernelRelease: '6.8.0-63-generic',
      kernelBuild: '6.8.0-63-generic #66-Ubuntu SMP',
      arch: 'aarch64',
      clang: '18.1.3',
      bpftool: '7.4.0',
    });
    expect(features.available).toMatchObject({
      kprobe: true,
      hardware_pmu: false,
      kernel_headers: true,
      bcc: true,
      bpf_inspect: true,
    });
    expect(features.reasons).toEqual({ hardware_pmu: 'no hardware PMU is exposed (most VMs)' });
  });

  it('probes once per kernel build, whatever the number of sandboxes', async () => {
    const probe = new FeatureProbe();
    const first = sandbox(ubuntuVm);
    const second = sandbox(ubuntuVm);
    await probe.features(first.run);
    await probe.features(second.run);
    expect(second.calls.map((c) => c[0])).toEqual(['sh']);
  });

  it('names the missing toolchain instead of failing, and probes again next time', async () => {
    const withoutRunner = (argv: string[]) =>
      argv[0] === RUNNER ? exit(127, `sh: 1: exec: ${RUNNER}: not found`) : ubuntuVm(argv);
    const probe = new FeatureProbe();
    const features = await probe.features(sandbox(withoutRunner).run);
    expect(features.available.tracepoint).toBe(false);
    expect(features.reasons.tracepoint).toMatch(/toolchain is missing.*make -C bpf/);
    expect(features.available.kernel_headers).toBe(true);
    const again = sandbox(ubuntuVm);
    expect((await probe.features(again.run)).available.tracepoint).toBe(true);
    expect(again.calls.some((c) => c[0] === RUNNER)).toBe(true);
  });

  it('explains missing headers and BCC in words a learner can act on', async () => {
    const bare = (argv: string[]) =>
      argv[0] === 'python3' || argv.join(' ').includes('/lib/modules') ? exit(1) : ubuntuVm(argv);
    const features = await new FeatureProbe().features(sandbox(bare).run);
    expect(features.available).toMatchObject({ kernel_headers: false, bcc: false });
    expect(features.reasons.kernel_headers).toContain('linux-headers-6.8.0-63-generic');
    expect(features.reasons.bcc).toContain('python3-bpfcc');
  });

  it('says when bpftool may not inspect the kernel’s objects, and which driver would let it', async () => {
    // What bpftool prints in a local sandbox, which has no CAP_SYS_ADMIN.
    const confined = (argv: string[]) =>
      argv.join(' ') === 'bpftool btf list'
        ? exit(255, "Error: can't get next BTF object: Operation not permitted")
        : ubuntuVm(argv);
    const features = await new FeatureProbe().features(sandbox(confined).run);
    expect(features.available.bpf_inspect).toBe(false);
    expect(features.reasons.bpf_inspect).toMatch(/CAP_SYS_ADMIN.*vm driver/);
  });

  it('reports a runner that prints something unexpected as a failed probe', async () => {
    const garbled = (argv: string[]) => (argv[0] === RUNNER ? ok('{"kernelRelease": 5}') : ubuntuVm(argv));
    const features = await new FeatureProbe().features(sandbox(garbled).run);
    expect(features.reasons.btf).toMatch(/probe failed: unexpected output/);
  });
});
