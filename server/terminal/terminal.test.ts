import { afterEach, describe, expect, it } from 'vitest';
import type { TerminalExit } from '../protocol/terminal.js';
import { spawnPty } from '../sandbox/pty.js';
import { isAlive, PtyDriverDouble, type PtySandboxDouble } from '../testing/pty-sandbox-double.js';
import { waitFor } from '../testing/wait.js';
import { Terminal, type TerminalViewer } from './terminal.js';

const driver = new PtyDriverDouble();
afterEach(() => driver.shutdown());

async function openTerminal() {
  const sandbox = (await driver.create({ sessionId: 'unit' })) as PtySandboxDouble;
  const terminal = new Terminal('t-0000000000000001', 'shell 1', (s) => sandbox.openTerminal(s), {
    cols: 80,
    rows: 24,
  });
  return { sandbox, terminal };
}

function recorder() {
  const seen = { output: '', exits: [] as TerminalExit[], closed: 0 };
  const viewer: TerminalViewer = {
    output: (data) => {
      seen.output += Buffer.from(data).toString();
    },
    exited: (exit) => seen.exits.push(exit),
    closed: () => seen.closed++,
  };
  return { seen, viewer };
}

describe('Terminal', () => {
  it('runs what is typed and shows its output', async () => {
    const { terminal } = await openTerminal();
    const { seen, viewer } = recorder();
    terminal.attach('a', viewer);
    terminal.write('echo $((6 * 7))\r');
    await waitFor(() => seen.output.includes('42'), 'the echo');
    terminal.close();
  });

  it('replays recent output to a viewer that attaches later, once', async () => {
    const { terminal } = await openTerminal();
    const first = recorder();
    terminal.attach('a', first.viewer);
    terminal.write('echo marker-$((1 + 1))\r');
    await waitFor(() => first.seen.output.includes('marker-2'), 'the first output');
    const late = recorder();
    const replay = terminal.attach('b', late.viewer);
    expect(Buffer.from(replay).toString()).toContain('marker-2');
    terminal.write('echo after-$((2 + 1))\r');
    await waitFor(() => late.seen.output.includes('after-3'), 'live output for the late viewer');
    expect(late.seen.output).not.toContain('marker-2');
    terminal.close();
  });

  it('reports a shell that exits, and restarts a fresh one in its place', async () => {
    const { sandbox, terminal } = await openTerminal();
    const { seen, viewer } = recorder();
    terminal.attach('a', viewer);
    terminal.write('exit 3\r');
    await waitFor(() => seen.exits.length === 1, 'the exit');
    expect(seen.exits[0]).toEqual({ exitCode: 3, signal: null });
    expect(terminal.info()).toMatchObject({ state: 'exited', exit: { exitCode: 3 } });

    expect(terminal.restart()).toBe(true);
    expect(terminal.restart()).toBe(false);
    expect(terminal.info().state).toBe('running');
    terminal.write('echo again-$((3 + 4))\r');
    await waitFor(() => seen.output.includes('again-7'), 'output of the restarted shell');
    expect(sandbox.shells).toHaveLength(2);
    terminal.close();
  });

  it('kills the shell when closed and tells its viewers', async () => {
    const { sandbox, terminal } = await openTerminal();
    const { seen, viewer } = recorder();
    terminal.attach('a', viewer);
    terminal.close();
    terminal.close();
    expect(seen.closed).toBe(1);
    const shell = sandbox.shells[0]!;
    await waitFor(() => !isAlive(shell.pid), 'the shell to die');
  });

  it('kills a shell that ignores the hang-up', async () => {
    const stubborn = spawnPty('bash', ['--norc', '-c', 'trap "" HUP; echo ready; read -r line'], {});
    const terminal = new Terminal('t-0000000000000002', 'stubborn', () => stubborn, { cols: 80, rows: 24 });
    const { seen, viewer } = recorder();
    terminal.attach('a', viewer);
    await waitFor(() => seen.output.includes('ready'), 'the trap to be set');
    terminal.close();
    await waitFor(() => !isAlive(stubborn.pid), 'the stubborn shell to be killed', 3000);
  });

  it('keeps the shell running when its last viewer detaches', async () => {
    const { sandbox, terminal } = await openTerminal();
    const { viewer } = recorder();
    terminal.attach('a', viewer);
    terminal.detach('a');
    terminal.write('echo detached-$((5 + 5))\r');
    const again = recorder();
    await waitFor(() => {
      terminal.detach('b');
      return Buffer.from(terminal.attach('b', again.viewer)).toString().includes('detached-10');
    }, 'output kept while detached');
    expect(isAlive(sandbox.shells[0]!.pid)).toBe(true);
    terminal.close();
  });
});
