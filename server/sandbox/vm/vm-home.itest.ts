/**
 * The learner's home in a real QEMU VM of the vm driver (the guest image as vm-driver.itest.ts
 * builds it; one boot): when a server crashed and the next one starts on its data dir, that
 * server salvages the home from the VM over ssh before killing it, for the learner's next sandbox.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { salvagedHomePath } from '../home-archive.js';
import { VmDriver } from './vm-driver.js';

const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
const BOOT_MS = 15 * 60_000;
const run = promisify(execFile);
const skip = process.getuid?.() !== 0 ? 'needs root (the guest image is built with mmdebstrap)' : null;

describe.skipIf(skip !== null)(`a home in a vm sandbox${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const drivers: VmDriver[] = [];
  let dataDir = '';
  afterAll(async () => {
    for (const driver of drivers) await driver.shutdown();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function startDriver(): Promise<VmDriver> {
    const driver = await VmDriver.start(
      loadConfig({ BPFLAB_DATA_DIR: dataDir, BPFLAB_VM_POOL: '0' }),
      REPO_ROOT,
    );
    drivers.push(driver);
    return driver;
  }

  it(
    "salvages the home of a crashed server's VM over ssh before killing it",
    async () => {
      dataDir = await mkdtemp('/var/tmp/bpflab-vm-home-');
      const vm = await (await startDriver()).create({ sessionId: 'crashed' });
      const wrote = await vm.exec(['sh', '-c', 'mkdir -p labs/z && echo "in the VM" > labs/z/c.c'], {
        timeoutMs: 60_000,
        maxOutputBytes: 4096,
      });
      expect(wrote.exitCode).toBe(0);

      // The server "dies" here (its driver is never shut down); the next one reclaims the VM.
      await startDriver();
      const salvaged = salvagedHomePath(dataDir, vm.name);
      const content = await run('tar', ['-x', '-O', '-f', salvaged, './labs/z/c.c']);
      expect(content.stdout).toBe('in the VM\n');
      expect(await readdir(path.join(dataDir, 'vm-instances'))).toEqual([]);
    },
    BOOT_MS,
  );
});
