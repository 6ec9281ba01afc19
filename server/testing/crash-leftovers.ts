/**
 * What a bpflab server that died may have left on the host, seen from outside it (through /proc,
 * cgroupfs, mountinfo and bpftool, not through the driver that is supposed to reclaim it): its
 * processes, its sandboxes' cgroups, workspaces and mounts, and the BPF objects its runners held.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { cgroupsNamed } from '../sandbox/local/itest-support.js';

const run = promisify(execFile);

export interface HostProcess {
  pid: number;
  pgid: number;
  comm: string;
  cmdline: string;
  cgroups: string;
}

export async function hostProcesses(): Promise<HostProcess[]> {
  const found: HostProcess[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const [stat, cmdline, cgroups] = await Promise.all(
      ['stat', 'cmdline', 'cgroup'].map((f) => readFile(`/proc/${entry}/${f}`, 'utf8').catch(() => '')),
    );
    if (!stat) continue;
    // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses.
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const [state, , pgid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (state === 'Z') continue;
    found.push({
      pid: Number(entry),
      pgid: Number(pgid),
      comm,
      cmdline: cmdline!.replaceAll('\0', ' '),
      cgroups: cgroups!,
    });
  }
  return found;
}

export interface DeadServer {
  pid: number;
  /** The sandboxes it had (names of its workspaces). */
  sandboxes: string[];
}

/** Processes of `dead`: its process group, its trace readers, and those in or naming its sandboxes (QEMU too). */
export async function orphansOf(dead: DeadServer): Promise<HostProcess[]> {
  const ofSandbox = (p: HostProcess) =>
    dead.sandboxes.some((name) => p.cgroups.includes(`/${name}\n`) || p.cmdline.includes(name));
  return (await hostProcesses()).filter(
    (p) =>
      p.pid !== process.pid &&
      (p.pgid === dead.pid || p.cmdline.startsWith(`bpflab-trace-reader:${dead.pid} `) || ofSandbox(p)),
  );
}

/** Cgroup directories, workspaces and workspace mounts of `names` still on the host. */
export async function sandboxRemains(dataDir: string, names: string[]): Promise<string[]> {
  const workspaces = path.join(dataDir, 'workspaces');
  const present = new Set(await readdir(workspaces).catch(() => []));
  const mounts = await readFile('/proc/self/mountinfo', 'utf8');
  const remains: string[] = [];
  for (const name of names) {
    remains.push(...(await cgroupsNamed(name)));
    const dir = path.join(workspaces, name);
    if (present.has(name)) remains.push(dir);
    if (mounts.includes(` ${dir} `)) remains.push(`mount on ${dir}`);
  }
  return remains;
}

export interface BpfIds {
  programs: number[];
  maps: number[];
}

/** The BPF programs and maps a live process holds file descriptors of. */
export async function bpfObjectsHeldBy(pid: number): Promise<BpfIds> {
  const held: BpfIds = { programs: [], maps: [] };
  for (const fd of await readdir(`/proc/${pid}/fd`).catch(() => [])) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    if (!target.startsWith('anon_inode:bpf-')) continue;
    const info = await readFile(`/proc/${pid}/fdinfo/${fd}`, 'utf8').catch(() => '');
    const prog = /^prog_id:\s*(\d+)/m.exec(info);
    const map = /^map_id:\s*(\d+)/m.exec(info);
    if (prog) held.programs.push(Number(prog[1]));
    else if (map) held.maps.push(Number(map[1]));
  }
  return held;
}

/** Which of `ids` the kernel still lists, looked at again for `settleMs` (frees may lag an RCU period). */
export async function stillLoaded(ids: BpfIds, settleMs = 2_000): Promise<BpfIds> {
  const until = performance.now() + settleMs;
  for (;;) {
    const [programs, maps] = await Promise.all(
      (['prog', 'map'] as const).map(async (kind) => {
        const { stdout } = await run('bpftool', ['--json', kind, 'show'], { maxBuffer: 64 << 20 });
        return new Set((JSON.parse(stdout || '[]') as { id: number }[]).map((o) => o.id));
      }),
    );
    const left = {
      programs: ids.programs.filter((id) => programs!.has(id)),
      maps: ids.maps.filter((id) => maps!.has(id)),
    };
    if (left.programs.length + left.maps.length === 0 || performance.now() > until) return left;
    await new Promise((r) => setTimeout(r, 100));
  }
}
