/**
 * What a learner in a local sandbox sees: its own hostname, a network with only loopback, its
 * own workspace as home, bpffs and tracefs, the toolchain — and not the server's files, other
 * learners' workspaces or the server's environment. What it cannot do is in escapes.itest.ts.
 */
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RUNNER } from '../tools-tree.js';
import { TOOLS_DIR } from '../types.js';
import { cannotRunLocalDriver, REPO_ROOT, startTestDriver, terminalScreen } from './itest-support.js';
import type { LocalSandbox } from './local-sandbox.js';

const skip = cannotRunLocalDriver();
const opts = { timeoutMs: 10_000, maxOutputBytes: 256 * 1024 };

describe.skipIf(skip !== null)(`local sandbox isolation${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let test: Awaited<ReturnType<typeof startTestDriver>>;
  let a: LocalSandbox;
  let b: LocalSandbox;
  const warnings: string[] = [];

  beforeAll(async () => {
    vi.spyOn(console, 'warn').mockImplementation((message: string) => void warnings.push(message));
    process.env.BPFLAB_SECRET = 'a-secret-the-sandbox-must-never-see-0123456789';
    test = await startTestDriver();
    a = (await test.driver.create({ sessionId: 'learner-a' })) as LocalSandbox;
    b = (await test.driver.create({ sessionId: 'learner-b' })) as LocalSandbox;
  });
  afterAll(async () => {
    delete process.env.BPFLAB_SECRET;
    vi.restoreAllMocks();
    await test?.close();
  });

  const sh = async (sandbox: LocalSandbox, script: string) => {
    const result = await sandbox.exec(['sh', '-c', script], opts);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    return result.stdout.trim();
  };

  it('warns loudly at start that sandboxes share the host kernel', () => {
    expect(warnings.join('\n')).toMatch(/SHARE THIS MACHINE'S KERNEL/);
  });

  it('has the sandbox name as hostname, without renaming the host', async () => {
    expect(await sh(a, 'hostname')).toBe(a.name);
    expect(await sh(b, 'hostname')).toBe(b.name);
    expect(hostname()).not.toBe(a.name);
  });

  it('has a network namespace with only loopback, and it is up', async () => {
    const links = JSON.parse(await sh(a, 'ip -json link show')) as { ifname: string; flags: string[] }[];
    expect(links.map((l) => l.ifname)).toEqual(['lo']);
    expect(links[0]?.flags).toContain('UP');
    expect(await sh(a, 'ip -4 -o addr show dev lo')).toContain('127.0.0.1/8');
  });

  it('runs in its own pid namespace, as pid 1 its init', async () => {
    const processes = (await sh(a, 'ps -eo pid=,comm=')).split('\n').map((l) => l.trim());
    expect(processes[0]).toMatch(/^1 bash$/);
    expect(processes.some((p) => p.endsWith(' node'))).toBe(false);
  });

  it('has its workspace as home, and files written by the server appear there', async () => {
    await a.writeFile('lab/hello.bpf.c', '// mine\n');
    expect(await sh(a, 'pwd; echo $HOME; cat lab/hello.bpf.c')).toBe('/root\n/root\n// mine');
    await sh(a, 'echo from-inside > made-inside.txt');
    expect((await a.readFile('made-inside.txt')).toString()).toBe('from-inside\n');
  });

  it("cannot see another learner's workspace, the data dir or the repository", async () => {
    await b.writeFile('b-secret.txt', 'b only');
    expect(await sh(a, 'ls -A /root')).not.toContain('b-secret.txt');
    // Not in the sandbox's root at all (escapes.itest.ts searches the whole tree).
    for (const dir of [test.dataDir, REPO_ROOT]) {
      expect(await sh(a, `test -e ${dir} && echo visible || echo absent`)).toBe('absent');
    }
  });

  it('gets its own /tmp', async () => {
    await sh(a, 'echo a > /tmp/shared-name');
    expect(await sh(b, 'cat /tmp/shared-name 2>&1 || true')).toMatch(/No such file/);
  });

  it('refuses, through the server, a symlink that leads out of the workspace', async () => {
    await sh(a, 'ln -s /etc/hostname escape');
    await expect(a.readFile('escape')).rejects.toThrow(/not inside your workspace/);
  });

  it("never sees the server's environment", async () => {
    const env = await sh(a, 'env');
    expect(env).not.toContain('BPFLAB_SECRET');
    expect(env).toContain(`BPFLAB_SANDBOX=${a.name}`);
    expect(env).toContain(`PATH=${TOOLS_DIR}/bin:`);
  });

  it('has its own bpffs at /sys/fs/bpf and tracefs at /sys/kernel/tracing', async () => {
    const mounts = await sh(a, 'grep -E " /sys/(fs/bpf|kernel/tracing) " /proc/self/mounts');
    expect(mounts).toMatch(/^bpf \/sys\/fs\/bpf bpf/m);
    expect(mounts).toMatch(/ \/sys\/kernel\/tracing tracefs/m);
    await sh(a, 'mkdir /sys/fs/bpf/only-in-a');
    expect(await sh(b, 'ls -A /sys/fs/bpf')).not.toContain('only-in-a');
  });

  it('has the bpf/ toolchain read-only at /opt/bpflab when it has been built', async () => {
    const built = await a.exec(['test', '-x', RUNNER], opts);
    if (built.exitCode !== 0) return expect(built.exitCode).toBe(1);
    const write = await a.exec(['touch', `${TOOLS_DIR}/x`], opts);
    expect(write.stderr).toMatch(/Read-only file system/);
  });

  it('opens a login shell on a terminal, in the sandbox', async () => {
    const screen = await terminalScreen(a, 'echo "host=$(hostname) dir=$PWD"');
    expect(screen).toContain(`host=${a.name} dir=/root`);
  });
});
