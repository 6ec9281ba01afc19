/**
 * The vm driver (a QEMU VM per learner): a warm claim (a learner taking the VM the pool booted
 * ahead), a Check of hello-execve in that VM (the grader as the server runs it, the solution with a
 * new comment each time) and QEMU's resident memory per VM; the boot to ready comes with it. Under
 * emulation (no KVM) a boot takes minutes, so one boot gives one claim. A VM that cannot start
 * leaves every figure "not measured" with the reason. BENCH_VM=0 leaves them out.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { loadConfig } from '../../server/config.js';
import { Grader } from '../../server/grader/grader.js';
import { loadLab, repoLabPaths } from '../../server/labs/loader.js';
import { VmDriver } from '../../server/sandbox/vm/vm-driver.js';
import { type Bench, distribution, notMeasured, repeat, single, timed } from '../measure.js';
import type { FigureDef } from '../report.js';
import { REPO_ROOT, rssMiB, solutionFiles, variant } from '../server.js';

const LAB = 'hello-execve';
/** A boot under emulation takes about two minutes; one that takes four times that is stuck. */
const BOOT_LIMIT_MS = 8 * 60_000;

const FIGURES = {
  boot: { id: 'vm.boot', title: 'VM boot to ready (the pool’s first VM)', unit: 's' },
  claim: {
    id: 'vm.warm-claim',
    title: 'VM warm claim (a VM the pool booted ahead)',
    unit: 'ms',
    target: { stat: 'p95', atMost: 1000 },
    obstacle: 'the claim waits for a boot when the pool is empty',
    note: 'one claim per boot',
  },
  check: {
    id: 'vm.check',
    title: 'Check of hello-execve in a VM (grader, solution)',
    unit: 'ms',
  },
  rss: { id: 'vm.qemu-rss', title: 'QEMU resident memory per VM', unit: 'MiB' },
} satisfies Record<string, FigureDef>;

/** QEMU's resident memory for VMs of this data dir, in MiB. */
async function qemuRss(dataDir: string): Promise<number[]> {
  const found: number[] = [];
  for (const pid of (await readdir('/proc')).filter((p) => /^\d+$/.test(p))) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.startsWith('qemu-system') && cmdline.includes(dataDir)) found.push(await rssMiB(Number(pid)));
  }
  return found;
}

export const vmBench: Bench = {
  name: 'vm',
  figures: Object.values(FIGURES),
  async run(plan, record) {
    const skip = (why: string) => {
      for (const figure of Object.values(FIGURES)) record(notMeasured(figure, why));
    };
    if (!plan.vm) return skip('BENCH_VM=0 left the VM driver out');
    const dataDir = await mkdtemp('/var/tmp/bpflab-bench-vm-');
    let driver: VmDriver | null = null;
    try {
      const booted = await timed(async () => {
        driver = await VmDriver.start(
          loadConfig({ BPFLAB_DATA_DIR: dataDir, BPFLAB_VM_POOL: '1' }),
          REPO_ROOT,
        );
        const ready = driver.poolReady().then(() => true);
        const limit = new Promise<false>((resolve) =>
          setTimeout(() => resolve(false), BOOT_LIMIT_MS).unref(),
        );
        return Promise.race([ready, limit]);
      }).catch((error: unknown) => ({ value: String(error).split('\n')[0]!, ms: 0 }));
      if (booted.value !== true) {
        return skip(
          typeof booted.value === 'string'
            ? `the VM driver could not start: ${booted.value}`
            : `no VM was ready within ${BOOT_LIMIT_MS / 60_000} minutes (the driver's messages say why)`,
        );
      }
      const vmDriver = driver as unknown as VmDriver;
      record(single(FIGURES.boot, booted.ms / 1000, 1, 1));
      const claim = await timed(() => vmDriver.create({ sessionId: 'bench-vm' }));
      record(distribution(FIGURES.claim, [claim.ms], 1));
      const sandbox = claim.value;
      const slowdown = sandbox.slowdown ?? 1;
      record(single(FIGURES.rss, Math.max(...(await qemuRss(dataDir))), 1));

      const loaded = await loadLab(LAB, repoLabPaths(REPO_ROOT));
      if (!loaded.ok) throw new Error(`${LAB} does not load`);
      const files = await solutionFiles(LAB);
      const grader = new Grader();
      try {
        const checks = await repeat(plan.runs, 1, async (i) => {
          const graded = await timed(() =>
            grader.grade({ lab: loaded.lab, files: variant(files, `bench vm ${i}`), sandbox }),
          );
          if (graded.value.score !== graded.value.maxScore)
            throw new Error(`VM Check ${i}: ${graded.value.message}\n${graded.value.log.slice(-2000)}`);
          return graded.ms;
        });
        const emulated = slowdown > 1;
        record(
          distribution(
            emulated
              ? {
                  ...FIGURES.check,
                  note: `emulated (no KVM): about ${slowdown}× slower than with KVM; no target`,
                }
              : { ...FIGURES.check, target: { stat: 'p95', atMost: 1500 } },
            checks,
          ),
        );
      } finally {
        await grader.close();
        await sandbox.dispose();
      }
    } finally {
      await (driver as VmDriver | null)?.shutdown();
      await rm(dataDir, { recursive: true, force: true });
    }
  },
};
