/**
 * The root file system of a local sandbox, as one fstab that the sandbox's init hands to a single
 * `mount -a` (one process for some thirty mounts: a sandbox starts several times faster than with
 * a `mount` per entry). The init mounts a small tmpfs at `root`, mounts this table, pivots into it
 * and detaches the host's root, so nothing of the host is reachable but what is listed here.
 */
import { lstat } from 'node:fs/promises';

/** The host's system directories a sandbox sees, read-only. */
const SYSTEM_DIRS = ['usr', 'bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32', 'etc'];
/** Device nodes and links copied from the host's /dev into the sandbox's own. */
export const DEVICES = [
  'null',
  'zero',
  'full',
  'random',
  'urandom',
  'tty',
  'ptmx',
  'fd',
  'stdin',
  'stdout',
  'stderr',
];
/** Machine-wide knobs under /proc that root may write by file mode alone. */
const PROC_READ_ONLY = ['sys', 'sysrq-trigger', 'irq', 'bus', 'fs'];

export interface HostLayout {
  /** Top-level system directories that are directories on the host, to bind. */
  dirs: string[];
  /** Top-level system directories that are symlinks on the host (merged /usr), to copy as links. */
  links: string[];
  /** Present when the kernel has uprobes: the PMU to hide and the tracefs file to keep writable. */
  uprobes: boolean;
  /** The entries of PROC_READ_ONLY this kernel has. */
  procKnobs: string[];
}

export interface RootSpec {
  /** Where the init mounts the new root (in its own mount namespace). */
  root: string;
  /** Host directory bound at `home`. */
  workspace: string;
  home: string;
  toolsSource: string | null;
  toolsDir: string;
  /** Size of /tmp, /var/tmp and /dev/shm each. */
  tmpBytes: number;
  /** Host paths under /etc that read as empty inside. */
  etcSecrets: { path: string; directory: boolean }[];
  host: HostLayout;
}

export async function hostLayout(): Promise<HostLayout> {
  const kind = async (path: string) => (await lstat(path).catch(() => null)) ?? null;
  const dirs: string[] = [];
  const links: string[] = [];
  for (const dir of SYSTEM_DIRS) {
    const found = await kind(`/${dir}`);
    if (found?.isSymbolicLink()) links.push(dir);
    else if (found?.isDirectory()) dirs.push(dir);
  }
  const uprobes =
    (await kind('/sys/devices/uprobe')) !== null &&
    (await kind('/sys/kernel/tracing/uprobe_events')) !== null;
  const procKnobs: string[] = [];
  for (const knob of PROC_READ_ONLY) if (await kind(`/proc/${knob}`)) procKnobs.push(knob);
  return { dirs, links, uprobes, procKnobs };
}

/** The fstab of the sandbox's root, in mount order; every target is under `spec.root`. */
export function rootFstab(spec: RootSpec): string {
  const at = (path: string) => `${spec.root}${path}`;
  const mkdir = 'X-mount.mkdir';
  const tmpfs = (name: string, path: string, options: string) =>
    entry(`bpflab-${name}`, at(path), 'tmpfs', `${options},${mkdir}`);
  const readOnlyBind = (source: string, path: string, extra = '') =>
    entry(source, at(path), 'none', `bind,ro,nosuid,nodev${extra}`);
  const hidden = (path: string, mode: string) =>
    entry('bpflab-hidden', at(path), 'tmpfs', `ro,nosuid,nodev,noexec,mode=${mode},size=4k`);
  const tmp = `nosuid,nodev,mode=1777,size=${spec.tmpBytes}`;

  const lines = [
    ...spec.host.dirs.map((dir) => readOnlyBind(`/${dir}`, `/${dir}`, `,${mkdir}`)),
    // Secrets read as empty: a directory gets an empty tmpfs, a file an empty file (the bind
    // keeps that file alive after the init removes its name).
    ...spec.etcSecrets.map(({ path, directory }) =>
      directory ? hidden(path, '0') : readOnlyBind(at('/.empty'), path),
    ),
    ...(spec.toolsSource ? [readOnlyBind(spec.toolsSource, spec.toolsDir, `,${mkdir}`)] : []),
    entry(spec.workspace, at(spec.home), 'none', `bind,${mkdir}`),
    tmpfs('tmp', '/tmp', tmp),
    tmpfs('var-tmp', '/var/tmp', tmp),
    // A /dev of a few devices (copied in by the init), not the host's devtmpfs: no disks.
    tmpfs('dev', '/dev', 'nosuid,noexec,mode=0755,size=64k'),
    entry(
      'bpflab-devpts',
      at('/dev/pts'),
      'devpts',
      `newinstance,nosuid,noexec,mode=0620,ptmxmode=0666,${mkdir}`,
    ),
    tmpfs('shm', '/dev/shm', tmp),
    // sysfs of the sandbox's own network namespace (a superblock of its own, so read-only at
    // mount); no cgroupfs under it. A bpffs of its own: what is pinned there dies with it.
    entry('bpflab-sysfs', at('/sys'), 'sysfs', `ro,nosuid,nodev,noexec,${mkdir}`),
    entry('bpf', at('/sys/fs/bpf'), 'bpf', 'nosuid,nodev,noexec'),
    // tracefs is one per kernel: the init makes this mount read-only afterwards (a read-only
    // mount option would make the kernel's one superblock read-only for the host too).
    entry('tracefs', at('/sys/kernel/tracing'), 'tracefs', 'nosuid,nodev,noexec'),
    // Uprobes: the perf uprobe PMU needs CAP_SYS_ADMIN, tracefs' uprobe_events only a writable
    // file. Hiding the PMU makes libbpf use that file, which stays writable.
    ...(spec.host.uprobes
      ? [
          entry(
            at('/sys/kernel/tracing/uprobe_events'),
            at('/sys/kernel/tracing/uprobe_events'),
            'none',
            'bind',
          ),
          hidden('/sys/devices/uprobe', '0555'),
        ]
      : []),
    // The sandbox's pid namespace is the init's already, so this is its own proc.
    entry('proc', at('/proc'), 'proc', `nosuid,nodev,noexec,${mkdir}`),
    ...spec.host.procKnobs.map((knob) => readOnlyBind(at(`/proc/${knob}`), `/proc/${knob}`)),
  ];
  return `${lines.join('\n')}\n`;
}

function entry(source: string, target: string, type: string, options: string): string {
  return [fstabField(source), fstabField(target), type, options, '0', '0'].join(' ');
}

/** fstab fields are separated by blanks; libmount reads these octal escapes back. */
function fstabField(field: string): string {
  return field.replace(/[\s\\]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);
}
