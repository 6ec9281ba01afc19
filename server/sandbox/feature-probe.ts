/**
 * The kernel feature probe, the same for every driver: `bpflab-runner probe` inside the sandbox
 * tries each BPF feature for real; the toolchain versions, kernel headers, BCC and what bpftool
 * may inspect are checked beside it. One result per kernel build is kept, because every sandbox
 * of a driver on that kernel answers the same; a probe that could not run (no toolchain yet) is
 * not kept.
 */
import { z } from 'zod';
import {
  KERNEL_FEATURES,
  KernelFeature,
  KernelFeatures,
  SANDBOX_SOFTWARE_FEATURES,
} from '../protocol/kernel-features.js';
import { RUNNER } from './tools-tree.js';
import type { ExecOptions, ExecResult } from './types.js';

export type RunInSandbox = (argv: string[], opts: ExecOptions) => Promise<ExecResult>;

/** What `bpflab-runner probe` prints (bpf/README.md). */
const RunnerProbe = z.object({
  kernelRelease: z.string(),
  kernelBuild: z.string(),
  arch: z.string(),
  available: z.partialRecord(KernelFeature, z.boolean()),
  reasons: z.partialRecord(KernelFeature, z.string()),
});

const QUICK = { timeoutMs: 10_000, maxOutputBytes: 64 * 1024 };
const RUNNER_PROBE = { timeoutMs: 30_000, maxOutputBytes: 256 * 1024 };

export class FeatureProbe {
  private readonly byKernel = new Map<string, Promise<KernelFeatures>>();

  /** The features of the sandbox `run` reaches, probed once per kernel build. */
  async features(run: RunInSandbox): Promise<KernelFeatures> {
    const uname = await run(['sh', '-c', 'uname -r; uname -v; uname -m'], QUICK);
    const [release = '', version = '', arch = ''] = uname.stdout.split('\n');
    if (uname.exitCode !== 0 || !release) {
      throw new Error(`uname failed in the sandbox: ${uname.stderr.trim() || `exit ${uname.exitCode}`}`);
    }
    const kernelBuild = `${release} ${version}`;
    let probing = this.byKernel.get(kernelBuild);
    if (!probing) {
      probing = probe(run, { kernelRelease: release, kernelBuild, arch });
      this.byKernel.set(kernelBuild, probing);
      probing.then(
        (found) => {
          if (!complete(found)) this.byKernel.delete(kernelBuild);
        },
        () => this.byKernel.delete(kernelBuild),
      );
    }
    return probing;
  }
}

/** A result worth keeping: the runner answered, so the next sandbox would hear the same. */
function complete(found: KernelFeatures): boolean {
  return !Object.values(found.reasons).some(
    (reason) => reason?.startsWith(TOOLCHAIN_MISSING) || reason?.startsWith(PROBE_FAILED),
  );
}

const TOOLCHAIN_MISSING = 'The bpflab toolchain is missing from this sandbox';
const PROBE_FAILED = 'The kernel feature probe failed';

async function probe(
  run: RunInSandbox,
  kernel: { kernelRelease: string; kernelBuild: string; arch: string },
): Promise<KernelFeatures> {
  const [runner, clang, bpftool, headers, bcc, inspect] = await Promise.all([
    run([RUNNER, 'probe'], RUNNER_PROBE),
    run(['clang', '--version'], QUICK).catch(() => null),
    run(['bpftool', 'version'], QUICK).catch(() => null),
    run(['sh', '-c', 'test -d "/lib/modules/$(uname -r)/build"'], QUICK),
    run(['python3', '-c', 'import bcc'], QUICK).catch(() => null),
    // Walking BPF ids needs CAP_SYS_ADMIN, as do opening an object and fetching its BTF by id.
    run(['bpftool', 'btf', 'list'], QUICK).catch(() => null),
  ]);

  const available = Object.fromEntries(KERNEL_FEATURES.map((f) => [f, false])) as Record<
    KernelFeature,
    boolean
  >;
  const reasons: Partial<Record<KernelFeature, string>> = {};
  const kernelWide = KERNEL_FEATURES.filter((f) => !SANDBOX_SOFTWARE_FEATURES.includes(f));

  const fromRunner = parseRunner(runner);
  if (fromRunner.ok) {
    for (const feature of kernelWide) {
      available[feature] = fromRunner.probe.available[feature] ?? false;
      if (!available[feature]) {
        reasons[feature] = fromRunner.probe.reasons[feature] ?? `the probe did not report ${feature}`;
      }
    }
  } else {
    for (const feature of kernelWide) reasons[feature] = fromRunner.reason;
  }

  available.kernel_headers = headers.exitCode === 0;
  if (!available.kernel_headers) {
    reasons.kernel_headers = `No kernel headers at /lib/modules/${kernel.kernelRelease}/build (install linux-headers-${kernel.kernelRelease})`;
  }
  const bccImports = bcc?.exitCode === 0;
  available.bcc = bccImports && available.kernel_headers;
  if (!bccImports) reasons.bcc = 'BCC is not installed (python3 cannot import bcc; install python3-bpfcc)';
  else if (!available.bcc)
    reasons.bcc = 'BCC is installed but cannot compile programs without kernel headers';
  available.bpf_inspect = inspect?.exitCode === 0;
  if (!available.bpf_inspect) {
    reasons.bpf_inspect =
      'bpftool cannot open this kernel’s programs by id or fetch their BTF here (`bpftool prog show`, ' +
      '`prog dump xlated` of a program built with -g): that needs CAP_SYS_ADMIN, which a local sandbox ' +
      'does not get because it shares the host’s kernel. The vm driver gives each learner a kernel of their own.';
  }

  return KernelFeatures.parse({
    ...kernel,
    clang: clang?.exitCode === 0 ? (/version (\S+)/.exec(clang.stdout)?.[1] ?? null) : null,
    bpftool: bpftool?.exitCode === 0 ? (/^bpftool v?(\S+)/m.exec(bpftool.stdout)?.[1] ?? null) : null,
    available,
    reasons,
  });
}

function parseRunner(
  result: ExecResult,
): { ok: true; probe: z.infer<typeof RunnerProbe> } | { ok: false; reason: string } {
  // 126/127: the shell could not find or run it (the tools tree is not mounted or not built).
  if (result.exitCode === 127 || result.exitCode === 126) {
    return { ok: false, reason: `${TOOLCHAIN_MISSING} (${RUNNER}); build it with \`make -C bpf\`` };
  }
  const tail = result.stderr.trim().split('\n').slice(-3).join(' ');
  if (result.exitCode !== 0) {
    return {
      ok: false,
      reason: `${PROBE_FAILED} (${result.timedOut ? 'timed out' : `exit ${result.exitCode}`}): ${tail}`,
    };
  }
  try {
    const parsed = RunnerProbe.safeParse(JSON.parse(result.stdout));
    if (parsed.success) return { ok: true, probe: parsed.data };
    return { ok: false, reason: `${PROBE_FAILED}: unexpected output (${z.prettifyError(parsed.error)})` };
  } catch (error) {
    return { ok: false, reason: `${PROBE_FAILED}: its output is not JSON (${String(error)})` };
  }
}
