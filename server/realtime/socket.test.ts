import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAX_MESSAGE_BYTES } from '../protocol/index.js';
import type { SandboxState } from '../protocol/session.js';
import { type ClientSocket, startTestPlatform, type TestPlatform } from '../testing/harness.js';
import { PtyDriverDouble } from '../testing/pty-sandbox-double.js';
import { request, TerminalScreen } from '../testing/socket-client.js';
import { terminalSocketSuite } from '../testing/terminal-socket-suite.js';

describe('terminals over socket.io (PTY sandbox test double)', () => {
  terminalSocketSuite(() => startTestPlatform({ driver: new PtyDriverDouble() }));
});

describe('the socket handshake', () => {
  let site: TestPlatform;
  let cookie: string;
  beforeAll(async () => {
    site = await startTestPlatform({ driver: new PtyDriverDouble() });
    cookie = await site.newLearner();
  });
  afterAll(() => site.close());

  async function refusal(options: { cookie?: string; origin?: string }) {
    const error = await site.connect(options).then(
      () => null,
      (e: Error & { data?: { code?: string } }) => e,
    );
    if (!error) throw new Error('the handshake was accepted');
    return { message: error.message, code: error.data?.code };
  }

  it('accepts the session cookie from the site origin, also spelled localhost', async () => {
    const socket = await site.connect({ cookie, origin: site.origin });
    socket.disconnect();
    const local = await site.connect({ cookie, origin: site.origin.replace('127.0.0.1', 'localhost') });
    local.disconnect();
  });

  it('refuses a page from another origin even with a valid cookie (cross-site WebSocket hijacking)', async () => {
    expect(await refusal({ cookie, origin: 'https://evil.example' })).toEqual({
      code: 'bad-origin',
      message: expect.stringMatching(/Origin "https:\/\/evil.example" is not this site/),
    });
    expect(await refusal({ cookie, origin: site.origin.replace(/:\d+$/, ':1') })).toMatchObject({
      code: 'bad-origin',
    });
    expect(await refusal({ cookie })).toMatchObject({ code: 'bad-origin' });
  });

  it('refuses a missing or forged session cookie', async () => {
    expect(await refusal({ origin: site.origin })).toEqual({
      code: 'no-session',
      message: expect.stringMatching(/No valid session cookie/),
    });
    const [name, value] = cookie.split('=') as [string, string];
    const [id, mac] = value.split('.') as [string, string];
    const forged = `${name}=${id}.${mac.slice(0, -4)}AAAA`;
    expect(await refusal({ cookie: forged, origin: site.origin })).toMatchObject({ code: 'no-session' });
    expect(await refusal({ cookie: `${name}=${id}`, origin: site.origin })).toMatchObject({
      code: 'no-session',
    });
  });
});

describe('a broken or hostile client', () => {
  let site: TestPlatform;
  let cookie: string;
  beforeAll(async () => {
    site = await startTestPlatform({ driver: new PtyDriverDouble() });
    cookie = await site.newLearner();
  });
  afterAll(() => site.close());

  function closed(socket: ClientSocket): Promise<string> {
    return new Promise((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
  }

  it('is disconnected for a packet that is not valid socket.io, and the server serves on', async () => {
    const socket = await site.connect({ cookie, origin: site.origin });
    const screen = await TerminalScreen.open(socket);
    const gone = closed(socket);
    socket.io.engine.send('2["terminal:input",{"id":');
    expect(await gone).toBe('transport close');

    const again = await site.connect({ cookie, origin: site.origin });
    const reattached = await TerminalScreen.attach(again, screen.id);
    reattached.type('echo alive-$((8 * 8))\r');
    await reattached.waitFor('alive-64');
    again.disconnect();
  });

  it(`is disconnected for a message over ${MAX_MESSAGE_BYTES} bytes, and the server serves on`, async () => {
    const socket = await site.connect({ cookie, origin: site.origin });
    const gone = closed(socket);
    socket.emit('terminal:input', { id: 't-0000000000000000', data: 'x'.repeat(MAX_MESSAGE_BYTES + 1) });
    expect(await gone).toBe('transport close');
    const again = await site.connect({ cookie, origin: site.origin });
    const screen = await TerminalScreen.open(again);
    screen.type('echo fine-$((9 + 9))\r');
    await screen.waitFor('fine-18');
    again.disconnect();
  });

  it('is answered with an error for an unknown event, with or without an ack, and the server serves on', async () => {
    const socket = await site.connect({ cookie, origin: site.origin });
    const raw = socket as unknown as {
      timeout(ms: number): { emitWithAck(...args: unknown[]): Promise<unknown> };
      emit(...args: unknown[]): void;
    };
    expect(await raw.timeout(2000).emitWithAck('terminal:format-disk', {})).toEqual({
      ok: false,
      error: 'Unknown event "terminal:format-disk": this server does not handle it',
    });
    const notices: { event: string; error: string }[] = [];
    socket.on('session:error', (n) => notices.push(n));
    raw.emit('x'.repeat(1000));
    socket.emit('terminal:input', { id: 't-0123456789abcdef', data: 'ls\r' });
    await expect.poll(() => notices.length).toBe(2);
    expect(notices[0]).toEqual({
      event: `${'x'.repeat(64)}…`,
      error: expect.stringMatching(/^Unknown event "x{64}…"/),
    });
    expect(notices[1]).toEqual({ event: 'terminal:input', error: expect.stringMatching(/No such terminal/) });
    const screen = await TerminalScreen.open(socket);
    screen.type('echo ok-$((1 + 0))\r');
    await screen.waitFor('ok-1');
    socket.disconnect();
  });

  it('is refused past the rate limit of an event class, with the limit in the error, and recovers', async () => {
    const socket = await site.connect({ cookie, origin: site.origin });
    const replies = await Promise.all(
      Array.from({ length: 40 }, () => request(socket, 'lab:hint', { labId: 'no-such-lab', index: 0 })),
    );
    const refused = replies.filter((r) => !r.ok && /Too many lab:hint messages/.test(r.error));
    // A burst of 30, then about 5 a second.
    expect(refused.length).toBeGreaterThanOrEqual(8);
    expect(refused[0]).toMatchObject({ error: expect.stringContaining('at most 5 a second (bursts of 30)') });
    expect(replies[0]).toEqual({ ok: false, error: 'There is no lab "no-such-lab"' });
    await new Promise((r) => setTimeout(r, 400));
    expect(await request(socket, 'lab:hint', { labId: 'no-such-lab', index: 0 })).toEqual({
      ok: false,
      error: 'There is no lab "no-such-lab"',
    });
    socket.disconnect();
  });
});

describe('idle sessions', () => {
  let site: TestPlatform;
  const sockets: ClientSocket[] = [];
  beforeAll(async () => {
    site = await startTestPlatform({ driver: new PtyDriverDouble(), env: { BPFLAB_IDLE_TIMEOUT_MS: '600' } });
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });
  afterAll(() => site.close());

  async function connectWatching() {
    const socket = await site.connect({ cookie: await site.newLearner(), origin: site.origin });
    sockets.push(socket);
    const states: SandboxState[] = [];
    socket.on('session:sandbox', (s) => states.push(s));
    return { socket, states };
  }

  it('stops the sandbox of a page nobody uses and tells the page why', async () => {
    const { socket, states } = await connectWatching();
    const screen = await TerminalScreen.open(socket);
    await expect.poll(() => states.map((s) => s.state), { timeout: 3000 }).toContain('reaped');
    expect(states.find((s) => s.state === 'reaped')).toMatchObject({
      message: expect.stringMatching(/stopped/),
    });
    expect(screen.closed).toBe(true);
    // The next action starts a new sandbox.
    const fresh = await TerminalScreen.open(socket);
    fresh.type('echo new-$((2 * 5))\r');
    await fresh.waitFor('new-10');
  });

  it('keeps the sandbox while the page sends presence pings', async () => {
    const { socket, states } = await connectWatching();
    await TerminalScreen.open(socket);
    const ping = setInterval(() => socket.emit('session:presence'), 100);
    await new Promise((r) => setTimeout(r, 1500));
    clearInterval(ping);
    expect(states.map((s) => s.state)).toEqual(['starting', 'ready']);
  });
});
