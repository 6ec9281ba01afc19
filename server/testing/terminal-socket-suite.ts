/**
 * What a learner's browser must be able to do with terminals over socket.io, run against any
 * driver: the PTY test double in unit tests, the real local driver in integration tests.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MAX_INPUT_CHARS } from '../protocol/terminal.js';
import { DEFAULT_MARKS } from '../terminal/flow-control.js';
import { DEFAULT_BATCH } from '../terminal/output-batcher.js';
import type { ClientSocket, TestPlatform } from './harness.js';
import { expectOk, request, TerminalScreen } from './socket-client.js';

/** `start` gives a fresh platform (see harness.ts) with the driver under test. */
export function terminalSocketSuite(start: () => Promise<TestPlatform>): void {
  let site: TestPlatform;
  let alice: string;
  const sockets: ClientSocket[] = [];
  const connect = async (cookie: string) => {
    const socket = await site.connect({ cookie, origin: site.origin });
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    site = await start();
    alice = await site.newLearner();
  });
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await site?.close();
  });

  it('runs a typed command and shows its output', async () => {
    const screen = await TerminalScreen.open(await connect(alice));
    screen.type('echo hi\r');
    // Not the echo of the command line itself (`echo hi`), but its output on a line of its own.
    await screen.waitFor(/[\r\n]hi\r\n/);
  });

  it('resizes the shell to the browser window', async () => {
    const socket = await connect(alice);
    const screen = await TerminalScreen.open(socket);
    socket.emit('terminal:resize', { id: screen.id, cols: 132, rows: 43 });
    screen.type('stty size\r');
    await screen.waitFor('43 132');
  });

  it('re-attaches a reconnecting browser to the same shell and repaints its scrollback', async () => {
    const first = await connect(alice);
    const before = await TerminalScreen.open(first);
    before.type('echo "pid=$$" && echo replay-$((40 + 2))\r');
    await before.waitFor('replay-42');
    const pid = /pid=(\d+)/.exec(before.text)![1];
    first.disconnect();

    const second = await connect(alice);
    const listed = await expectOk(request(second, 'terminal:list'));
    expect(listed.map((t) => t.id)).toContain(before.id);
    const after = await TerminalScreen.attach(second, before.id);
    expect(after.text).toContain('replay-42');
    after.type('echo "pid=$$"\r');
    await after.waitFor(new RegExp(`pid=${pid}[\\s\\S]*pid=${pid}`));
  });

  it("refuses every action on another learner's terminal, and their input never reaches it", async () => {
    const victim = await TerminalScreen.open(await connect(alice));
    const mallory = await connect(await site.newLearner());
    for (const [event, payload] of [
      ['terminal:attach', { id: victim.id }],
      ['terminal:close', { id: victim.id }],
      ['terminal:restart', { id: victim.id }],
    ] as const) {
      expect(await request(mallory, event, payload)).toEqual({
        ok: false,
        error: expect.stringMatching(/No such terminal/),
      });
    }
    mallory.emit('terminal:input', { id: victim.id, data: 'echo stolen-$((1 + 1))\r' });
    expect(await expectOk(request(mallory, 'terminal:list'))).toEqual([]);
    victim.type('echo mine-$((2 + 2))\r');
    await victim.waitFor('mine-4');
    expect(victim.text).not.toContain('stolen');
  });

  it('reports a shell that exits and restarts it on request', async () => {
    const socket = await connect(alice);
    const screen = await TerminalScreen.open(socket);
    screen.type('exit 7\r');
    await expect.poll(() => screen.exited).toBe(true);
    const info = await expectOk(request(socket, 'terminal:restart', { id: screen.id }));
    expect(info.state).toBe('running');
    screen.type('echo back-$((3 * 3))\r');
    await screen.waitFor('back-9');
  });

  it('closes a terminal and kills its shell', async () => {
    const socket = await connect(alice);
    const screen = await TerminalScreen.open(socket);
    expect(await request(socket, 'terminal:close', { id: screen.id })).toEqual({ ok: true, value: null });
    await expect.poll(() => screen.closed).toBe(true);
    const listed = await expectOk(request(socket, 'terminal:list'));
    expect(listed.map((t) => t.id)).not.toContain(screen.id);
  });

  it('pauses a flooding shell while the browser lags and resumes when it catches up', async () => {
    const socket = await connect(alice);
    const screen = await TerminalScreen.open(socket, false);
    screen.type('yes flood | head -c 20000000; echo flood-$((5 * 5))\r');
    await expect.poll(() => screen.received, { timeout: 5000 }).toBeGreaterThan(DEFAULT_MARKS.high);
    await new Promise((r) => setTimeout(r, 300));
    const stalled = screen.received;
    await new Promise((r) => setTimeout(r, 300));
    // Held back: at most the high-water mark plus the batch in flight, nowhere near 20 MB.
    expect(screen.received).toBe(stalled);
    expect(stalled).toBeLessThan(DEFAULT_MARKS.high + 2 * DEFAULT_BATCH.maxBytes);

    socket.emit('terminal:ack', { id: screen.id, bytes: screen.received });
    await expect.poll(() => screen.received, { timeout: 5000 }).toBeGreaterThan(stalled);
    screen.type('\x03');
    await request(socket, 'terminal:close', { id: screen.id });
  });

  it('refuses malformed and oversized payloads with a reason, and keeps serving', async () => {
    const socket = await connect(alice);
    const screen = await TerminalScreen.open(socket);
    const refusals = [
      await request(socket, 'terminal:open', { cols: 'eighty', rows: 24 }),
      await request(socket, 'terminal:open', { cols: 100_000, rows: 24 }),
      await request(socket, 'terminal:attach', { id: '../../etc/passwd' }),
      await request(socket, 'terminal:attach', { id: screen.id, extra: true }),
      await request(socket, 'terminal:attach', 'not an object'),
      await request(socket, 'terminal:close'),
      await request(socket, 'terminal:close', { id: screen.id }, { id: screen.id }),
    ];
    for (const reply of refusals)
      expect(reply).toEqual({ ok: false, error: expect.stringMatching(/^invalid terminal:/) });
    socket.emit('terminal:input', { id: screen.id, data: 'x'.repeat(MAX_INPUT_CHARS + 1) });
    screen.type('echo still-$((6 + 6))\r');
    await screen.waitFor('still-12');
    expect(screen.text).not.toContain('xxxxxxxx');
  });

  it("reports the sandbox's kernel features", async () => {
    const socket = await connect(alice);
    const reply = await request(socket, 'session:features');
    expect(reply).toMatchObject({ ok: true, value: { kernelRelease: expect.any(String) } });
  });
}
