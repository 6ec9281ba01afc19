import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxState } from '../protocol/session.js';
import { SandboxError } from '../sandbox/types.js';
import { isAlive, PtyDriverDouble } from '../testing/pty-sandbox-double.js';
import { waitFor } from '../testing/wait.js';
import { Sessions } from './sessions.js';

const size = { cols: 80, rows: 24 };
let sessions: Sessions | null = null;

function setup(idleTimeoutMs = 60_000) {
  const driver = new PtyDriverDouble();
  const clock = { now: 1_000_000 };
  const announced: [string, SandboxState][] = [];
  sessions = new Sessions({
    driver,
    idleTimeoutMs,
    announce: (learnerId, state) => announced.push([learnerId, state]),
    now: () => clock.now,
  });
  return { driver, clock, announced, sessions };
}

afterEach(async () => {
  await sessions?.close();
  sessions = null;
});

describe('Sessions', () => {
  it('creates the sandbox on first use only, once for concurrent callers', async () => {
    const { driver, sessions, announced } = setup();
    sessions.session('alice');
    expect(driver.created).toHaveLength(0);
    const [a, b] = await Promise.all([sessions.sandboxFor('alice'), sessions.sandboxFor('alice')]);
    expect(a).toBe(b);
    expect(driver.created).toHaveLength(1);
    expect(announced.map(([, s]) => s.state)).toEqual(['starting', 'ready']);
  });

  it('gives each learner their own sandbox and terminal ids the other cannot find', async () => {
    const { sessions } = setup();
    const opened = await sessions.session('alice').openTerminal(size);
    if (!opened.ok) throw new Error(opened.error);
    expect(await sessions.sandboxFor('bob')).not.toBe(await sessions.sandboxFor('alice'));
    expect(sessions.session('bob').terminal(opened.terminal.id)).toBeUndefined();
    expect(sessions.session('alice').terminal(opened.terminal.id)).toBe(opened.terminal);
  });

  it('reaps a session idle for the timeout: shells killed, sandbox disposed, pages told', async () => {
    const { driver, clock, sessions, announced } = setup(60_000);
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
    const { clock, sessions, announced } = setup(1000);
    sessions.session('carol');
    clock.now += 1000;
    expect(await sessions.reapIdle()).toEqual(['carol']);
    expect(announced).toEqual([]);
  });

  it('reports a sandbox that fails to start and tries again on the next call', async () => {
    const { driver, sessions, announced } = setup();
    driver.createFailure = new SandboxError('Lima is not installed', 'limactl: not found');
    await expect(sessions.sandboxFor('alice')).rejects.toThrow(/Lima is not installed/);
    expect(announced.at(-1)).toEqual(['alice', { state: 'failed', message: 'Lima is not installed' }]);
    driver.createFailure = null;
    await expect(sessions.sandboxFor('alice')).resolves.toBeDefined();
  });

  it('disposes a sandbox that finishes starting after its session was reaped', async () => {
    const { driver, clock, sessions } = setup(1000);
    driver.createDelayMs = 50;
    const starting = sessions.sandboxFor('alice');
    clock.now += 1000;
    await sessions.reapIdle();
    await expect(starting).rejects.toThrow(/session has ended/);
    expect(driver.created[0]!.disposed).toBe(true);
  });

  it('limits the terminals one session may hold', async () => {
    const { sessions } = setup();
    const session = sessions.session('alice');
    for (let i = 0; i < 8; i++) expect((await session.openTerminal(size)).ok).toBe(true);
    expect(await session.openTerminal(size)).toEqual({
      ok: false,
      error: expect.stringMatching(/At most 8/),
    });
  });

  it('disposes every sandbox on close', async () => {
    const { driver, sessions } = setup();
    await sessions.sandboxFor('alice');
    await sessions.sandboxFor('bob');
    await sessions.close();
    expect(driver.created.every((s) => s.disposed)).toBe(true);
  });
});
