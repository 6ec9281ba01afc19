import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxState } from '../protocol/session.js';
import { SandboxError } from '../sandbox/types.js';
import type { Terminal } from '../terminal/terminal.js';
import { isAlive, PtyDriverDouble } from '../testing/pty-sandbox-double.js';
import { waitFor } from '../testing/wait.js';
import { HomeVault } from './home-vault.js';
import { Sessions } from './sessions.js';

const size = { cols: 80, rows: 24 };
let sessions: Sessions | null = null;
const dataDirs: string[] = [];

async function setup(idleTimeoutMs = 60_000, dataDir = newDataDir()) {
  const driver = new PtyDriverDouble();
  const clock = { now: 1_000_000 };
  const announced: [string, SandboxState][] = [];
  sessions = new Sessions({
    driver,
    homes: await HomeVault.open(dataDir, 1024 * 1024),
    idleTimeoutMs,
    announce: (learnerId, state) => announced.push([learnerId, state]),
    now: () => clock.now,
  });
  return { driver, clock, announced, sessions, dataDir };
}

function newDataDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bpflab-sessions-'));
  dataDirs.push(dir);
  return dir;
}

/** What a page attaching to the terminal would be shown first. */
function screenOf(terminal: Terminal): string {
  const replay = terminal.attach('test-viewer', { output() {}, exited() {}, closed() {} });
  terminal.detach('test-viewer');
  return Buffer.from(replay).toString();
}

afterEach(async () => {
  await sessions?.close();
  sessions = null;
  for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('Sessions', () => {
  it('creates the sandbox on first use only, once for concurrent callers', async () => {
    const { driver, sessions, announced } = await setup();
    sessions.session('alice');
    expect(driver.created).toHaveLength(0);
    const [a, b] = await Promise.all([sessions.sandboxFor('alice'), sessions.sandboxFor('alice')]);
    expect(a).toBe(b);
    expect(driver.created).toHaveLength(1);
    expect(announced.map(([, s]) => s.state)).toEqual(['starting', 'ready']);
  });

  it('gives each learner their own sandbox and terminal ids the other cannot find', async () => {
    const { sessions } = await setup();
    const opened = await sessions.session('alice').openTerminal(size);
    if (!opened.ok) throw new Error(opened.error);
    expect(await sessions.sandboxFor('bob')).not.toBe(await sessions.sandboxFor('alice'));
    expect(sessions.session('bob').terminal(opened.terminal.id)).toBeUndefined();
    expect(sessions.session('alice').terminal(opened.terminal.id)).toBe(opened.terminal);
  });

  it('reaps a session idle for the timeout: shells killed, sandbox disposed, pages told', async () => {
    const { driver, clock, sessions, announced } = await setup(60_000);
    const opened = await sessions.session('alice').openTerminal(size);
    if (!opened.ok) throw new Error(opened.error);
    await sessions.sandboxFor('bob');
    clock.now += 30_000;
    sessions.touch('bob');
    clock.now += 30_000;

    expect(await sessions.reapIdle()).toEqual(['alice']);
    expect(driver.created[0]!.disposed).toBe(true);
    const shell = driver.created[0]!.shells[0]!;
    await waitFor(() => !isAlive(shell.pid), 'the reaped shell to die');
    expect(driver.created[1]!.disposed).toBe(false);
    expect(announced.at(-1)).toEqual([
      'alice',
      { state: 'reaped', message: expect.stringMatching(/stopped after 1 minute without activity/) },
    ]);
    // The next action starts a fresh session with a new sandbox.
    expect(sessions.existing('alice')).toBeUndefined();
    await sessions.sandboxFor('alice');
    expect(driver.created).toHaveLength(3);
  });

  it('reaps a session that never started a sandbox without telling anyone', async () => {
    const { clock, sessions, announced } = await setup(1000);
    sessions.session('carol');
    clock.now += 1000;
    expect(await sessions.reapIdle()).toEqual(['carol']);
    expect(announced).toEqual([]);
  });

  it('reports a sandbox that fails to start and tries again on the next call', async () => {
    const { driver, sessions, announced } = await setup();
    driver.createFailure = new SandboxError('Lima is not installed', 'limactl: not found');
    await expect(sessions.sandboxFor('alice')).rejects.toThrow(/Lima is not installed/);
    expect(announced.at(-1)).toEqual(['alice', { state: 'failed', message: 'Lima is not installed' }]);
    driver.createFailure = null;
    await expect(sessions.sandboxFor('alice')).resolves.toBeDefined();
  });

  it('disposes a sandbox that finishes starting after its session was reaped', async () => {
    const { driver, clock, sessions } = await setup(1000);
    driver.createDelayMs = 50;
    const starting = sessions.sandboxFor('alice');
    clock.now += 1000;
    await sessions.reapIdle();
    await expect(starting).rejects.toThrow(/session has ended/);
    expect(driver.created[0]!.disposed).toBe(true);
  });

  it('limits the terminals one session may hold', async () => {
    const { sessions } = await setup();
    const session = sessions.session('alice');
    for (let i = 0; i < 8; i++) expect((await session.openTerminal(size)).ok).toBe(true);
    expect(await session.openTerminal(size)).toEqual({
      ok: false,
      error: expect.stringMatching(/At most 8/),
    });
  });

  it('disposes every sandbox on close', async () => {
    const { driver, sessions } = await setup();
    await sessions.sandboxFor('alice');
    await sessions.sandboxFor('bob');
    await sessions.close();
    expect(driver.created.every((s) => s.disposed)).toBe(true);
  });
});

describe('Sessions.knownFeatures', () => {
  it("knows nothing before a probe, then the learner's own sandbox's features, and lends them to a learner not yet probed", async () => {
    const { sessions } = await setup();
    expect(sessions.knownFeatures('alice')).toBeNull();
    sessions.session('alice');
    expect(sessions.knownFeatures('alice')).toBeNull();
    const probed = await sessions.featuresFor('alice');
    await waitFor(() => sessions.knownFeatures('alice') !== null, "alice's probed features");
    expect(sessions.knownFeatures('alice')).toBe(probed);
    expect(sessions.knownFeatures('bob')?.available.kprobe).toBe(false);
    expect(sessions.existing('bob')).toBeUndefined();
  });
});

describe('Sessions keep the home directory across sandboxes', () => {
  it('brings a reaped home back into the next sandbox, and says so once, in the first terminal', async () => {
    const { driver, clock, sessions, announced } = await setup(60_000);
    const first = await sessions.sandboxFor('alice');
    await first.writeFile('labs/notes.txt', 'mine');
    expect(announced.at(-1)?.[1]).not.toHaveProperty('replaced');
    clock.now += 60_000;
    await sessions.reapIdle();

    const opened = await sessions.session('alice').openTerminal(size);
    if (!opened.ok) throw new Error(opened.error);
    const second = driver.created[1]!;
    expect((await second.readFile('labs/notes.txt')).toString()).toBe('mine');
    const ready = announced.at(-1)![1];
    expect(ready).toMatchObject({
      state: 'ready',
      replaced: expect.stringMatching(/previous one was stopped after a time without activity/),
    });
    expect(ready).toMatchObject({ replaced: expect.stringMatching(/Kept: your home directory/) });
    await waitFor(() => screenOf(opened.terminal).includes('This is a new sandbox'), 'the notice');
    expect(screenOf(opened.terminal)).toContain('Lost: running processes, loaded BPF programs and maps');

    const another = await sessions.session('alice').openTerminal(size);
    if (!another.ok) throw new Error(another.error);
    await new Promise((r) => setTimeout(r, 100));
    expect(screenOf(another.terminal)).not.toContain('new sandbox');
  });

  it("gives one learner's home to that learner only", async () => {
    const { driver, clock, sessions } = await setup(60_000);
    await (await sessions.sandboxFor('alice')).writeFile('secret.txt', 'alice only');
    clock.now += 60_000;
    await sessions.reapIdle();
    await sessions.sandboxFor('bob');
    await expect(driver.created[1]!.readFile('secret.txt')).rejects.toThrow();
    expect(sessions.existing('bob')?.replacedNotice).toBeNull();
  });

  it('keeps homes over a server restart and tells the learner why their sandbox is new', async () => {
    const before = await setup();
    await (await before.sessions.sandboxFor('alice')).writeFile('.bash_history', 'ls\n');
    await before.sessions.close();

    const after = await setup(60_000, before.dataDir);
    const sandbox = await after.sessions.sandboxFor('alice');
    expect((await sandbox.readFile('.bash_history')).toString()).toBe('ls\n');
    expect(after.sessions.existing('alice')?.replacedNotice).toMatch(
      /^This is a new sandbox: your previous one was stopped when the server restarted\.\nKept: your home directory \(~, with ~\/labs and your lab files\)\. Lost: running processes, loaded BPF programs and maps, and anything outside your home\.$/,
    );
  });

  it('after a crash the driver could not salvage from, restores the older home and says from when', async () => {
    const before = await setup(1000);
    await (await before.sessions.sandboxFor('alice')).writeFile('old.txt', 'from the reap');
    before.clock.now += 1000;
    await before.sessions.reapIdle();
    await before.sessions.sandboxFor('alice');
    // The server dies here: nothing is disposed, the second sandbox's live record stays behind.

    const after = await setup(60_000, before.dataDir);
    const sandbox = await after.sessions.sandboxFor('alice');
    expect((await sandbox.readFile('old.txt')).toString()).toBe('from the reap');
    expect(after.sessions.existing('alice')?.replacedNotice).toMatch(
      /lost when the server stopped unexpectedly\.\nKept: your home directory as it was at \d\d:\d\d UTC, and your lab files\. Lost: later changes to your home directory/,
    );
  });
});
