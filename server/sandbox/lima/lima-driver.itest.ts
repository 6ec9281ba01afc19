/**
 * The lima driver against the STAND-IN limactl (standin/limactl): Lima cannot run on this
 * machine, so "VMs" are directories and commands run here (see the stand-in's header). What is
 * tested is the driver: the warm pool, the READY rule, claims, commands and files through
 * `limactl shell` / `limactl copy`, stop and delete on dispose, and the errors a learner and an
 * operator get. The toolchain install is real (bpf/ is built into each "VM"'s own /opt).
 * lima/README.md says how to run the real acceptance test with Lima.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../config.js';
import { type Sandbox, SandboxError } from '../types.js';
import { LimaDriver } from './lima-driver.js';
import { LIMACTL_MISSING } from './limactl.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const STANDIN = path.join(import.meta.dirname, 'standin/limactl');
const opts = { timeoutMs: 30_000, maxOutputBytes: 64 * 1024 };
const skip =
  process.getuid?.() === 0 ? null : 'the stand-in limactl needs root (a private /opt per instance)';

interface Setup {
  limaHome: string;
  dataDir: string;
  calls(): Promise<string[]>;
  start(env?: Record<string, string>): Promise<LimaDriver>;
  control(file: string, content: string): Promise<void>;
  cleanup(): Promise<void>;
}

async function setup(): Promise<Setup> {
  const base = await mkdtemp('/var/tmp/bpflab-lima-itest-');
  const limaHome = path.join(base, 'lima');
  const dataDir = path.join(base, 'data');
  await mkdir(path.join(limaHome, '_standin'), { recursive: true });
  const drivers: LimaDriver[] = [];
  return {
    limaHome,
    dataDir,
    calls: async () =>
      (await readFile(path.join(limaHome, '_standin/calls.log'), 'utf8').catch(() => ''))
        .split('\n')
        .filter(Boolean),
    async start(env = {}) {
      const config = loadConfig({
        NODE_ENV: 'test',
        BPFLAB_DRIVER: 'lima',
        BPFLAB_DATA_DIR: dataDir,
        LIMA_HOME: limaHome,
        LIMACTL: STANDIN,
        BPFLAB_LIMA_POOL: '0',
        ...env,
      });
      const driver = await LimaDriver.start(config, ROOT);
      drivers.push(driver);
      return driver;
    },
    control: (file, content) => writeFile(path.join(limaHome, '_standin', file), content),
    async cleanup() {
      await Promise.all(drivers.map((d) => d.shutdown()));
      await rm(base, { recursive: true, force: true });
    },
  };
}

async function until(what: string, condition: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const count = (calls: string[], prefix: string) => calls.filter((c) => c.startsWith(prefix)).length;

describe.skipIf(skip !== null)(
  `lima driver, against the stand-in limactl${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    describe('with a working Lima', () => {
      let lima: Setup;
      let driver: LimaDriver;
      let sandbox: Sandbox;

      beforeAll(async () => {
        lima = await setup();
        driver = await lima.start({ BPFLAB_LIMA_POOL: '1' });
      });
      afterAll(async () => {
        await lima?.cleanup();
      });

      it('fills the warm pool in the background, with VMs that reported READY and got the toolchain', async () => {
        // The last step of preparing a VM is making its workspace.
        await until('a warm VM', async () => count(await lima.calls(), 'shell --workdir=/ bl-') === 2);
        const calls = await lima.calls();
        expect(count(calls, 'start --name=bl-')).toBe(1);
        expect(calls.find((c) => c.startsWith('start'))).toMatch(
          /--tty=false --timeout=\d+s .*lima\/bpflab\.yaml/,
        );
        expect(calls.some((c) => c.startsWith('copy ') && c.includes('toolchain'))).toBe(true);
      });

      it('hands out the warm VM at once, and starts its replacement', async () => {
        const started = performance.now();
        sandbox = await driver.create({ sessionId: 'learner' });
        expect(performance.now() - started).toBeLessThan(1_000);
        expect(sandbox.name).toMatch(/^bl-[0-9a-f]{6}$/);
        await until('a replacement start', async () => count(await lima.calls(), 'start --name=bl-') === 2);
      });

      it('runs commands as root in the workspace, through limactl shell, with the toolchain on PATH', async () => {
        const result = await sandbox.exec(
          ['sh', '-c', 'id -u; pwd; command -v bpflab-runner; echo "$BPFLAB_SANDBOX"'],
          opts,
        );
        expect(result.exitCode).toBe(0);
        const [uid, cwd, runner, name] = result.stdout.trim().split('\n');
        expect(uid).toBe('0');
        expect(cwd).toBe(path.join(lima.limaHome, sandbox.name, 'home/workspace'));
        expect(runner).toBe('/opt/bpflab/bin/bpflab-runner');
        expect(name).toBe(sandbox.name);
        // (The replacement VM being prepared meanwhile makes calls of its own.)
        const last = (await lima.calls()).filter((c) => c.includes(` ${sandbox.name} -- sudo`)).at(-1);
        expect(last).toMatch(
          new RegExp(
            `^shell --workdir=\\S+ ${sandbox.name} -- sudo -n env .* timeout --kill-after=2s \\d+s sh -c`,
          ),
        );
      });

      it('cuts a command at its timeout', async () => {
        const result = await sandbox.exec(['sleep', '30'], { ...opts, timeoutMs: 300 });
        expect(result).toMatchObject({ timedOut: true, signal: 'SIGKILL' });
      });

      it('moves files in and out through limactl shell, and refuses paths out of the workspace', async () => {
        const binary = Buffer.from([0, 255, 10, 13, 128, 39, 34]);
        await sandbox.writeFile('lab/hello.bpf.c', '// hello\n');
        await sandbox.writeFile('lab/blob', binary);
        expect((await sandbox.exec(['cat', 'lab/hello.bpf.c'], opts)).stdout).toBe('// hello\n');
        expect((await sandbox.readFile('lab/hello.bpf.c')).toString()).toBe('// hello\n');
        expect(await sandbox.readFile('lab/blob')).toEqual(binary);

        await sandbox.exec(['ln', '-s', '/etc/hostname', 'escape'], opts);
        await expect(sandbox.readFile('escape')).rejects.toThrow(/not inside your workspace/);
        await expect(sandbox.writeFile('escape', 'x')).rejects.toThrow(/not inside your workspace/);
        await expect(sandbox.readFile('missing.c')).rejects.toThrow(/no file "missing.c"/);
      });

      it('opens a terminal through limactl shell', async () => {
        const shell = sandbox.openTerminal({ cols: 80, rows: 24 });
        let screen = '';
        shell.onData((data) => {
          screen += data;
        });
        shell.write('echo "in=$BPFLAB_SANDBOX"; exit\r');
        await new Promise<void>((resolve) => shell.onExit(() => resolve()));
        expect(screen).toContain(`in=${sandbox.name}`);
      });

      it('stops and deletes the VM on dispose, once', async () => {
        await Promise.all([sandbox.dispose(), sandbox.dispose()]);
        const calls = await lima.calls();
        expect(calls).toContain(`stop --force ${sandbox.name} `);
        expect(calls).toContain(`delete --force ${sandbox.name} `);
        expect(count(calls, `delete --force ${sandbox.name}`)).toBe(1);
        expect(await readdir(lima.limaHome)).not.toContain(sandbox.name);
        await expect(sandbox.exec(['true'], opts)).rejects.toBeInstanceOf(SandboxError);
      });
    });

    describe('when a VM does not become ready', () => {
      let lima: Setup;
      beforeAll(async () => {
        vi.spyOn(console, 'error').mockImplementation(() => {});
        lima = await setup();
      });
      afterAll(async () => {
        vi.restoreAllMocks();
        await lima?.cleanup();
      });

      async function failure(driver: LimaDriver): Promise<SandboxError> {
        const error = await driver.create({ sessionId: 'x' }).then(
          () => null,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(SandboxError);
        return error as SandboxError;
      }

      it('does not count a VM that is Running without READY as ready', async () => {
        await lima.control('start-result', 'no-ready');
        const error = await failure(await lima.start());
        expect(error.learnerMessage).toBe('Your Linux VM could not be set up');
        expect(error.operatorDetail).toMatch(/exited 0 without READY/);
      });

      it('does not count READY followed by a failing exit as ready', async () => {
        await lima.control('start-result', 'ready-then-fail');
        const error = await failure(await lima.start());
        expect(error.operatorDetail).toMatch(/limactl start exited 1/);
      });

      it('explains a provisioning failure, with Lima’s log tail for the operator, and deletes the VM', async () => {
        await lima.control('start-result', 'provision-fail');
        const error = await failure(await lima.start());
        expect(error.learnerMessage).toBe('Your Linux VM could not be set up');
        expect(error.operatorDetail).toContain('boot scripts must have finished');
        expect(error.operatorDetail).toMatch(/ha\.stderr\.log[\s\S]*exited with 100/);
        expect(error.operatorDetail).toMatch(/serial\.log[\s\S]*Unable to locate package/);
        const calls = await lima.calls();
        const name = /VM (bl-[0-9a-f]{6})/.exec(error.operatorDetail)?.[1];
        expect(calls).toContain(`delete --force ${name} `);
      });

      it('gives up on a VM that does not start in time', async () => {
        await lima.control('start-result', 'ready');
        await lima.control('start-delay', '10');
        const started = performance.now();
        const error = await failure(await lima.start({ BPFLAB_LIMA_START_TIMEOUT_MS: '1000' }));
        expect(performance.now() - started).toBeLessThan(5_000);
        expect(error.learnerMessage).toMatch(/took too long to start/);
        expect(error.operatorDetail).toMatch(/no READY within 1 s[\s\S]*Starting stand-in VM/);
        await lima.control('start-delay', '0');
      });

      it('says so plainly when limactl is not installed', async () => {
        const error = await failure(await lima.start({ LIMACTL: '/nonexistent/limactl' }));
        expect(error.learnerMessage).toBe(LIMACTL_MISSING);
        expect(error.operatorDetail).toMatch(/install Lima/);
      });
    });

    describe('after a crash', () => {
      let lima: Setup;
      beforeAll(async () => {
        lima = await setup();
      });
      afterAll(async () => {
        await lima?.cleanup();
      });

      it('stops and deletes the VMs a previous run left behind', async () => {
        const crashed = await lima.start();
        const orphan = await crashed.create({ sessionId: 'x' });
        expect(await readdir(lima.limaHome)).toContain(orphan.name);
        await lima.start();
        const calls = await lima.calls();
        expect(calls).toContain('list --json ');
        expect(calls).toContain(`delete --force ${orphan.name} `);
        expect(await readdir(lima.limaHome)).not.toContain(orphan.name);
      });
    });
  },
);
