/**
 * The vm driver: one QEMU virtual machine per learner on a Linux host, each with its own Debian
 * 12 kernel, so a learner's programs trace and change only their own machine.
 *
 * A VM boots from a copy-on-write overlay of the cached guest image (image.ts), is reached over
 * ssh on a loopback forward with a key of its own (ssh.ts), and joins the warm pool
 * (BPFLAB_VM_POOL) only once ssh answers and the guest has its tools tree, bpffs and tracefs.
 * Everything of a VM lives in <data dir>/vm-instances/<name>/ (overlay, key, QEMU's pid file,
 * serial log, ssh socket): dispose kills QEMU and removes that directory, and a server that
 * starts after a crash does the same for every directory it finds there, after salvaging the
 * learner's home from each VM that still answers.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import type { Config } from '../../config.js';
import { FeatureProbe } from '../feature-probe.js';
import { HOME_ARCHIVE_SCRIPT, homeArchiveLimit, packHomeArchive, salvagedHomePath } from '../home-archive.js';
import { type BpfBuilder, hostBpfBuilder } from '../host-build.js';
import { processEnv, runHostCommand } from '../host-process.js';
import { isSandboxName, newSandboxName } from '../names.js';
import { RemoteSandbox } from '../remote-sandbox.js';
import { RUNNER } from '../tools-tree.js';
import { type CreateOptions, type Driver, type Sandbox, SandboxError } from '../types.js';
import { WarmPool } from '../warm-pool.js';
import { AccelChoice } from './accel.js';
import { type GuestImage, prepareGuestImage } from './image.js';
import { type Accel, qemuArgs } from './qemu.js';
import { makeVmKey, type SshTarget, sshShell } from './ssh.js';

const WORKSPACE = '/root';
const QUICK = { timeoutMs: 30_000, maxOutputBytes: 64 * 1024 };
const POLL_MS = 500;
const LOG_TAIL_LINES = 30;
/** Packing a leftover VM's home over ssh, under emulation included. */
const SALVAGE_TIMEOUT_MS = 120_000;

interface VmInstance extends SshTarget {
  name: string;
  accel: Accel;
  qemu: ChildProcess;
}

class BootTimeout extends Error {}

export class VmDriver implements Driver {
  readonly name = 'vm' as const;
  private readonly sandboxes = new Set<Sandbox>();
  private readonly probe = new FeatureProbe();
  private readonly pool: WarmPool<VmInstance>;
  private readonly accel: AccelChoice;
  /** BPF objects are compiled on the host, against the guest kernel's tools tree. */
  private readonly builder: BpfBuilder;

  private constructor(
    private readonly config: Config,
    private readonly image: GuestImage,
    /** <data dir>/vm-instances: one directory per VM this server started and has not removed. */
    private readonly records: string,
    root: string,
  ) {
    this.accel = new AccelChoice(config.BPFLAB_VM_ACCEL);
    this.builder = hostBpfBuilder(image.toolsDir, [root, path.resolve(root, config.BPFLAB_DATA_DIR)]);
    this.pool = new WarmPool(
      config.BPFLAB_VM_POOL,
      () => this.launch(),
      (vm) => this.destroy(vm),
      (error) => console.error(`bpflab: a warm VM failed to start: ${detailOf(error)}`),
    );
  }

  static async start(config: Config, root: string): Promise<VmDriver> {
    const dataDir = path.resolve(root, config.BPFLAB_DATA_DIR);
    const records = path.join(dataDir, 'vm-instances');
    await mkdir(records, { recursive: true, mode: 0o700 });
    const homeLimit = homeArchiveLimit(config.BPFLAB_SANDBOX_DISK_MB * 1024 * 1024);
    await reclaimLeftovers(records, (name) => salvagedHomePath(dataDir, name), homeLimit);
    const image = await prepareGuestImage(root, config.BPFLAB_VM_CACHE);
    const driver = new VmDriver(config, image, records, root);
    driver.pool.fill();
    return driver;
  }

  async create(_opts: CreateOptions): Promise<Sandbox> {
    let vm: VmInstance;
    try {
      vm = await this.pool.claim();
    } catch (error) {
      if (error instanceof SandboxError) throw error;
      throw new SandboxError('Your Linux VM could not start', detailOf(error), { cause: error });
    }
    const sandbox: Sandbox = new RemoteSandbox({
      name: vm.name,
      driver: 'vm',
      slowdown: this.accel.slowdown(vm.accel),
      bpfBuilder: this.builder,
      workspace: WORKSPACE,
      shell: sshShell(vm),
      probe: (s) => this.probe.features((argv, o) => s.exec(argv, o)),
      destroy: async () => {
        this.sandboxes.delete(sandbox);
        await this.destroy(vm);
      },
    });
    this.sandboxes.add(sandbox);
    return sandbox;
  }

  /** Resolves once a warm VM waits in the pool (for benchmarks of the claim alone). */
  async poolReady(): Promise<void> {
    while (this.pool.readyCount === 0) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }

  async shutdown(): Promise<void> {
    await this.pool.drain();
    await Promise.allSettled([...this.sandboxes].map((s) => s.dispose()));
  }

  /** Boot a VM; under KVM that never answers, once more under emulation. */
  private async launch(): Promise<VmInstance> {
    const accel = await this.accel.accel();
    try {
      return await this.boot(accel);
    } catch (error) {
      if (error instanceof BootTimeout && accel === 'kvm' && this.accel.kvmHung()) return this.boot('tcg');
      throw error;
    }
  }

  private async boot(accel: Accel): Promise<VmInstance> {
    const name = newSandboxName();
    const dir = path.join(this.records, name);
    await mkdir(dir, { mode: 0o700 });
    const vm: VmInstance = { name, dir, accel, port: 0, qemu: null as unknown as ChildProcess };
    try {
      await this.makeOverlay(dir);
      const key = await makeVmKey(dir, this.image.hostKey);
      vm.port = await freeLoopbackPort();
      vm.qemu = startQemu(dir, {
        name,
        accel,
        cpus: this.config.BPFLAB_VM_CPUS,
        memoryMb: this.config.BPFLAB_VM_MEMORY_MB,
        kernel: this.image.kernel,
        initrd: this.image.initrd,
        overlay: path.join(dir, 'disk.qcow2'),
        toolsDir: this.image.toolsDir,
        sshPort: vm.port,
        authorizedKey: key,
        serialLog: path.join(dir, 'serial.log'),
        pidFile: path.join(dir, 'qemu.pid'),
      });
      await this.waitUntilReady(vm, this.accel.bootLimitMs(accel, this.config.BPFLAB_VM_BOOT_TIMEOUT_MS));
      this.accel.booted(accel);
      return vm;
    } catch (error) {
      const logs = await logTail(dir);
      await this.destroy(vm);
      if (error instanceof BootTimeout) throw new BootTimeout(`${error.message}\n${logs}`);
      throw new SandboxError('Your Linux VM could not start', `VM ${name}: ${detailOf(error)}\n${logs}`, {
        cause: error,
      });
    }
  }

  private async makeOverlay(dir: string): Promise<void> {
    const made = await runHostCommand(
      {
        file: 'qemu-img',
        args: [
          'create',
          '-q',
          '-f',
          'qcow2',
          '-F',
          'qcow2',
          '-b',
          this.image.disk,
          path.join(dir, 'disk.qcow2'),
        ],
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      },
      QUICK,
    );
    if (made.exitCode !== 0) throw new Error(`qemu-img create failed: ${made.stderr.trim()}`);
  }

  /** Ready: ssh answers as root, and the guest has its tools tree, bpffs and tracefs. */
  private async waitUntilReady(vm: VmInstance, limitMs: number): Promise<void> {
    const started = performance.now();
    const shell = sshShell(vm);
    const check = [
      'sh',
      '-c',
      `test -x ${RUNNER} && mountpoint -q /sys/fs/bpf && test -e /sys/kernel/tracing/trace`,
    ];
    let last = '';
    while (performance.now() - started < limitMs) {
      if (vm.qemu.exitCode !== null || vm.qemu.signalCode !== null) {
        throw new Error(`QEMU exited (${vm.qemu.exitCode ?? vm.qemu.signalCode}) before the VM was ready`);
      }
      const answer = await runHostCommand(
        shell.command('/', { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' }, check, false),
        {
          timeoutMs: 20_000,
          maxOutputBytes: 4096,
        },
      );
      if (answer.exitCode === 0) return;
      last = answer.stderr.trim() || `exit ${answer.exitCode}`;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    throw new BootTimeout(
      `VM ${vm.name} did not answer within ${Math.round(limitMs / 1000)} s under ${vm.accel} (last: ${last})`,
    );
  }

  /** Kill QEMU and remove the VM's directory; never throws. */
  private async destroy(vm: Pick<VmInstance, 'dir' | 'qemu'>): Promise<void> {
    const exited =
      vm.qemu && vm.qemu.exitCode === null && vm.qemu.signalCode === null
        ? new Promise((resolve) => vm.qemu.once('exit', resolve))
        : Promise.resolve();
    vm.qemu?.kill('SIGKILL');
    await killRecorded(vm.dir);
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    await rm(vm.dir, { recursive: true, force: true }).catch((error: unknown) =>
      console.error(`bpflab: removing ${vm.dir}: ${detailOf(error)}`),
    );
  }
}

function startQemu(dir: string, spec: Parameters<typeof qemuArgs>[0]): ChildProcess {
  const log = openSync(path.join(dir, 'qemu.log'), 'a', 0o600);
  try {
    const child = spawn('qemu-system-x86_64', qemuArgs(spec), {
      // Its own process group: a server killed with SIGINT at a terminal must not take QEMU with
      // it before dispose runs; a crashed server's VMs are reclaimed at the next start.
      detached: true,
      stdio: ['ignore', log, log],
      env: processEnv({ PATH: process.env.PATH ?? '/usr/bin:/bin' }),
    });
    child.on('error', (error) => console.error(`bpflab: QEMU for ${spec.name}: ${error.message}`));
    return child;
  } finally {
    closeSync(log);
  }
}

/** A free TCP port on 127.0.0.1 (QEMU binds it a moment later; a lost race fails that boot only). */
function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** The QEMU whose pid file is in `dir`, if that pid is still a QEMU of this directory. */
async function recordedQemu(dir: string): Promise<{ pid: number; cmdline: string } | null> {
  const pid = Number((await readFile(path.join(dir, 'qemu.pid'), 'utf8').catch(() => '')).trim());
  if (!Number.isInteger(pid) || pid <= 0) return null;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return cmdline.includes('qemu') && cmdline.includes(dir) ? { pid, cmdline } : null;
}

/** SIGKILL the QEMU whose pid file is in `dir`, if that pid is still a QEMU of this directory. */
async function killRecorded(dir: string): Promise<void> {
  const qemu = await recordedQemu(dir);
  if (!qemu) return;
  try {
    process.kill(qemu.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/**
 * The home of a VM a crashed server left, packed in the guest over ssh (the VM's key and pinned
 * host key are still in its directory, the port in its QEMU's command line) to `archive`. A VM
 * whose QEMU is gone or that does not answer keeps nothing.
 */
async function salvageHome(dir: string, archive: string, maxBytes: number): Promise<void> {
  const qemu = await recordedQemu(dir);
  const port = qemu && /hostfwd=tcp:127\.0\.0\.1:(\d+)-:22/.exec(qemu.cmdline)?.[1];
  if (!port) return;
  const command = sshShell({ dir, port: Number(port) }).command(
    WORKSPACE,
    { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
    ['sh', '-c', HOME_ARCHIVE_SCRIPT],
    false,
  );
  const kept = await packHomeArchive(command, archive, maxBytes, SALVAGE_TIMEOUT_MS);
  if (!kept.kept) console.warn(`bpflab: the home in VM ${path.basename(dir)} was not salvaged: ${kept.why}`);
}

/** VMs a previous run of this server left: salvage their homes, kill their QEMU, remove their directories. */
async function reclaimLeftovers(
  records: string,
  salvageTo: (name: string) => string,
  homeLimit: number,
): Promise<void> {
  for (const name of (await readdir(records)).filter(isSandboxName)) {
    const dir = path.join(records, name);
    await salvageHome(dir, salvageTo(name), homeLimit);
    await killRecorded(dir);
    await rm(dir, { recursive: true, force: true });
    console.log(`bpflab: removed VM ${name} left by an earlier server`);
  }
}

async function logTail(dir: string): Promise<string> {
  const parts: string[] = [];
  for (const log of ['qemu.log', 'serial.log']) {
    const text = await readFile(path.join(dir, log), 'utf8').catch(() => '');
    const tail = text.trimEnd().split('\n').slice(-LOG_TAIL_LINES).join('\n');
    if (tail) parts.push(`--- ${log} (last ${LOG_TAIL_LINES} lines)\n${tail}`);
  }
  return parts.join('\n');
}

function detailOf(error: unknown): string {
  if (error instanceof SandboxError) return error.operatorDetail;
  return error instanceof Error ? error.message : String(error);
}
