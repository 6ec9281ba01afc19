/**
 * Every way out of a local sandbox that a learner (root inside) has been seen to try, tried from
 * inside a real one, each expected to fail: the host's files, the repository, the data dir and
 * every lab's solution/ are not in its root; what it can see of the host is read-only; mounts,
 * namespaces, devices, modules, cgroups and kernel knobs are out of reach; the workspace quota
 * holds; a second sandbox's processes, files and BPF programs cannot be seen.
 */
import { arch } from 'node:os';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TOOLS_DIR } from '../types.js';
import { KEPT_CAPABILITIES } from './capabilities.js';
import { cannotRunLocalDriver, REPO_ROOT, startTestDriver, terminalScreen } from './itest-support.js';
import type { LocalSandbox } from './local-sandbox.js';

const skip = cannotRunLocalDriver();
const DISK_MB = 32;
const opts = { timeoutMs: 20_000, maxOutputBytes: 256 * 1024 };
/** finit_module(2), to try loading a module without a module file or insmod on the host. */
const FINIT_MODULE: Record<string, number> = { x64: 313, arm64: 273 };

describe.skipIf(skip !== null)(`local sandbox escapes${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let test: Awaited<ReturnType<typeof startTestDriver>>;
  let a: LocalSandbox;
  let b: LocalSandbox;

  beforeAll(async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    test = await startTestDriver({ BPFLAB_SANDBOX_DISK_MB: String(DISK_MB) });
    a = (await test.driver.create({ sessionId: 'escapes-a' })) as LocalSandbox;
    b = (await test.driver.create({ sessionId: 'escapes-b' })) as LocalSandbox;
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await test?.close();
  });

  /** Runs `script` in the sandbox; exit status and both outputs, for the test to judge. */
  const sh = async (sandbox: LocalSandbox, script: string, timeoutMs = opts.timeoutMs) => {
    const result = await sandbox.exec(['sh', '-c', script], { ...opts, timeoutMs });
    expect(result.timedOut).toBe(false);
    return { code: result.exitCode, out: result.stdout.trim(), err: result.stderr.trim() };
  };
  /** Runs `script`, which must fail with a message matching `why`. */
  const refused = async (sandbox: LocalSandbox, script: string, why: RegExp) => {
    const result = await sh(sandbox, script);
    expect(result.code, `${script} succeeded`).not.toBe(0);
    expect(`${result.out}\n${result.err}`).toMatch(why);
  };

  it('keeps the host system read-only, even to root', async () => {
    for (const path of ['/usr/x', '/etc/x', '/x', `${TOOLS_DIR}/x`, '/sys/x']) {
      await refused(a, `touch ${path}`, /Read-only file system/);
    }
    await refused(a, 'echo 0 > /sys/kernel/tracing/tracing_on', /Read-only file system/);
    // Writing the value it already has: were this allowed, nothing on the host would change.
    await refused(
      a,
      'cat /proc/sys/kernel/core_pattern > /proc/sys/kernel/core_pattern',
      /Read-only file system/,
    );
  });

  it('has no host home directories, /srv, /mnt, /media, host /opt, /var, repository or data dir', async () => {
    const absent = ['/home', '/srv', '/mnt', '/media', '/boot', REPO_ROOT, test.dataDir, '/run'];
    const { out } = await sh(a, absent.map((p) => `test -e '${p}' && echo "visible: ${p}"`).join('; '));
    expect(out).toBe('');
    expect((await sh(a, 'ls -A /opt')).out).toBe(TOOLS_DIR.replace('/opt/', ''));
    expect((await sh(a, 'ls -A /var')).out).toBe('tmp');
  });

  it('reads the host secrets in /etc as empty', async () => {
    expect(await sh(a, 'wc -c < /etc/shadow')).toMatchObject({ code: 0, out: '0' });
    expect((await sh(a, 'ls -A /etc/ssl/private')).out).toBe('');
    // What the tools need is there.
    expect(await sh(a, 'grep -c ^root: /etc/passwd')).toMatchObject({ code: 0, out: '1' });
  });

  it("reaches no lab's solution/, nor anything of another sandbox, anywhere in its tree", async () => {
    const marker = `only-in-${b.name}`;
    await b.writeFile(marker, 'b');
    // What it should find, to show the search does reach into every mount.
    await a.writeFile('own/lab.yaml', 'id: own');
    const found = await sh(
      a,
      // Every file the sandbox can reach, but the kernel's own trees.
      `timeout 110 find / \\( -path /proc -o -path /sys \\) -prune -o \\( -name lab.yaml -o -name '${marker}' -o -name solution \\) -print`,
      120_000,
    );
    expect(found.code).toBe(0);
    expect(found.out).toBe('/root/own/lab.yaml');
  }, 130_000);

  it('cannot undo its mounts or make new ones', async () => {
    await refused(a, 'umount /tmp', /must be superuser|Operation not permitted/);
    await refused(a, 'umount -l /proc', /must be superuser|Operation not permitted/);
    await refused(a, 'umount -l /usr', /must be superuser|Operation not permitted/);
    await refused(a, 'mkdir -p /tmp/p && mount -t proc proc /tmp/p', /must be superuser|permission denied/i);
    await refused(
      a,
      'mkdir -p /tmp/c && mount -t cgroup2 none /tmp/c',
      /must be superuser|permission denied/i,
    );
    await refused(a, 'mkdir -p /tmp/r && mount --bind / /tmp/r', /must be superuser|permission denied/i);
    await refused(a, 'unshare --mount true', /Operation not permitted/);
    await refused(a, 'chroot / true', /Operation not permitted/);
  });

  it('cannot enter another namespace, the host or its own init', async () => {
    await refused(a, 'nsenter -t 1 -m true', /Operation not permitted/);
    // The server is not in its pid namespace: neither its /proc entry nor its pid exist there.
    await refused(a, `nsenter -t ${process.pid} -m true`, /No such (process|file)/);
    // pid 1 is its own init, whose root is the sandbox's.
    expect(await sh(a, 'readlink /proc/1/root; ls /proc/1/root/ | tr "\\n" " "')).toMatchObject({
      code: 0,
      out: expect.stringMatching(/^\/\n.*\busr\b/),
    });
    expect((await sh(a, `test -e /proc/1/root${REPO_ROOT} && echo visible`)).out).toBe('');
  });

  it('makes no device and loads no kernel module', async () => {
    await refused(a, 'mknod /tmp/disk b 8 0', /Operation not permitted/);
    expect((await sh(a, 'ls /dev | tr "\\n" " "')).out).toBe(
      'fd full null ptmx pts random shm stderr stdin stdout tty urandom zero',
    );
    const finitModule = FINIT_MODULE[arch()];
    if (finitModule === undefined) return;
    await refused(
      a,
      `perl -e 'open(my $f, "<", "/dev/null"); my $args = ""; syscall(${finitModule}, fileno($f), $args, 0) == -1 or exit 0; die "$!\\n"'`,
      // ENOSYS from a kernel built without module support, EPERM (no CAP_SYS_MODULE) elsewhere.
      /Operation not permitted|Function not implemented/,
    );
  });

  it('has no cgroup files to write, neither its own nor another sandbox’s', async () => {
    expect(await sh(a, 'ls -A /sys/fs/cgroup')).toMatchObject({ code: 0, out: '' });
    expect((await sh(a, 'grep -c cgroup /proc/self/mounts || true')).out).toBe('0');
    // The host path of its own cgroup, as /proc tells it, leads nowhere inside.
    const own = (await sh(a, "sed -n 's/^[0-9]*:pids:\\(.*\\)/\\1/p;s/^0::\\(.*\\)/\\1/p' /proc/self/cgroup"))
      .out;
    for (const dir of own.split('\n').filter(Boolean)) {
      await refused(
        a,
        `echo 1 > /sys/fs/cgroup${dir}/cgroup.procs`,
        /No such file|Directory nonexistent|Read-only/,
      );
    }
  });

  it('runs everything with the kept capabilities only, and no_new_privs', async () => {
    const expected = [...KEPT_CAPABILITIES].sort().join(',');
    const caps = (dump: string) =>
      /Capability bounding set: (.*)/.exec(dump)?.[1]?.split(',').sort().join(',');
    const dump = (await sh(a, 'setpriv --dump')).out;
    expect(caps(dump)).toBe(expected);
    expect(dump).toContain('no_new_privs: 1');
    const status = (await sh(a, 'grep -E "^Cap(Eff|Bnd)" /proc/self/status /proc/1/status')).out;
    const masks = new Set(status.split('\n').map((line) => line.split(/\s+/)[1]));
    expect(masks.size, status).toBe(1);

    const screen = await terminalScreen(a, 'setpriv --dump | grep -E "bounding|no_new"');
    expect(caps(screen)).toBe(expected);
    expect(screen).toContain('no_new_privs: 1');
  });

  it('stops writes at the workspace quota with ENOSPC', async () => {
    const result = await sh(a, `dd if=/dev/zero of=fill bs=1M count=${DISK_MB * 2} 2>&1; df -m /root`);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/No space left on device/);
    const size = Number(/(\d+)\s+\d+\s+\d+\s+\d+%\s+\/root$/m.exec(result.out)?.[1]);
    expect(size).toBe(DISK_MB);
    await sh(a, 'rm fill');
  });

  it("sees none of another sandbox's processes or BPF programs", async () => {
    await sh(b, 'setsid sleep 600 </dev/null >/dev/null 2>&1 &');
    const { out } = await sh(a, 'ps -eo args=');
    expect(out).not.toContain('sleep 600');
    await b.writeFile(
      'prog.c',
      [
        '#include <linux/bpf.h>',
        '__attribute__((section("socket"), used)) int only_in_b(struct __sk_buff *skb) { return 0; }',
        'char LICENSE[] __attribute__((section("license"), used)) = "GPL";',
      ].join('\n'),
    );
    const loaded = await sh(
      b,
      'clang -O2 -target bpf -I/usr/include/$(uname -m)-linux-gnu -c prog.c -o prog.o && bpftool prog load prog.o /sys/fs/bpf/only_in_b && bpftool prog show pinned /sys/fs/bpf/only_in_b',
    );
    expect(loaded).toMatchObject({ code: 0, out: expect.stringContaining('only_in_b') });
    const id = /^(\d+):/.exec(loaded.out)?.[1];
    // BPF ids are global to the kernel; walking them, or opening one by id, needs CAP_SYS_ADMIN.
    await refused(a, 'bpftool prog show', /Operation not permitted/);
    await refused(a, `bpftool prog show id ${id}`, /Operation not permitted/);
    expect((await sh(a, 'ls -A /sys/fs/bpf')).out).not.toContain('only_in_b');
  });
});
