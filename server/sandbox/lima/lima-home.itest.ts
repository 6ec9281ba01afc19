/**
 * The learner's home through a remote sandbox (the lima driver, against the STAND-IN limactl, as
 * lima-driver.itest.ts explains; the vm driver shares remote-sandbox.ts): disposeKeepingHome packs
 * the workspace in the "guest" and streams it out over `limactl shell`, then deletes the VM;
 * restoreHome unpacks it into another VM's workspace; the next server salvages the home of a VM a
 * crashed server left before deleting it.
 */

import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../config.js';
import { salvagedHomePath } from '../home-archive.js';
import { LimaDriver } from './lima-driver.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const opts = { timeoutMs: 30_000, maxOutputBytes: 64 * 1024 };
const skip =
  process.getuid?.() === 0 ? null : 'the stand-in limactl needs root (a private /opt per instance)';

describe.skipIf(skip !== null)(
  `a home through the lima driver's remote sandbox${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let base = '';
    let driver: LimaDriver;
    const drivers: LimaDriver[] = [];
    /** A lima driver on the test's data dir and Lima home, as a server starting would make it. */
    async function startDriver(): Promise<LimaDriver> {
      const config = loadConfig({
        NODE_ENV: 'test',
        BPFLAB_DRIVER: 'lima',
        BPFLAB_DATA_DIR: path.join(base, 'data'),
        LIMA_HOME: path.join(base, 'lima'),
        LIMACTL: path.join(import.meta.dirname, 'standin/limactl'),
        BPFLAB_LIMA_POOL: '0',
      });
      const started = await LimaDriver.start(config, ROOT);
      drivers.push(started);
      return started;
    }
    beforeAll(async () => {
      vi.spyOn(console, 'log').mockImplementation(() => {});
      base = await mkdtemp('/var/tmp/bpflab-lima-home-');
      await mkdir(path.join(base, 'lima/_standin'), { recursive: true });
      driver = await startDriver();
    }, 120_000);
    afterAll(async () => {
      vi.restoreAllMocks();
      for (const started of drivers) await started.shutdown();
      if (base) await rm(base, { recursive: true, force: true });
    });

    it('packs the workspace in the guest before deleting the VM, and unpacks it into the next', async () => {
      const first = await driver.create({ sessionId: 'home-1' });
      const wrote = await first.exec(
        [
          'sh',
          '-c',
          'mkdir -p labs/x && echo mine > labs/x/a.c && chmod 0600 labs/x/a.c && mkfifo pipe && ln -s labs/x/a.c link',
        ],
        opts,
      );
      expect(wrote.stderr).toBe('');
      const archive = path.join(base, 'data/homes/someone/home.tar');
      const kept = await first.disposeKeepingHome(archive, 1024 * 1024);
      expect(kept).toMatchObject({ kept: true, bytes: (await stat(archive)).size });
      // The VM is gone (deleted, as a plain dispose deletes it).
      expect((await readdir(path.join(base, 'lima'))).filter((n) => n.startsWith('bl-'))).toEqual([]);

      const second = await driver.create({ sessionId: 'home-2' });
      expect(await second.restoreHome(archive)).toMatchObject({
        restored: true,
      });
      const read = await second.exec(
        ['sh', '-c', 'cat labs/x/a.c; stat -c %a labs/x/a.c; readlink link; test -e pipe || echo no-pipe'],
        opts,
      );
      expect(read.stdout).toBe('mine\n600\nlabs/x/a.c\nno-pipe\n');
      await second.dispose();
    });

    it('refuses a home past the limit, keeps no archive, and still deletes the VM', async () => {
      const sandbox = await driver.create({ sessionId: 'home-3' });
      await sandbox.exec(['sh', '-c', 'head -c 200000 /dev/urandom > big'], opts);
      const archive = path.join(base, 'data/homes/someone-else/home.tar');
      const kept = await sandbox.disposeKeepingHome(archive, 100_000);
      expect(kept).toEqual({ kept: false, why: 'the home is larger than 100000 bytes' });
      await expect(stat(archive)).rejects.toThrow(/ENOENT/);
      await expect(sandbox.exec(['true'], opts)).rejects.toThrow(/stopped/);
    });

    it("salvages the home of a crashed server's VM before deleting it", async () => {
      const left = await driver.create({ sessionId: 'crashed' });
      await left.exec(['sh', '-c', 'mkdir -p labs/y && echo unsaved > labs/y/b.c'], opts);
      // The server "dies" here; the next one reclaims the VM it recorded.
      await startDriver();
      const salvaged = salvagedHomePath(path.join(base, 'data'), left.name);
      const listed = await promisify(execFile)('tar', ['-t', '-f', salvaged]);
      expect(listed.stdout.split('\n')).toEqual(expect.arrayContaining(['./labs/y/b.c']));
      const content = await promisify(execFile)('tar', ['-x', '-O', '-f', salvaged, './labs/y/b.c']);
      expect(content.stdout).toBe('unsaved\n');
      expect((await readdir(path.join(base, 'lima'))).filter((n) => n === left.name)).toEqual([]);
    });
  },
);
