/**
 * The local driver: sandboxes made of Linux namespaces and cgroups on the host kernel, for one
 * trusted learner on their own Linux or WSL machine, and for CI. See ../README.md
 * for what it isolates and what it cannot.
 */
import { execFile } from 'node:child_process';
import { mkdir, readdir, realpath, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Config } from '../../config.js';
import { FeatureProbe } from '../feature-probe.js';
import { homeArchiveLimit, salvagedHomePath } from '../home-archive.js';
import { isSandboxName, newSandboxName } from '../names.js';
import { hostToolsDir } from '../tools-tree.js';
import { type CreateOptions, type Driver, type Sandbox, SandboxError, TOOLS_DIR } from '../types.js';
import { WarmPool } from '../warm-pool.js';
import {
  type CgroupLayout,
  discoverCgroupLayout,
  type Enforcement,
  enforcement,
  removeCgroupLayout,
  sandboxGroupName,
} from './cgroup-layout.js';
import { etcSecrets } from './etc-secrets.js';
import { LocalSandbox, SANDBOX_HOME, sandboxEnv } from './local-sandbox.js';
import { SandboxNamespaces } from './namespaces.js';
import { SandboxCgroup } from './sandbox-cgroup.js';
import { DEVICES, type HostLayout, hostLayout, type RootSpec, rootFstab } from './sandbox-root.js';
import { WorkspaceFiles } from './workspace-files.js';
import { isWorkspaceMounted, mountWorkspace, packWorkspace, removeWorkspace } from './workspace-mount.js';

const INIT_TIMEOUT_MS = 10_000;
const REQUIRED_TOOLS = [
  'unshare',
  'nsenter',
  'mount',
  'umount',
  'pivot_root',
  'setpriv',
  'find',
  'ip',
  'bash',
];

export const SHARED_KERNEL_WARNING = `
################################################################################
#  bpflab: LOCAL SANDBOXES SHARE THIS MACHINE'S KERNEL                          #
#                                                                              #
#  Every learner loads BPF programs into the host kernel. Tracing programs     #
#  (tracepoints, kprobes, uprobes, perf events) see every process on this      #
#  machine and can read kernel memory: the server's secrets included.          #
#  Serve the local driver to one trusted learner only; use BPFLAB_DRIVER=vm    #
#  (one VM per learner) for anyone else. See docs/security.md.                 #
################################################################################
`;

/** A new home's login profile: bash --login resets PATH, so the toolchain goes back on it. */
const PROFILE = `# bpflab: the lab toolchain (bpflab-runner, headers, vmlinux.h) lives in ${TOOLS_DIR}.
export PATH="${TOOLS_DIR}/bin:$PATH"
if [ -n "$BASH_VERSION" ] && [ -f "$HOME/.bashrc" ]; then . "$HOME/.bashrc"; fi
`;

export class LocalDriver implements Driver {
  readonly name = 'local' as const;
  /** Sandboxes handed out by create() and not disposed yet. */
  private readonly sandboxes = new Set<LocalSandbox>();
  private readonly probe = new FeatureProbe();
  private readonly pool: WarmPool<LocalSandbox>;

  private constructor(
    private readonly config: Config,
    private readonly layout: CgroupLayout,
    private readonly dataDir: string,
    private readonly workspaces: string,
    /** The empty directory each sandbox mounts its own root on (see sandbox-init.sh). */
    private readonly rootMount: string,
    private readonly toolsSource: string,
    private readonly etcSecrets: RootSpec['etcSecrets'],
    private readonly host: HostLayout,
  ) {
    this.pool = new WarmPool(
      config.BPFLAB_LOCAL_POOL,
      () => this.startSandbox(),
      (sandbox) => sandbox.dispose(),
      (error) => console.error(`bpflab: a local sandbox failed to start ahead of demand: ${String(error)}`),
    );
  }

  /** Check the host, reclaim what a crashed server left, and warn loudly. */
  static async start(config: Config, root: string): Promise<LocalDriver> {
    await requireTools();
    const repo = await realpath(root);
    const dataDir = path.resolve(repo, config.BPFLAB_DATA_DIR);
    const workspaces = path.join(dataDir, 'workspaces');
    const rootMount = path.join(dataDir, 'sandbox-root');
    await mkdir(workspaces, { recursive: true });
    await mkdir(rootMount, { recursive: true });
    const dataReal = await realpath(dataDir);

    const layout = await discoverCgroupLayout(sandboxGroupName(dataReal));
    const driver = new LocalDriver(
      config,
      layout,
      dataReal,
      await realpath(workspaces),
      await realpath(rootMount),
      hostToolsDir(repo),
      await etcSecrets(),
      await hostLayout(),
    );
    console.warn(SHARED_KERNEL_WARNING);
    await driver.reclaimLeftovers();
    driver.pool.fill();
    const how = driver.enforcement;
    console.log(
      `bpflab: local sandboxes limited by pids: ${how.pids}, memory: ${how.memory}, cpu: ${how.cpu}`,
    );
    if (how.pids === 'none')
      console.warn('bpflab: WARNING: no pids controller, a fork bomb can exhaust the host');
    return driver;
  }

  /** How this host enforces each sandbox limit. */
  get enforcement(): Record<'pids' | 'memory' | 'cpu', Enforcement> {
    return enforcement(this.layout);
  }

  /** A sandbox from the warm pool (or started now); sessions never share one. */
  async create(_opts: CreateOptions): Promise<Sandbox> {
    for (;;) {
      const sandbox = await this.pool.claim();
      // One that died while waiting in the pool (its init killed from the host) is no use.
      if (!sandbox.alive) {
        await sandbox.dispose().catch(() => {});
        continue;
      }
      this.sandboxes.add(sandbox);
      return sandbox;
    }
  }

  async shutdown(): Promise<void> {
    await this.pool.drain();
    await Promise.allSettled([...this.sandboxes].map((s) => s.dispose()));
    await removeCgroupLayout(this.layout);
  }

  private async startSandbox(): Promise<LocalSandbox> {
    const { name, workspace } = await this.newWorkspace();
    const limits = {
      pids: this.config.BPFLAB_SANDBOX_PIDS,
      memoryBytes: this.config.BPFLAB_SANDBOX_MEMORY_MB * 1024 * 1024,
      cpus: this.config.BPFLAB_SANDBOX_CPUS,
    };
    let cgroup: SandboxCgroup | null = null;
    try {
      await mountWorkspace(workspace, this.config.BPFLAB_SANDBOX_DISK_MB * 1024 * 1024);
      await writeFile(path.join(workspace, '.profile'), PROFILE);
      cgroup = await SandboxCgroup.create(this.layout, name, limits);
      const fstab = rootFstab({
        root: this.rootMount,
        workspace,
        home: SANDBOX_HOME,
        toolsSource: await this.tools(),
        toolsDir: TOOLS_DIR,
        tmpBytes: limits.memoryBytes,
        etcSecrets: this.etcSecrets,
        host: this.host,
      });
      const namespaces = await SandboxNamespaces.start(
        {
          name,
          rootMount: this.rootMount,
          fstab,
          devices: DEVICES,
          links: this.host.links,
          env: sandboxEnv(name),
        },
        {
          procsFiles: cgroup.procsFiles,
          cpuSeconds: this.config.BPFLAB_SANDBOX_CPU_SECONDS,
          addressSpaceKiB: this.layout.controllers.memory ? null : limits.memoryBytes / 1024,
        },
        INIT_TIMEOUT_MS,
      );
      return new LocalSandbox(name, {
        namespaces,
        cgroup,
        workspace,
        files: new WorkspaceFiles(workspace),
        probe: (s) => this.probe.features((argv, o) => s.exec(argv, o)),
        disposed: (s) => this.sandboxes.delete(s),
      });
    } catch (error) {
      await cgroup?.kill();
      await cgroup?.remove().catch(() => {});
      await removeWorkspace(workspace);
      if (error instanceof SandboxError) throw error;
      throw new SandboxError('Your sandbox could not start', `sandbox ${name}: ${String(error)}`, {
        cause: error,
      });
    }
  }

  /** A fresh name and its empty workspace (names are random; a clash just draws again). */
  private async newWorkspace(): Promise<{ name: string; workspace: string }> {
    for (;;) {
      const name = newSandboxName();
      const workspace = path.join(this.workspaces, name);
      const made = await mkdir(workspace).then(
        () => true,
        (error: NodeJS.ErrnoException) => {
          if (error.code === 'EEXIST') return false;
          throw new SandboxError('Your sandbox could not start', `mkdir ${workspace}: ${error.message}`, {
            cause: error,
          });
        },
      );
      if (made) return { name, workspace };
    }
  }

  /** The bpf/ build output, mounted when it has been built. */
  private async tools(): Promise<string | null> {
    const built = await stat(this.toolsSource).then(
      (s) => s.isDirectory(),
      () => false,
    );
    return built ? this.toolsSource : null;
  }

  /**
   * Sandboxes of a server that died without disposing them: kill, salvage the home of each
   * workspace still mounted (the session layer gives it to the learner who held that sandbox),
   * then remove.
   */
  private async reclaimLeftovers(): Promise<void> {
    for (const cgroup of await SandboxCgroup.leftovers(this.layout, isSandboxName)) {
      await cgroup.kill();
      await cgroup.remove();
    }
    const limit = homeArchiveLimit(this.config.BPFLAB_SANDBOX_DISK_MB * 1024 * 1024);
    for (const entry of await readdir(this.workspaces)) {
      if (!isSandboxName(entry)) continue;
      const workspace = path.join(this.workspaces, entry);
      if (await isWorkspaceMounted(workspace)) {
        const salvaged = await packWorkspace(workspace, salvagedHomePath(this.dataDir, entry), limit);
        if (!salvaged.kept)
          console.warn(`bpflab: the home in ${workspace} was not salvaged: ${salvaged.why}`);
      }
      await removeWorkspace(workspace);
    }
  }
}

async function requireTools(): Promise<void> {
  const missing: string[] = [];
  for (const tool of REQUIRED_TOOLS) {
    await promisify(execFile)('sh', ['-c', `command -v ${tool}`]).catch(() => missing.push(tool));
  }
  if (missing.length > 0) {
    throw new Error(
      `bpflab: the local driver needs ${missing.join(', ')} on PATH (util-linux, findutils, iproute2, bash)`,
    );
  }
}
