/**
 * The lima driver against REAL Lima: boots a Debian 12 VM from lima/bpflab.yaml, builds the
 * toolchain in it, and checks what a learner gets. Minutes long and needs Lima ≥ 1.1 with
 * virtualization, so it runs only when asked:
 *
 *   BPFLAB_LIMA_ACCEPTANCE=1 npx vitest run --project integration server/sandbox/lima/lima-acceptance.itest.ts
 *
 * (lima/README.md has the whole procedure.)
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import type { Sandbox } from '../types.js';
import { LimaDriver } from './lima-driver.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const LIMACTL = process.env.LIMACTL ?? 'limactl';

function whySkipped(): string | null {
  if (process.env.BPFLAB_LIMA_ACCEPTANCE !== '1')
    return 'set BPFLAB_LIMA_ACCEPTANCE=1 to boot a real Lima VM';
  try {
    execFileSync(LIMACTL, ['--version']);
    return null;
  } catch {
    return `${LIMACTL} is not installed`;
  }
}
const skip = whySkipped();
const opts = { timeoutMs: 120_000, maxOutputBytes: 1024 * 1024 };

describe.skipIf(skip !== null)(`lima driver, real Lima${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let dataDir: string;
  let driver: LimaDriver;
  let sandbox: Sandbox;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'bpflab-lima-acceptance-'));
    const config = loadConfig({
      NODE_ENV: 'test',
      BPFLAB_DRIVER: 'lima',
      BPFLAB_DATA_DIR: dataDir,
      BPFLAB_LIMA_POOL: '0',
      LIMACTL,
    });
    driver = await LimaDriver.start(config, ROOT);
    sandbox = await driver.create({ sessionId: 'acceptance' });
  }, 30 * 60_000);
  afterAll(async () => {
    await driver?.shutdown();
    await rm(dataDir, { recursive: true, force: true });
  }, 5 * 60_000);

  it('is a Debian 12 VM with its stock 6.1 kernel, where commands run as root', async () => {
    const result = await sandbox.exec(
      ['sh', '-c', '. /etc/os-release; echo "$ID $VERSION_ID"; uname -r; id -u'],
      opts,
    );
    expect(result.stdout).toMatch(/^debian 12\n6\.1\.\d+-\d+-[\w-]+\n0\n$/);
  });

  it('has every kernel feature and tool the course uses', async () => {
    const features = await sandbox.features();
    expect(features.available).toMatchObject({
      btf: true,
      kprobe: true,
      fentry: true,
      tracepoint: true,
      uprobe: true,
      tc: true,
      xdp: true,
      ringbuf: true,
      kernel_headers: true,
      bcc: true,
    });
    expect(features.clang).not.toBeNull();
    expect(features.bpftool).not.toBeNull();
  });

  it('moves files in and out of the workspace', async () => {
    await sandbox.writeFile('hello/hello.txt', 'from the server\n');
    expect((await sandbox.exec(['cat', 'hello/hello.txt'], opts)).stdout).toBe('from the server\n');
    await sandbox.exec(['sh', '-c', 'echo from the VM > hello/back.txt'], opts);
    expect((await sandbox.readFile('hello/back.txt')).toString()).toBe('from the VM\n');
  });

  it(
    'deletes the VM on dispose',
    async () => {
      await sandbox.dispose();
      const listed = execFileSync(LIMACTL, ['list', '--json'], { encoding: 'utf8' });
      expect(listed).not.toContain(`"name":"${sandbox.name}"`);
    },
    5 * 60_000,
  );
});
