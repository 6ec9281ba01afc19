/**
 * A hostile client in a process of its own (so its CPU is not the server's): connects with the
 * given cookie, fires `--count` random and malformed messages at once across every event, and
 * prints one JSON line: how many were sent, answered, refused by the rate limits, and the
 * `session:error` notices it got before the server closed it.
 *
 *   tsx server/testing/fuzz-client.ts <url> <origin> <cookie> <terminal id> [count]
 */
import { io } from 'socket.io-client';

const [url, origin, cookie, terminalId, countArg] = process.argv.slice(2);
if (!url || !origin || !cookie || !terminalId)
  throw new Error('usage: fuzz-client <url> <origin> <cookie> <terminal id> [count]');
const count = Number(countArg ?? 3000);

const EVENTS = [
  'terminal:list',
  'terminal:open',
  'terminal:attach',
  'terminal:detach',
  'terminal:input',
  'terminal:resize',
  'terminal:ack',
  'terminal:close',
  'terminal:restart',
  'lab:open',
  'lab:save',
  'lab:check',
  'lab:run',
  'lab:reset',
  'lab:solution',
  'lab:hint',
  'session:presence',
  'session:features',
  'no:such-event',
];
const JUNK: (() => unknown)[] = [
  () => undefined,
  () => null,
  () => 42,
  () => 'x'.repeat(Math.floor(Math.random() * 4096)),
  () => ({ id: 't-0000000000000000', data: 'ls\r' }),
  () => ({ labId: '../../etc/passwd' }),
  () => ({ labId: `lab-${Math.random().toString(36).slice(2)}` }),
  () => ({ cols: -1, rows: 1e9 }),
  () => ({ id: terminalId, chars: -5 }),
  () => [1, [2, [3]]],
  () => ({ labId: 'hello-execve', files: { '../x': 'y' } }),
  () => JSON.parse('{"__proto__":{"polluted":true}}'),
];

const socket = io(url, {
  transports: ['websocket'],
  extraHeaders: { cookie, origin },
  reconnection: false,
  forceNew: true,
});
await new Promise((resolve, reject) => {
  socket.once('connect', () => resolve(null));
  socket.once('connect_error', reject);
});
const notices: string[] = [];
socket.on('session:error', (n: { error: string }) => notices.push(n.error));
type Reply = { ok: boolean; error?: string };
const replies = await Promise.all(
  Array.from({ length: count }, (_, i) =>
    socket
      .timeout(15_000)
      .emitWithAck(EVENTS[i % EVENTS.length]!, JUNK[Math.floor(Math.random() * JUNK.length)]!())
      .then(
        (r: Reply) => r,
        () => null,
      ),
  ),
);
const answered = replies.filter((r): r is Reply => r !== null);
console.log(
  JSON.stringify({
    sent: count,
    answered: answered.length,
    refusedByRateLimit: answered.filter((r) => !r.ok && /^Too many/.test(r.error ?? '')).length,
    notices,
  }),
);
socket.disconnect();
