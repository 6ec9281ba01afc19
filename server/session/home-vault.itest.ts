/**
 * The learner's home across real local sandboxes (root, namespaces, tmpfs workspaces): what a
 * learner leaves in ~ is in their next sandbox after a dispose and after a crash the driver
 * reclaims, and in nobody else's; the saved homes are out of every sandbox's reach; a home too
 * large for the workspace does not stop the next sandbox from starting. Prints the cost of
 * keeping and restoring a typical home.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { homesDir } from '../sandbox/home-archive.js';
import { cannotRunLocalDriver, startTestDriver } from '../sandbox/local/itest-support.js';
import type { Sandbox } from '../sandbox/types.js';
import { HomeVault } from './home-vault.js';

const skip = cannotRunLocalDriver();
const QUOTA_MB = 16;
const opts = { timeoutMs: 30_000, maxOutputBytes: 64 * 1024 };
const run = promisify(execFile);

/** Runs a shell line in the sandbox; its stdout, or the failure with stderr. */
async function sh(sandbox: Sandbox, line: string): Promise<{ code: number | null; out: string }> {
  const result = await sandbox.exec(['sh', '-c', line], opts);
  return { code: result.exitCode, out: `${result.stdout}${result.stderr}`.trim() };
}

/** A learner's ordinary home: three labs' files, a shell history, a script of their own. */
const TYPICAL_HOME = `mkdir -p ~/labs/hello-execve ~/labs/udp-flow-counter ~/labs/ringbuf-events ~/bin
for lab in ~/labs/*; do
  head -c 6000 /dev/urandom | base64 > "$lab/prog.bpf.c"
  head -c 3000 /dev/urandom | base64 > "$lab/loader.c"
  printf 'all:\\n\\tclang -O2 -g -target bpf -c prog.bpf.c\\n' > "$lab/Makefile"
done
seq 1 400 | sed 's/^/bpftool prog show id /' > ~/.bash_history
printf '#!/bin/sh\\necho mine\\n' > ~/bin/mine.sh && chmod 0750 ~/bin/mine.sh`;

describe.skipIf(skip !== null)(
  `the learner's home across sandboxes${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    const cleanups: (() => Promise<void>)[] = [];
    beforeAll(() => {
      vi.spyOn(console, 'warn').mockImplementation(() => {});
    });
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    async function platform(env: Record<string, string> = {}) {
      const test = await startTestDriver({
        BPFLAB_LOCAL_POOL: '0',
        BPFLAB_SANDBOX_DISK_MB: String(QUOTA_MB),
        ...env,
      });
      cleanups.push(() => test.close());
      const homes = await HomeVault.open(test.dataDir, QUOTA_MB * 1024 * 1024);
      return { ...test, homes };
    }

    it("keeps a learner's files, modes and links for their next sandbox, and for nobody else's", async () => {
      const { driver, homes } = await platform();
      const first = await driver.create({ sessionId: 'a1' });
      expect(await homes.moveIn('alice', first)).toBeNull();
      await sh(first, TYPICAL_HOME);
      await sh(first, 'echo kept > ~/notes.txt && chmod 0640 ~/notes.txt && ln -s notes.txt ~/link');
      await sh(
        first,
        'mkfifo ~/pipe && python3 -c "import socket; socket.socket(socket.AF_UNIX).bind(\'/root/sock\')" && mkdir -p ~/.bpflab/runs/n1 && echo scratch > ~/.bpflab/runs/n1/check.sh',
      );
      const packing = performance.now();
      await homes.moveOut('alice', first, 'idle');
      const packMs = performance.now() - packing;

      const plain = performance.now();
      const second = await driver.create({ sessionId: 'a2' });
      const createMs = performance.now() - plain;
      const moving = performance.now();
      const notice = await homes.moveIn('alice', second);
      const restoreMs = performance.now() - moving;
      expect(notice).toMatch(/previous one was stopped after a time without activity/);
      expect(notice).toMatch(/Kept: your home directory \(~, with ~\/labs and your lab files\)/);
      expect(
        await sh(second, 'cat ~/notes.txt; stat -c %a ~/notes.txt ~/bin/mine.sh; readlink ~/link'),
      ).toEqual({
        code: 0,
        out: 'kept\n640\n750\nnotes.txt',
      });
      expect((await sh(second, '~/bin/mine.sh && ls ~/labs')).out).toBe(
        'mine\nhello-execve\nringbuf-events\nudp-flow-counter',
      );
      // Sockets and fifos are not files a home keeps.
      expect((await sh(second, 'ls -A ~')).out.split('\n')).not.toEqual(expect.arrayContaining(['pipe']));
      expect((await sh(second, 'test -e ~/pipe || test -e ~/sock')).code).toBe(1);
      // Nor is the grader's scratch a Check cut short by a crash would leave.
      expect((await sh(second, 'test -e ~/.bpflab')).code).toBe(1);

      const other = await driver.create({ sessionId: 'b1' });
      expect(await homes.moveIn('bob', other)).toBeNull();
      // What a first command costs in a new sandbox, for comparison with the restore (also a first).
      const execing = performance.now();
      await sh(other, 'true');
      const execMs = performance.now() - execing;
      expect((await sh(other, 'test -e ~/notes.txt || test -e ~/labs/hello-execve')).code).toBe(1);

      const disposing = performance.now();
      await other.dispose();
      const disposeMs = performance.now() - disposing;

      const bytes = Number(
        (await run('stat', ['-c', '%s', path.join(homes.learnerDir('alice'), 'home.tar')])).stdout,
      );
      console.log(
        'home figures:',
        JSON.stringify({
          typicalHomeKiB: Math.round(bytes / 1024),
          packAndDisposeMs: Math.round(packMs),
          createMs: Math.round(createMs),
          plainDisposeMs: Math.round(disposeMs),
          restoreMs: Math.round(restoreMs),
          firstExecMs: Math.round(execMs),
        }),
      );
      await second.dispose();
    });

    it('salvages the home of a sandbox a crashed server left behind, and says the server crashed', async () => {
      const crashed = await platform();
      const left = await crashed.driver.create({ sessionId: 'c1' });
      await crashed.homes.moveIn('carol', left);
      await sh(left, 'mkdir -p ~/labs/x && echo "before the crash" > ~/labs/x/work.c');

      // The next server on the same data dir: its driver reclaims the sandbox, its vault hands the
      // salvaged home to carol. (The first driver is never shut down: the server "died".)
      const next = await startTestDriver({
        BPFLAB_DATA_DIR: crashed.dataDir,
        BPFLAB_LOCAL_POOL: '0',
        BPFLAB_SANDBOX_DISK_MB: String(QUOTA_MB),
      });
      cleanups.push(() => next.driver.shutdown());
      const homes = await HomeVault.open(crashed.dataDir, QUOTA_MB * 1024 * 1024);
      const sandbox = await next.driver.create({ sessionId: 'c2' });
      const notice = await homes.moveIn('carol', sandbox);
      expect(notice).toMatch(/previous one was lost when the server stopped unexpectedly/);
      expect(notice).toMatch(/Kept: your home directory \(~, with ~\/labs/);
      expect((await sh(sandbox, 'cat ~/labs/x/work.c')).out).toBe('before the crash');
      await sandbox.dispose();
    });

    it('keeps the saved homes out of every sandbox', async () => {
      const { driver, homes, dataDir } = await platform();
      const first = await driver.create({ sessionId: 'd1' });
      await homes.moveIn('dave', first);
      await homes.moveOut('dave', first, 'idle');
      const archive = path.join(homes.learnerDir('dave'), 'home.tar');
      await run('test', ['-s', archive]);

      const sandbox = await driver.create({ sessionId: 'd2' });
      await homes.moveIn('dave', sandbox);
      for (const place of [dataDir, homesDir(dataDir), archive, `/proc/1/root${archive}`]) {
        expect(await sh(sandbox, `ls -d '${place}' || cat '${place}'`)).toMatchObject({ code: 1 });
      }
      expect((await sh(sandbox, 'find / -xdev -name home.tar 2>/dev/null | head -1')).out).toBe('');
      await sandbox.dispose();
    });

    it('starts a sandbox whose saved home is larger than the workspace, with what fits', async () => {
      const { driver, homes } = await platform();
      const made = await mkdtemp(path.join(os.tmpdir(), 'bpflab-big-home-'));
      cleanups.push(() => rm(made, { recursive: true, force: true }));
      await writeFile(path.join(made, 'small.txt'), 'fits\n');
      await run('dd', ['if=/dev/zero', `of=${path.join(made, 'big.bin')}`, 'bs=1M', `count=${QUOTA_MB + 8}`]);
      const dir = homes.learnerDir('erin');
      await run('mkdir', ['-p', dir]);
      await run('tar', ['-c', '-f', path.join(dir, 'home.tar'), '-C', made, 'small.txt', 'big.bin']);
      await writeFile(
        path.join(dir, 'ended.json'),
        JSON.stringify({ reason: 'server-restart', kept: true, homeSavedAt: Date.now() }),
      );

      const sandbox = await driver.create({ sessionId: 'e1' });
      const notice = await homes.moveIn('erin', sandbox);
      expect(notice).toMatch(
        new RegExp(`Kept: the part of your home directory that fits in the ${QUOTA_MB} MiB workspace`),
      );
      expect(await sh(sandbox, 'cat ~/small.txt && echo still-works > ~/.next && cat ~/.next')).toEqual({
        code: 0,
        out: 'fits\nstill-works',
      });
      await sandbox.dispose();
    });
  },
);
