/**
 * The kernel feature probe, for real, in a local sandbox: `bpflab-runner probe` (when bpf/ has
 * been built), clang, bpftool, kernel headers and BCC, consistent with the host it runs on.
 */
import { access } from 'node:fs/promises';
import { release } from 'node:os';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { KERNEL_FEATURES } from '../../protocol/kernel-features.js';
import { hostRunner } from '../tools-tree.js';
import { cannotRunLocalDriver, REPO_ROOT, run, startTestDriver } from './itest-support.js';

const skip = cannotRunLocalDriver();
const runnerBuilt = await access(hostRunner(REPO_ROOT)).then(
  () => true,
  () => false,
);

describe.skipIf(skip !== null)(`local sandbox features${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let test: Awaited<ReturnType<typeof startTestDriver>>;
  beforeAll(async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    test = await startTestDriver();
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await test?.close();
  });

  it('reports the host kernel, its toolchain, and a reason for every missing feature', async () => {
    const sandbox = await test.driver.create({ sessionId: 'features' });
    const features = await sandbox.features();
    expect(features.kernelRelease).toBe(release());
    expect(features.kernelBuild.startsWith(`${release()} #`)).toBe(true);
    const clang = (await run('clang', ['--version'])).stdout;
    expect(clang).toContain(`version ${features.clang}`);
    expect(features.bpftool).toMatch(/^\d+\.\d+/);
    for (const feature of KERNEL_FEATURES) {
      if (!features.available[feature]) expect(features.reasons[feature], feature).toBeTruthy();
    }
    await sandbox.dispose();
  });

  it.skipIf(!runnerBuilt)('probes BPF features with the runner, once per kernel', async () => {
    const [first, second] = await Promise.all([1, 2].map(() => test.driver.create({ sessionId: 'probe' })));
    const features = await first!.features();
    // Every kernel bpflab supports has BTF, tracepoints and ring buffers.
    expect(features.available).toMatchObject({ btf: true, tracepoint: true, ringbuf: true });
    const started = performance.now();
    expect(await second!.features()).toEqual(features);
    // The second sandbox only runs uname: no probe again.
    expect(performance.now() - started).toBeLessThan(200);
    await Promise.all([first!.dispose(), second!.dispose()]);
  });
});
