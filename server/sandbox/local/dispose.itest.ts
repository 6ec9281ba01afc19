/**
 * A BPF program loads inside a local sandbox, and dispose() leaves nothing of the sandbox behind:
 * no program (pinned in its bpffs or attached to its loopback), no process, no namespace, no
 * mount, no netns, no cgroup, no workspace.
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../config.js';
import { SandboxError } from '../types.js';
import {
  cannotRunLocalDriver,
  cgroupsNamed,
  mountinfo,
  processesIn,
  REPO_ROOT,
  run,
  startTestDriver,
} from './itest-support.js';
import { LocalDriver } from './local-driver.js';
import type { LocalSandbox } from './local-sandbox.js';

const skip = cannotRunLocalDriver();
const opts = { timeoutMs: 30_000, maxOutputBytes: 256 * 1024 };

/**
 * Three programs, each kept alive by one thing the sandbox owns: its bpffs, its loopback's XDP
 * hook, its loopback's tc hook.
 */
const PROGRAM = `#include <linux/bpf.h>
#define SEC(name) __attribute__((section(name), used))
SEC("socket") int keep_all(struct __sk_buff *skb) { return -1; }
SEC("xdp") int pass_all(struct xdp_md *ctx) { return XDP_PASS; }
SEC("tc") int classify(struct __sk_buff *skb) { return 0; }
char LICENSE[] SEC("license") = "GPL";
`;

async function hostSeesProgram(id: number): Promise<boolean> {
  return run('bpftool', ['prog', 'show', 'id', String(id)]).then(
    () => true,
    () => false,
  );
}

describe.skipIf(skip !== null)(`local sandbox dispose${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let test: Awaited<ReturnType<typeof startTestDriver>>;
  beforeAll(async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    test = await startTestDriver();
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await test?.close();
  });

  it('loads a BPF program inside, and leaves nothing behind after dispose', async () => {
    const netnsBefore = (await run('ip', ['netns', 'list'])).stdout;
    const sandbox = (await test.driver.create({ sessionId: 'dispose' })) as LocalSandbox;

    await sandbox.writeFile('prog.c', PROGRAM);
    const sh = async (script: string) => {
      const result = await sandbox.exec(['sh', '-c', script], opts);
      expect(result.stderr).toBe('');
      expect(result.exitCode).toBe(0);
      return result.stdout;
    };
    await sh('clang -O2 -g -target bpf -I/usr/include/$(uname -m)-linux-gnu -c prog.c -o prog.o');
    await sh('bpftool prog loadall prog.o /sys/fs/bpf/lab');
    const ids = await Promise.all(
      ['keep_all', 'pass_all', 'classify'].map(async (name) => {
        const shown = JSON.parse(await sh(`bpftool -j prog show pinned /sys/fs/bpf/lab/${name}`));
        return (shown as { id: number }).id;
      }),
    );
    await sh('ip link set dev lo xdpgeneric pinned /sys/fs/bpf/lab/pass_all');
    await sh('tc qdisc add dev lo clsact');
    await sh('tc filter add dev lo ingress bpf object-pinned /sys/fs/bpf/lab/classify direct-action');
    // From here on, the hooks alone hold those two.
    await sh('rm /sys/fs/bpf/lab/pass_all /sys/fs/bpf/lab/classify');
    const hooks = await sh('bpftool net show dev lo');
    expect(hooks).toContain(`id ${ids[1]}`);
    expect(hooks).toContain(`id ${ids[2]}`);
    for (const id of ids) expect(await hostSeesProgram(id)).toBe(true);

    const namespaces = Object.values(await sandbox.namespaceIdentities());
    expect(await processesIn(namespaces)).not.toEqual([]);
    expect(await cgroupsNamed(sandbox.name)).not.toEqual([]);
    const workspace = path.join(test.dataDir, 'workspaces', sandbox.name);
    await access(workspace);

    await sandbox.dispose();

    expect(await processesIn(namespaces)).toEqual([]);
    expect(await cgroupsNamed(sandbox.name)).toEqual([]);
    await expect(access(workspace)).rejects.toThrow(/ENOENT/);
    // Its workspace tmpfs is the one mount a sandbox makes on the host (the warm pool's own
    // sandboxes come and go meanwhile, so the host's whole table is not compared).
    expect(await mountinfo()).not.toContain(sandbox.name);
    expect((await run('ip', ['netns', 'list'])).stdout).toBe(netnsBefore);
    // The kernel frees a program shortly after its last reference goes (RCU), not at once.
    for (const id of ids) {
      for (let i = 0; i < 100 && (await hostSeesProgram(id)); i++) await sleep(20);
      expect(await hostSeesProgram(id), `program ${id} outlived its sandbox`).toBe(false);
    }
  });

  it('disposes idempotently, and refuses work afterwards', async () => {
    const sandbox = await test.driver.create({ sessionId: 'twice' });
    await Promise.all([sandbox.dispose(), sandbox.dispose()]);
    await sandbox.dispose();
    await expect(sandbox.exec(['true'], opts)).rejects.toBeInstanceOf(SandboxError);
    await expect(sandbox.readFile('x')).rejects.toBeInstanceOf(SandboxError);
  });

  it('disposes every sandbox on shutdown', async () => {
    const sandboxes = (await Promise.all(
      [1, 2].map(() => test.driver.create({ sessionId: 's' })),
    )) as LocalSandbox[];
    const namespaces = (await Promise.all(sandboxes.map((s) => s.namespaceIdentities()))).flatMap(
      Object.values,
    );
    await test.driver.shutdown();
    expect(await processesIn(namespaces)).toEqual([]);
    for (const sandbox of sandboxes) expect(await cgroupsNamed(sandbox.name)).toEqual([]);
  });

  it('reclaims what a server that died left: processes, cgroups, workspace mounts', async () => {
    // No warm pool: a crashed server starts nothing more, while this one would race the reclaim.
    const crashed = await startTestDriver({ BPFLAB_LOCAL_POOL: '0' });
    const sandbox = (await crashed.driver.create({ sessionId: 'left' })) as LocalSandbox;
    const namespaces = Object.values(await sandbox.namespaceIdentities());
    const workspaces = path.join(crashed.dataDir, 'workspaces');
    expect(await mountinfo()).toContain(workspaces);

    const next = await LocalDriver.start(
      loadConfig({ NODE_ENV: 'test', BPFLAB_DATA_DIR: crashed.dataDir, BPFLAB_LOCAL_POOL: '0' }),
      REPO_ROOT,
    );
    // The killed unshare is this process's child here, reaped when node gets to its SIGCHLD.
    for (let i = 0; i < 100 && (await processesIn(namespaces)).length > 0; i++) await sleep(20);
    expect(await processesIn(namespaces)).toEqual([]);
    expect(await cgroupsNamed(sandbox.name)).toEqual([]);
    expect(await mountinfo()).not.toContain(workspaces);
    await next.shutdown();
    await crashed.close();
  });
});
