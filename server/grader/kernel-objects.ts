/**
 * Which BPF programs and maps exist in a sandbox's kernel, by id, as bpftool lists them. Used to
 * prove that a grade left nothing loaded: ids are never reused while the kernel runs.
 */
import { runHostCommand } from '../sandbox/host-process.js';
import type { ExecOptions, ExecResult, Sandbox } from '../sandbox/types.js';

export interface KernelObjects {
  programs: Set<number>;
  maps: Set<number>;
}

export async function listKernelObjects(sandbox: Sandbox): Promise<KernelObjects> {
  const [programs, maps] = await Promise.all([ids(sandbox, 'prog'), ids(sandbox, 'map')]);
  return { programs, maps };
}

/**
 * The ids of `loaded` that still exist: whatever a finished grade left behind. The kernel frees
 * some attachments (perf events) after an RCU grace period, so a survivor is looked at again for
 * up to `settleMs` before it counts.
 */
export async function leftovers(
  sandbox: Sandbox,
  loaded: { programs: readonly number[]; maps: readonly number[] },
  settleMs = 1_000,
): Promise<{ programs: number[]; maps: number[] }> {
  const until = performance.now() + settleMs;
  for (;;) {
    const now = await listKernelObjects(sandbox);
    const left = {
      programs: loaded.programs.filter((id) => now.programs.has(id)),
      maps: loaded.maps.filter((id) => now.maps.has(id)),
    };
    if ((left.programs.length === 0 && left.maps.length === 0) || performance.now() > until) return left;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function ids(sandbox: Sandbox, kind: 'prog' | 'map'): Promise<Set<number>> {
  const r = await askKernel(sandbox, ['bpftool', '--json', kind, 'list'], {
    timeoutMs: 10_000,
    maxOutputBytes: 8 << 20,
  });
  if (r.exitCode !== 0 || r.truncated) {
    const why = r.truncated ? 'its output is too large' : `status ${r.exitCode}: ${r.stderr.trim()}`;
    throw new Error(`bpftool ${kind} list failed: ${why}`);
  }
  const list = JSON.parse(r.stdout || '[]') as { id: number }[];
  return new Set(list.map((o) => o.id));
}

/**
 * Listing every BPF object of a kernel needs CAP_SYS_ADMIN, which a local sandbox does not have
 * (see sandbox/local/capabilities.ts); its kernel is this process's own, so ask from here. A VM's
 * root has every capability in its own kernel.
 */
function askKernel(sandbox: Sandbox, argv: string[], opts: ExecOptions): Promise<ExecResult> {
  if (sandbox.driver !== 'local') return sandbox.exec(argv, opts);
  const [file, ...args] = argv as [string, ...string[]];
  return runHostCommand(
    { file, args, env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin' } },
    opts,
  );
}
