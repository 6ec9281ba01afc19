/**
 * The lima driver: one Lima VM per learner, started from lima/bpflab.yaml, taken from a warm pool.
 * A VM joins the pool only when `limactl start` reported READY and the bpflab toolchain has been
 * built in it (see lima/README.md). Every VM this server starts is recorded in its data dir, so a
 * crashed server's VMs are stopped and deleted at the next start, their homes salvaged first.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Config } from '../../config.js';
import { FeatureProbe } from '../feature-probe.js';
import { HOME_ARCHIVE_SCRIPT, homeArchiveLimit, packHomeArchive, salvagedHomePath } from '../home-archive.js';
import { runHostCommand } from '../host-process.js';
import { isSandboxName, newSandboxName } from '../names.js';
import { RemoteSandbox } from '../remote-sandbox.js';
import { type CreateOptions, type Driver, type Sandbox, SandboxError } from '../types.js';
import { WarmPool } from '../warm-pool.js';
import { startInstance } from './instance-start.js';
import { type LimaInstance, limaShell } from './lima-sandbox.js';
import { LIMACTL_MISSING, Limactl } from './limactl.js';
import { checkLimaTemplate } from './template-schema.js';

const STOP_TIMEOUT_MS = 120_000;
const SHELL_TIMEOUT_MS = 60_000;

export class LimaDriver implements Driver {
  readonly name = 'lima' as const;
  private readonly sandboxes = new Set<Sandbox>();
  private readonly probe = new FeatureProbe();
  private readonly pool: WarmPool<LimaInstance>;

  private constructor(
    private readonly config: Config,
    private readonly limactl: Limactl,
    private readonly dataDir: string,
    private readonly template: string,
    /** Names of the VMs this server started and has not deleted yet. */
    private readonly records: string,
    private readonly staging: string,
    /** bpf/ sources and the install script, packed once, copied into every VM. */
    private readonly toolchainArchive: string,
  ) {
    this.pool = new WarmPool(
      config.BPFLAB_LIMA_POOL,
      () => this.launch(),
      (instance) => this.destroy(instance.name),
      (error) => console.error(`bpflab: a warm Lima VM failed to start: ${detailOf(error)}`),
    );
  }

  static async start(config: Config, root: string): Promise<LimaDriver> {
    const template = path.resolve(root, config.BPFLAB_LIMA_TEMPLATE);
    const checked = await checkLimaTemplate(template);
    if (!checked.ok) throw new Error(`bpflab: invalid Lima template:\n  ${checked.errors.join('\n  ')}`);
    const dataDir = path.resolve(root, config.BPFLAB_DATA_DIR);
    const records = path.join(dataDir, 'lima-instances');
    await mkdir(records, { recursive: true });
    const staging = await mkdtemp(path.join(tmpdir(), 'bpflab-lima-'));
    const toolchainArchive = path.join(staging, 'toolchain.tgz');
    const packed = await runHostCommand(
      {
        file: 'tar',
        args: [
          '-czf',
          toolchainArchive,
          '-C',
          root,
          '--exclude=bpf/build',
          'bpf',
          'lima/provision/install-toolchain.sh',
        ],
        // macOS tar would add AppleDouble (._*) files without this.
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', COPYFILE_DISABLE: '1' },
      },
      { timeoutMs: 60_000, maxOutputBytes: 64 * 1024 },
    );
    if (packed.exitCode !== 0) throw new Error(`bpflab: cannot pack bpf/ for Lima VMs: ${packed.stderr}`);

    const limactl = new Limactl(config.LIMACTL, config.LIMA_HOME);
    const driver = new LimaDriver(config, limactl, dataDir, template, records, staging, toolchainArchive);
    const version = await limactl.run(['--version'], 30_000).catch((error: unknown) => error);
    if (version instanceof Error) {
      console.error(`bpflab: ${LIMACTL_MISSING.toLowerCase()}: ${detailOf(version)}`);
      return driver;
    }
    await driver.reclaimLeftovers();
    driver.pool.fill();
    return driver;
  }

  async create(_opts: CreateOptions): Promise<Sandbox> {
    let instance: LimaInstance;
    try {
      instance = await this.pool.claim();
    } catch (error) {
      if (error instanceof SandboxError) throw error;
      throw new SandboxError('Your Linux VM could not start', detailOf(error), { cause: error });
    }
    const sandbox: Sandbox = new RemoteSandbox({
      name: instance.name,
      driver: 'lima',
      workspace: instance.workspace,
      shell: limaShell(this.limactl, instance.name),
      probe: (s) => this.probe.features((argv, o) => s.exec(argv, o)),
      destroy: async () => {
        this.sandboxes.delete(sandbox);
        await this.destroy(instance.name);
      },
    });
    this.sandboxes.add(sandbox);
    return sandbox;
  }

  async shutdown(): Promise<void> {
    await this.pool.drain();
    await Promise.allSettled([...this.sandboxes].map((s) => s.dispose()));
    await rm(this.staging, { recursive: true, force: true });
  }

  /** Start a VM, wait for READY, install the toolchain, make the workspace. */
  private async launch(): Promise<LimaInstance> {
    const name = newSandboxName();
    await writeFile(path.join(this.records, name), '');
    const started = await startInstance(
      this.limactl,
      name,
      this.template,
      this.config.BPFLAB_LIMA_START_TIMEOUT_MS,
    );
    if (!started.ok) {
      if (started.failure === 'missing') {
        await rm(path.join(this.records, name), { force: true });
        throw this.limactl.missingError(started.detail);
      }
      const logs = await this.limactl.logTail(name);
      await this.destroy(name);
      throw new SandboxError(
        started.failure === 'timeout'
          ? 'Your Linux VM took too long to start; please try again in a moment'
          : 'Your Linux VM could not be set up',
        `VM ${name}: ${started.detail}\n${logs}`,
      );
    }
    try {
      return { name, workspace: await this.provision(name) };
    } catch (error) {
      const logs = await this.limactl.logTail(name);
      await this.destroy(name);
      throw new SandboxError('Your Linux VM could not be set up', `VM ${name}: ${detailOf(error)}\n${logs}`, {
        cause: error,
      });
    }
  }

  /** Install the bpflab toolchain into /opt/bpflab and make the workspace; returns its path. */
  private async provision(name: string): Promise<string> {
    const remoteArchive = `/tmp/bpflab-toolchain-${name}.tgz`;
    const remoteSource = `/tmp/bpflab-source-${name}`;
    const copied = await this.limactl.run(
      ['copy', this.toolchainArchive, `${name}:${remoteArchive}`],
      SHELL_TIMEOUT_MS,
    );
    if (copied.exitCode !== 0) throw new Error(`limactl copy of the toolchain failed: ${copied.stderr}`);
    const install = [
      `rm -rf ${remoteSource}`,
      `mkdir -p ${remoteSource}`,
      `tar -xzf ${remoteArchive} -C ${remoteSource}`,
      `bash ${remoteSource}/lima/provision/install-toolchain.sh ${remoteSource}`,
      `rm -rf ${remoteSource} ${remoteArchive}`,
    ].join(' && ');
    const installed = await this.limactl.run(
      ['shell', '--workdir=/', name, '--', 'sudo', '-n', 'bash', '-c', install],
      this.config.BPFLAB_LIMA_START_TIMEOUT_MS,
    );
    if (installed.exitCode !== 0) {
      throw new Error(
        `installing the bpflab toolchain failed (exit ${installed.exitCode}):\n${tail(installed.stderr)}`,
      );
    }
    const workspace = await this.workspaceOf(name, 'mkdir -p "$HOME/workspace" && ');
    if (!workspace.ok) throw new Error(`cannot make the workspace: ${workspace.error}`);
    return workspace.dir;
  }

  /** The workspace's absolute path in the VM (`~/workspace` of Lima's user), after `first`. */
  private async workspaceOf(
    name: string,
    first = '',
  ): Promise<{ ok: true; dir: string } | { ok: false; error: string }> {
    const found = await this.limactl.run(
      ['shell', '--workdir=/', name, '--', 'sh', '-c', `${first}cd "$HOME/workspace" && pwd -P`],
      SHELL_TIMEOUT_MS,
    );
    const dir = found.stdout.trim();
    return found.exitCode === 0 && dir.startsWith('/')
      ? { ok: true, dir }
      : { ok: false, error: found.stderr };
  }

  /**
   * Packs the home of a VM a crashed server left, in the VM, to where the session layer finds it
   * (salvagedHomePath); a VM that no longer answers keeps nothing.
   */
  private async salvageHome(name: string): Promise<void> {
    const workspace = await this.workspaceOf(name).catch((error: unknown) => ({
      ok: false as const,
      error: detailOf(error),
    }));
    const kept = workspace.ok
      ? await packHomeArchive(
          limaShell(this.limactl, name).command(
            workspace.dir,
            { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
            ['sh', '-c', HOME_ARCHIVE_SCRIPT],
            false,
          ),
          salvagedHomePath(this.dataDir, name),
          homeArchiveLimit(this.config.BPFLAB_SANDBOX_DISK_MB * 1024 * 1024),
          SHELL_TIMEOUT_MS,
        )
      : { kept: false as const, why: workspace.error };
    if (!kept.kept) console.warn(`bpflab: the home in Lima VM ${name} was not salvaged: ${kept.why}`);
  }

  /** Stop and delete a VM; never throws (a VM that is already gone is fine). */
  private async destroy(name: string): Promise<void> {
    for (const args of [
      ['stop', '--force', name],
      ['delete', '--force', name],
    ]) {
      const result = await this.limactl.run(args, STOP_TIMEOUT_MS).catch((error: unknown) => error);
      if (result instanceof Error) console.error(`bpflab: limactl ${args.join(' ')}: ${detailOf(result)}`);
    }
    await rm(path.join(this.records, name), { force: true });
  }

  /** VMs a previous run of this server started and never deleted. */
  private async reclaimLeftovers(): Promise<void> {
    const recorded = (await readdir(this.records)).filter(isSandboxName);
    if (recorded.length === 0) return;
    const listed = await this.limactl.run(['list', '--json'], SHELL_TIMEOUT_MS);
    const existing = new Set(listed.stdout.split('\n').map(instanceName));
    for (const name of recorded) {
      if (existing.has(name)) {
        await this.salvageHome(name);
        await this.destroy(name);
      } else await rm(path.join(this.records, name), { force: true });
    }
  }
}

/** The `name` of one line of `limactl list --json` (one JSON object per line), if it is one. */
function instanceName(line: string): unknown {
  try {
    return (JSON.parse(line) as { name?: unknown }).name;
  } catch {
    return undefined;
  }
}

function detailOf(error: unknown): string {
  if (error instanceof SandboxError) return error.operatorDetail;
  return error instanceof Error ? error.message : String(error);
}

function tail(text: string, lines = 20): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
