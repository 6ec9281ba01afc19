/**
 * Crash safety: a real server process is killed with SIGKILL in the middle of a Check, with the
 * runner's program loaded and the workload running, and another server is started on the same
 * data dir and port. Nothing of the dead server may survive the restart (processes, trace readers,
 * cgroups, workspaces and their mounts, BPF programs and maps), nothing it committed may be lost,
 * and the learner's page reconnects to a working session. Looked at from outside the server, with
 * /proc, cgroupfs and bpftool. The local driver, one learner (no shared-kernel opt-in).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LabProgressEvent, LabView } from '../protocol/lab.js';
import { cannotRunLocalDriver, REPO_ROOT } from '../sandbox/local/itest-support.js';
import { hostRunner } from '../sandbox/tools-tree.js';
import {
  type BpfIds,
  bpfObjectsHeldBy,
  orphansOf,
  sandboxRemains,
  stillLoaded,
} from '../testing/crash-leftovers.js';
import { type ClientSocket, connected, connectSocket, newLearner } from '../testing/harness.js';
import { helloExecveSolution, sandboxCgroupId, stoppingWorkload } from '../testing/offending-programs.js';
import { type ServerProcess, startServerProcess } from '../testing/server-process.js';
import { expectOk, requestWithin, TerminalScreen } from '../testing/socket-client.js';

const skipReason =
  cannotRunLocalDriver() ?? (existsSync(hostRunner(REPO_ROOT)) ? null : 'the lab toolchain is not built');
const LAB = 'hello-execve';

type Progress = { labs: Record<string, { attempts: number; bestScore: number; maxScore: number }> };

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function progressOf(url: string, cookie: string): Promise<Progress> {
  const response = await fetch(`${url}/api/progress`, { headers: { cookie } });
  expect(response.status).toBe(200);
  return (await response.json()) as Progress;
}

const check = (socket: ClientSocket, code: string) =>
  requestWithin(socket, 120_000, 'lab:check', { labId: LAB, files: { 'hello.bpf.c': code } });

describe.skipIf(skipReason !== null)(
  `crash safety: kill -9 mid-Check, restart${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    const servers: ServerProcess[] = [];
    let dataDir = '';

    afterAll(async () => {
      for (const server of servers) await server.stop();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    });

    it('loses no record, leaves nothing behind, and the page reconnects to a working session', async () => {
      // Outside /tmp: a sandbox has a /tmp of its own.
      dataDir = await mkdtemp('/var/tmp/bpflab-crash-');
      const env = {
        HOST: '127.0.0.1',
        PORT: String(await freePort()),
        BPFLAB_DATA_DIR: dataDir,
        BPFLAB_DRIVER: 'local',
        NODE_ENV: 'production',
      };
      const first = await startServerProcess(env);
      servers.push(first);
      const cookie = await newLearner(first.url);
      const socket = await connected(connectSocket(first.url, { cookie, origin: first.url }));

      // A graded Check, committed to the database before the crash.
      await expectOk(socket.timeout(30_000).emitWithAck('lab:open', { labId: LAB }));
      const solution = await helloExecveSolution();
      const { grade: graded } = await expectOk(check(socket, solution));
      expect(graded.score, graded.message).toBe(graded.maxScore);
      const committed = await progressOf(first.url, cookie);
      expect(committed.labs[LAB]?.attempts).toBe(1);

      // Another Check whose program stops the workload, so it is certain to be caught mid-run.
      const workspaces = path.join(dataDir, 'workspaces');
      const names = await readdir(workspaces);
      const hasLab = async (name: string) => existsSync(path.join(workspaces, name, 'labs', LAB));
      const learnerSandbox = (await Promise.all(names.map(hasLab))).findIndex(Boolean);
      expect(learnerSandbox).toBeGreaterThanOrEqual(0);
      const stopping = stoppingWorkload(solution, await sandboxCgroupId(names[learnerSandbox]!));
      const workloadRunning = new Promise<void>((resolve) =>
        socket.on('lab:progress', (p: LabProgressEvent) => {
          if (p.stage === 'workload' && p.status === 'running') resolve();
        }),
      );
      const unanswered = check(socket, stopping).catch(() => null);
      await workloadRunning;
      await new Promise((r) => setTimeout(r, 500));

      // The state at the crash: the runner, what it holds in the kernel, the sandboxes.
      const sandboxes = await readdir(workspaces);
      const dead = { pid: first.pid, sandboxes };
      const runners = (await orphansOf(dead)).filter((p) => p.comm === 'bpflab-runner');
      expect(runners).toHaveLength(1);
      const loaded: BpfIds = await bpfObjectsHeldBy(runners[0]!.pid);
      expect(loaded.programs).toHaveLength(1);
      expect(loaded.maps.length).toBeGreaterThan(0);
      await first.crash();
      socket.disconnect();
      expect(await unanswered).toBeNull();
      const leftByCrash = await orphansOf(dead);
      const remainsByCrash = await sandboxRemains(dataDir, sandboxes);

      const second = await startServerProcess(env);
      servers.push(second);

      const orphans = await orphansOf(dead);
      const remains = await sandboxRemains(dataDir, sandboxes);
      const bpfLeft = await stillLoaded(loaded);
      const after = await progressOf(second.url, cookie);

      // The page reconnects with its cookie: the lab opens with its progress and last saved code.
      const again = await connected(connectSocket(second.url, { cookie, origin: second.url }));
      const view = await expectOk<LabView>(again.timeout(30_000).emitWithAck('lab:open', { labId: LAB }));
      const screen = await TerminalScreen.open(again);
      screen.type('echo back-$((6 * 7))\r');
      await screen.waitFor('back-42', 15_000);
      again.disconnect();

      const recordsLost =
        committed.labs[LAB]!.attempts -
        (after.labs[LAB]?.attempts ?? 0) +
        (view.files.find((f) => f.path === 'hello.bpf.c')?.content === stopping ? 0 : 1);
      console.log(
        'crash figures:',
        JSON.stringify({
          faultsInjected: 1,
          atCrash: {
            runnerPrograms: loaded.programs.length,
            runnerMaps: loaded.maps.length,
            sandboxes: sandboxes.length,
            processesLeftByCrash: leftByCrash.length,
            traceReadersLeftByCrash: leftByCrash.filter((p) => p.cmdline.startsWith('bpflab-trace-reader:'))
              .length,
            cgroupsWorkspacesMountsLeftByCrash: remainsByCrash.length,
          },
          recordsLost,
          orphansAfterRestart:
            orphans.length + remains.length + bpfLeft.programs.length + bpfLeft.maps.length,
          restartMs: second.startMs,
        }),
      );
      expect(orphans.map((p) => `${p.pid} ${p.comm}: ${p.cmdline}`)).toEqual([]);
      expect(remains).toEqual([]);
      expect(bpfLeft).toEqual({ programs: [], maps: [] });
      expect(after.labs[LAB]).toEqual(committed.labs[LAB]);
      expect(view.progress).toMatchObject({ attempts: 1, passed: true });
      expect(recordsLost).toBe(0);
    });
  },
);
