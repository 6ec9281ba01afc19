/**
 * The server under measurement and its learners, for the bench modules: a production server
 * started as `npm start` starts it (e2e/fixtures/production-server.ts), what it costs read from
 * /proc (the server process's CPU time and resident memory) and from cgroup v2 (the CPU time of
 * its sandboxes: every process the server starts for a sandbox runs in the sandbox's cgroup), and
 * learners that connect and press Check as a page does.
 */
import { readdir, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { type ProductionServer, startProductionServer } from '../e2e/fixtures/production-server.js';
import { LabCatalog } from '../server/labs/catalog.js';
import { repoLabPaths } from '../server/labs/loader.js';
import type { CheckReply } from '../server/protocol/lab.js';
import { EVENT_LIMITS } from '../server/realtime/rate-limit.js';
import { cgroupMounts, sandboxGroupName } from '../server/sandbox/local/cgroup-layout.js';
import { startTestDriver } from '../server/sandbox/local/itest-support.js';
import { type ClientSocket, connected, connectSocket, newLearner } from '../server/testing/harness.js';
import { requestWithin, TerminalScreen } from '../server/testing/socket-client.js';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..');

/** The kernel's clock tick (USER_HZ), in which /proc reports CPU time: 100 on every Linux ABI. */
const TICKS_PER_SECOND = 100;

export interface MeasuredServer {
  server: ProductionServer;
  /** The node process that runs server/main.ts (tsx starts it as a child of its own). */
  pid: number;
  /** CPU time (user + system) of the server process so far, in ms. */
  cpuMs(): Promise<number>;
  /** CPU time of every sandbox of this server so far, in ms (the cgroup group's usage). */
  sandboxCpuMs(): Promise<number>;
  /** Resident memory of the server process, in MiB. */
  rssMiB(): Promise<number>;
  /** Proportional memory (PSS: shared pages split among their users) of every sandbox process, in MiB. */
  sandboxPssMiB(): Promise<number>;
  /** A new learner (a first visit's cookie) with a connected socket, as a page opens it. */
  learner(): Promise<ClientSocket>;
  stop(): Promise<void>;
}

export async function startMeasuredServer(env: Record<string, string> = {}): Promise<MeasuredServer> {
  const server = await startProductionServer(env);
  try {
    const pid = await serverPid(server.dataDir);
    const cgroup = await sandboxCgroup(server.dataDir);
    const sockets: ClientSocket[] = [];
    return {
      server,
      pid,
      cpuMs: () => processCpuMs(pid),
      sandboxCpuMs: async () => {
        const stat = await readFile(path.join(cgroup, 'cpu.stat'), 'utf8').catch(() => '');
        return Number(/^usage_usec (\d+)/m.exec(stat)?.[1] ?? 0) / 1000;
      },
      rssMiB: () => rssMiB(pid),
      sandboxPssMiB: () => pssOfCgroup(path.basename(cgroup)),
      async learner() {
        const cookie = await newLearner(server.url);
        const socket = await connected(connectSocket(server.url, { cookie, origin: server.url }));
        sockets.push(socket);
        return socket;
      },
      async stop() {
        for (const socket of sockets) socket.disconnect();
        await server.stop();
      },
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/** The deepest process whose command runs server/main.ts with this data dir in its environment. */
async function serverPid(dataDir: string): Promise<number> {
  const matches = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (!cmdline.includes('server/main.ts')) continue;
    const environ = await readFile(`/proc/${entry}/environ`, 'utf8').catch(() => '');
    if (!environ.split('\0').includes(`BPFLAB_DATA_DIR=${dataDir}`)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
    matches.set(Number(entry), Number(stat.split(') ')[1]!.split(' ')[1]));
  }
  const parents = new Set(matches.values());
  const leaf = [...matches.keys()].find((pid) => !parents.has(pid));
  if (leaf === undefined) throw new Error(`no server process for ${dataDir}`);
  return leaf;
}

/** The cgroup v2 directory the local driver puts this data dir's sandboxes under. */
async function sandboxCgroup(dataDir: string): Promise<string> {
  const v2 = cgroupMounts(await readFile('/proc/self/mountinfo', 'utf8')).find((m) => m.type === 'cgroup2');
  if (!v2) throw new Error('no cgroup v2 hierarchy: sandbox CPU cannot be read');
  return path.join(v2.point, sandboxGroupName(await realpath(dataDir)));
}

export async function processCpuMs(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of stat, 12 and 13 after "pid (comm) ".
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

export async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? Number.NaN) / 1024;
}

/**
 * A learner as a lesson page makes one: the lab opened and a shell at its prompt in their terminal,
 * which also means their sandbox is up (opening a lab only starts it).
 */
export async function learnerAtLab(site: MeasuredServer, labId: string): Promise<ClientSocket> {
  const socket = await site.learner();
  const opened = await requestWithin(socket, 60_000, 'lab:open', { labId });
  if (!opened.ok) throw new Error(`lab:open ${labId}: ${opened.error}`);
  const screen = await TerminalScreen.open(socket);
  await screen.waitFor('#', 60_000);
  return socket;
}

/** PSS of every process in cgroup v2 group `group` (or below it), in MiB. */
async function pssOfCgroup(group: string): Promise<number> {
  let kib = 0;
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cgroups = await readFile(`/proc/${entry}/cgroup`, 'utf8').catch(() => '');
    if (!cgroups.split('\n').some((line) => line.startsWith(`0::/${group}/`))) continue;
    const rollup = await readFile(`/proc/${entry}/smaps_rollup`, 'utf8').catch(() => '');
    kib += Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0);
  }
  return kib / 1024;
}

/** A lab's editable files as its solution has them (path → content). */
export async function solutionFiles(labId: string): Promise<Record<string, string>> {
  const catalog = new LabCatalog(repoLabPaths(REPO_ROOT));
  const found = await catalog.get(labId);
  if (!found.ok) throw new Error(found.error);
  const files = await catalog.files(found.lab, 'solution');
  return Object.fromEntries(files.filter((f) => !f.readonly).map((f) => [f.path, f.content]));
}

/**
 * The least time between two Checks, or two keys, of one learner that the server's rate limits
 * (server/realtime/rate-limit.ts) let through once a burst is spent, with a little to spare.
 */
export const CHECK_SPACING_MS = (1000 / EVENT_LIMITS.grades.ratePerSecond) * 1.05;
export const KEY_SPACING_MS = (1000 / EVENT_LIMITS.keys.ratePerSecond) * 1.25;

/** Resolves once `spacingMs` passed since the previous call for the same `key`. */
export function pacer(spacingMs: number): (key: object) => Promise<void> {
  const last = new WeakMap<object, number>();
  return async (key) => {
    const wait = (last.get(key) ?? Number.NEGATIVE_INFINITY) + spacingMs - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    last.set(key, performance.now());
  };
}

const checkPace = pacer(CHECK_SPACING_MS);

/**
 * A Check as a page sends it, no sooner after the same learner's previous one than the server
 * allows: its reply and its round trip (from sending, after that wait); rejects unless graded.
 */
export async function check(
  socket: ClientSocket,
  labId: string,
  files: Record<string, string>,
  timeoutMs = 120_000,
): Promise<{ reply: CheckReply; ms: number }> {
  await checkPace(socket);
  const started = performance.now();
  const reply = await requestWithin(socket, timeoutMs, 'lab:check', { labId, files });
  if (!reply.ok) throw new Error(`lab:check ${labId} refused: ${reply.error}`);
  return { reply: reply.value, ms: performance.now() - started };
}

/** Throws unless the grade is full marks: a figure of a failing Check would measure something else. */
export function expectFullMarks(reply: CheckReply, what: string): void {
  const { grade } = reply;
  if (grade.score !== grade.maxScore)
    throw new Error(`${what}: ${grade.score}/${grade.maxScore}: ${grade.message}\n${grade.log.slice(-2000)}`);
}

/** `files` with a comment appended to each: the same program, but source the compiler has not seen. */
export function variant(files: Record<string, string>, tag: string): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([p, c]) => [p, `${c}\n// ${tag}\n`]));
}

/**
 * The local driver on a fresh data directory, without a server: for the floors that measure a
 * sandbox alone. Its shared-kernel banner is not printed into the bench's output.
 */
export async function startBareDriver(env: Record<string, string> = {}): ReturnType<typeof startTestDriver> {
  const quiet = console.warn;
  console.warn = () => {};
  try {
    return await startTestDriver(env);
  } finally {
    console.warn = quiet;
  }
}
