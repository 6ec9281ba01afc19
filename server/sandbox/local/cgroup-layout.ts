/**
 * Where this host can put local sandboxes in cgroups, found once when the driver starts.
 *
 * Each limit is enforced by the best mechanism the host has: a cgroup v2 controller, else the
 * cgroup v1 hierarchy of that controller, else an rlimit (memory only: root ignores
 * RLIMIT_NPROC, so a host without a pids controller cannot contain a fork bomb, and says so).
 * A v2 hierarchy without controllers (hybrid hosts, like a Debian VM with v1 controllers) is
 * still used for membership, because `cgroup.kill` there kills a whole sandbox in one write.
 *
 * - v2 sandboxes live in `<v2 root>/<group>/<name>`: a non-root cgroup that holds processes
 *   cannot give controllers to children, and the server's own cgroup usually holds processes.
 * - v1 sandboxes live below the server's own cgroup of each hierarchy (v1 has no such rule), so
 *   whatever accounting the operator set up for the server also covers its sandboxes.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const CONTROLLERS = ['pids', 'memory', 'cpu'] as const;
export type Controller = (typeof CONTROLLERS)[number];

export type Enforcement = 'cgroup v2' | 'cgroup v1' | 'rlimit' | 'none';

export interface CgroupLayout {
  /** The directory for this server's sandboxes in the v2 hierarchy, when there is one. */
  v2Parent: string | null;
  /** Per controller, the parent directory for sandboxes, and which hierarchy it is in. */
  controllers: Record<Controller, { version: 'v2' | 'v1'; parent: string } | null>;
}

interface Mount {
  root: string;
  point: string;
  type: string;
  superOptions: string[];
}

/** Parse `/proc/self/mountinfo` lines for cgroup filesystems. */
export function cgroupMounts(mountinfo: string): Mount[] {
  const mounts: Mount[] = [];
  for (const line of mountinfo.split('\n')) {
    const [before, after] = line.split(' - ');
    if (!before || !after) continue;
    const fields = before.split(' ');
    const [type, , superOptions = ''] = after.split(' ');
    if (type !== 'cgroup' && type !== 'cgroup2') continue;
    mounts.push({
      root: unescapeMount(fields[3] ?? '/'),
      point: unescapeMount(fields[4] ?? ''),
      type,
      superOptions: superOptions.split(','),
    });
  }
  return mounts;
}

/** Parse `/proc/self/cgroup` into hierarchy key (`''` for v2, else its controllers) → path. */
export function ownCgroups(procCgroup: string): Map<string, string> {
  const own = new Map<string, string>();
  for (const line of procCgroup.split('\n')) {
    const match = /^\d+:([^:]*):(.*)$/.exec(line);
    if (match) own.set(match[1] as string, match[2] as string);
  }
  return own;
}

/** The directory of cgroup path `cgPath` under a mount whose root is `mount.root`. */
function dirOf(mount: Mount, cgPath: string): string {
  const rel = mount.root !== '/' && cgPath.startsWith(mount.root) ? cgPath.slice(mount.root.length) : cgPath;
  return path.join(mount.point, rel);
}

/**
 * The cgroup group of the server whose data dir is `dataReal` (its real path): one per data dir,
 * so servers with different data dirs never touch each other's sandboxes. The benchmarks read the
 * group's CPU use from it.
 */
export function sandboxGroupName(dataReal: string): string {
  return `bpflab-${createHash('sha256').update(dataReal).digest('hex').slice(0, 8)}`;
}

export async function discoverCgroupLayout(group: string): Promise<CgroupLayout> {
  const mounts = cgroupMounts(await readFile('/proc/self/mountinfo', 'utf8'));
  const own = ownCgroups(await readFile('/proc/self/cgroup', 'utf8'));
  const layout: CgroupLayout = { v2Parent: null, controllers: { pids: null, memory: null, cpu: null } };

  const v2 = mounts.find((m) => m.type === 'cgroup2');
  if (v2) {
    const hierarchyRoot = dirOf(v2, v2.root);
    const parent = path.join(hierarchyRoot, group);
    await mkdir(parent, { recursive: true });
    layout.v2Parent = parent;
    const offered = (await readFile(path.join(hierarchyRoot, 'cgroup.controllers'), 'utf8')).split(/\s+/);
    for (const controller of CONTROLLERS) {
      if (offered.includes(controller) && (await delegate(hierarchyRoot, parent, controller))) {
        layout.controllers[controller] = { version: 'v2', parent };
      }
    }
  }

  for (const controller of CONTROLLERS) {
    if (layout.controllers[controller]) continue;
    const mount = mounts.find((m) => m.type === 'cgroup' && m.superOptions.includes(controller));
    const ownPath = [...own].find(([key]) => key.split(',').includes(controller))?.[1];
    if (!mount || ownPath === undefined) continue;
    const parent = path.join(dirOf(mount, ownPath), group);
    await mkdir(parent, { recursive: true });
    layout.controllers[controller] = { version: 'v1', parent };
  }
  return layout;
}

/** Give `controller` to the children of `parent`; false when the host does not let us. */
async function delegate(hierarchyRoot: string, parent: string, controller: Controller): Promise<boolean> {
  try {
    await writeFile(path.join(hierarchyRoot, 'cgroup.subtree_control'), `+${controller}`);
    await writeFile(path.join(parent, 'cgroup.subtree_control'), `+${controller}`);
    return true;
  } catch {
    return false;
  }
}

/** Remove this server's (empty) parent cgroups, on shutdown; ones still in use stay. */
export async function removeCgroupLayout(layout: CgroupLayout): Promise<void> {
  const parents = new Set([layout.v2Parent, ...Object.values(layout.controllers).map((c) => c?.parent)]);
  for (const parent of parents) {
    if (parent) await rmdir(parent).catch(() => {});
  }
}

/** How each limit is enforced on this host, for the start-up log and the integration tests. */
export function enforcement(layout: CgroupLayout): Record<Controller, Enforcement> {
  const how = (c: Controller): Enforcement => {
    const found = layout.controllers[c];
    if (found) return found.version === 'v2' ? 'cgroup v2' : 'cgroup v1';
    return c === 'memory' ? 'rlimit' : 'none';
  };
  return { pids: how('pids'), memory: how('memory'), cpu: how('cpu') };
}

/** mountinfo escapes space, tab, newline and backslash as octal. */
function unescapeMount(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}
