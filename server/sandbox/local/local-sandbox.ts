/**
 * One local sandbox: namespaces held by its init, cgroups, and a workspace (a tmpfs mounted on the
 * host) that is the learner's home (`/root`) inside. Everything it runs goes through
 * `SandboxNamespaces.command`, so it runs in the namespaces, cgroups and rlimits.
 */
import type { KernelFeatures } from '../../protocol/kernel-features.js';
import { type HomeKept, type HomeRestored, unpackHomeArchive } from '../home-archive.js';
import { runHostCommand, startHostCommand } from '../host-process.js';
import { type SandboxPty, spawnPty } from '../pty.js';
import {
  type ExecOptions,
  type ExecResult,
  type Sandbox,
  SandboxError,
  type SandboxProcess,
  type TerminalOptions,
  TOOLS_DIR,
  type WorkspaceFile,
} from '../types.js';
import { insideWorkspace } from '../workspace-path.js';
import type { SandboxNamespaces } from './namespaces.js';
import type { SandboxCgroup } from './sandbox-cgroup.js';
import type { WorkspaceFiles } from './workspace-files.js';
import { packWorkspace, removeWorkspace } from './workspace-mount.js';

/** The learner's home inside a local sandbox; processes there run as root. */
export const SANDBOX_HOME = '/root';

/** The whole environment of a sandbox process: nothing of the server's (its secrets) leaks in. */
export function sandboxEnv(name: string): Record<string, string> {
  return {
    PATH: `${TOOLS_DIR}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
    HOME: SANDBOX_HOME,
    USER: 'root',
    LOGNAME: 'root',
    SHELL: '/bin/bash',
    LANG: 'C.UTF-8',
    BPFLAB_SANDBOX: name,
    BPFLAB_TOOLS_DIR: TOOLS_DIR,
  };
}

export interface LocalSandboxParts {
  namespaces: SandboxNamespaces;
  cgroup: SandboxCgroup;
  /** The workspace directory on the host. */
  workspace: string;
  files: WorkspaceFiles;
  probe(sandbox: Sandbox): Promise<KernelFeatures>;
  /** Tells the driver this sandbox is gone. */
  disposed(sandbox: LocalSandbox): void;
}

export class LocalSandbox implements Sandbox {
  readonly driver = 'local' as const;
  private disposing: Promise<void> | null = null;

  constructor(
    readonly name: string,
    private readonly parts: LocalSandboxParts,
  ) {}

  async exec(argv: string[], opts: ExecOptions): Promise<ExecResult> {
    return runHostCommand(this.command(argv, opts), opts);
  }

  spawn(argv: string[], opts: Omit<ExecOptions, 'input'>): SandboxProcess {
    return startHostCommand(this.command(argv, opts), opts);
  }

  openTerminal(opts: TerminalOptions): SandboxPty {
    const command = this.command(['bash', '--login'], { env: { TERM: 'xterm-256color' } });
    return spawnPty(command.file, command.args, {
      name: 'xterm-256color',
      cols: opts.cols,
      rows: opts.rows,
      cwd: '/',
      env: command.env,
    });
  }

  async writeFile(relPath: string, content: string | Buffer): Promise<void> {
    this.assertUsable();
    return this.parts.files.write(relPath, content);
  }

  async writeFiles(files: readonly WorkspaceFile[]): Promise<void> {
    this.assertUsable();
    for (const f of files) await this.parts.files.write(f.path, f.content, f.executable);
  }

  async readFile(relPath: string): Promise<Buffer> {
    this.assertUsable();
    return this.parts.files.read(relPath);
  }

  async features(): Promise<KernelFeatures> {
    this.assertUsable();
    return this.parts.probe(this);
  }

  /** False once its init has gone (killed from the host); such a sandbox can only be disposed. */
  get alive(): boolean {
    return !this.disposing && this.parts.namespaces.alive;
  }

  /** The namespace identities, for tests that prove nothing of them outlives dispose(). */
  namespaceIdentities(): Promise<Record<string, string>> {
    return this.parts.namespaces.identities();
  }

  /** The host pids of every process in the sandbox. */
  pids(): Promise<number[]> {
    return this.parts.cgroup.pids();
  }

  dispose(): Promise<void> {
    this.disposing ??= this.teardown();
    return this.disposing;
  }

  restoreHome(archive: string): Promise<HomeRestored> {
    return unpackHomeArchive((argv, opts) => this.exec(argv, opts), archive);
  }

  /** Packs the workspace from the host after every process of the sandbox is dead. */
  async disposeKeepingHome(archive: string, maxBytes: number): Promise<HomeKept> {
    if (this.disposing) {
      await this.disposing.catch(() => {});
      return { kept: false, why: `sandbox ${this.name} was already disposed` };
    }
    let kept: HomeKept = { kept: false, why: `sandbox ${this.name}: its processes survived SIGKILL` };
    this.disposing = this.teardown(async (workspace) => {
      kept = await packWorkspace(workspace, archive, maxBytes);
    });
    await this.disposing;
    return kept;
  }

  /** `beforeRemoval` sees the workspace once nothing in the sandbox runs any more. */
  private async teardown(beforeRemoval?: (workspace: string) => Promise<void>): Promise<void> {
    const { namespaces, cgroup, workspace } = this.parts;
    // Killing the init takes the pid namespace with it; the cgroup catches the rest (the host
    // side of each nsenter, anything that raced the kill).
    await namespaces.stop();
    const emptied = await cgroup.kill();
    this.parts.disposed(this);
    if (!emptied) {
      throw new Error(`sandbox ${this.name}: processes ${(await cgroup.pids()).join(' ')} survived SIGKILL`);
    }
    await beforeRemoval?.(workspace);
    // The workspace first: its tmpfs pages are charged to the sandbox's memory cgroup.
    await removeWorkspace(workspace);
    await cgroup.remove();
  }

  private command(argv: string[], opts: Pick<ExecOptions, 'cwd' | 'env'>) {
    this.assertUsable();
    if (argv.length === 0) throw new Error('exec needs a command');
    const cwd = insideWorkspace(SANDBOX_HOME, opts.cwd ?? '');
    return this.parts.namespaces.command(argv, cwd, { ...sandboxEnv(this.name), ...opts.env }, () =>
      this.parts.cgroup.pids(),
    );
  }

  private assertUsable(): void {
    if (this.disposing)
      throw new SandboxError('Your sandbox has been stopped', `sandbox ${this.name} is disposed`);
    if (!this.parts.namespaces.alive) {
      throw new SandboxError(
        'Your sandbox stopped unexpectedly',
        `sandbox ${this.name}: its init has exited`,
      );
    }
  }
}
