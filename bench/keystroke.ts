/**
 * Keystroke echo round trip: a key sent by a socket.io client over loopback, through the server's
 * pty bridge into bash (readline echoes it) and back, timed until its echo arrives. This is what a
 * learner feels while typing. Targets (issue 3): p50 ≤ 5 ms, p99 ≤ 16 ms.
 *
 *   npx tsx bench/keystroke.ts [--keys 2000] [--driver local|double]
 *
 * `local` (the default where this process may load BPF) types into a real local sandbox; `double`
 * uses the PTY test double (plain bash on a pty, no namespaces) to time the bridge alone.
 * Prints a table and writes bench/results/keystroke.json.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { readHostFacts } from '../server/sandbox/host-facts.js';
import { startTestPlatform } from '../server/testing/harness.js';
import { PtyDriverDouble } from '../server/testing/pty-sandbox-double.js';
import { TerminalScreen } from '../server/testing/socket-client.js';
import { printTable, summarize, writeResult } from './stats.js';

const TARGETS = { p50: 5, p99: 16 };
const WARMUP_KEYS = 100;
const ECHO_TIMEOUT_MS = 2000;

const { values } = parseArgs({
  options: {
    keys: { type: 'string', default: '2000' },
    driver: { type: 'string' },
  },
});
const keys = Number(values.keys);
if (!Number.isInteger(keys) || keys < 100)
  throw new Error(`--keys must be an integer ≥ 100, got ${values.keys}`);
const host = readHostFacts();
const driverName = values.driver ?? (host.platform === 'linux' && host.canLoadBpf ? 'local' : 'double');
if (driverName !== 'local' && driverName !== 'double') throw new Error(`--driver must be local or double`);

const site = await startTestPlatform(
  driverName === 'local' ? { env: { BPFLAB_DRIVER: 'local' } } : { driver: new PtyDriverDouble() },
);
try {
  const socket = await site.connect({ cookie: await site.newLearner(), origin: site.origin });
  const screen = await TerminalScreen.open(socket);
  screen.type('echo bench-$((20 + 22))\r');
  await screen.waitFor('bench-42', 15_000);
  await new Promise((r) => setTimeout(r, 200));

  /** Sends one key and resolves with the milliseconds until the next output arrives. */
  const roundTrip = (key: string) =>
    new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no echo of ${JSON.stringify(key)}`)), ECHO_TIMEOUT_MS);
      const started = performance.now();
      socket.once('terminal:output', () => {
        clearTimeout(timer);
        resolve(performance.now() - started);
      });
      screen.type(key);
    });

  // Alternate a letter and a backspace so the line never grows; each echoes exactly once.
  const samples: number[] = [];
  for (let i = 0; i < WARMUP_KEYS + keys; i++) {
    const ms = await roundTrip(i % 2 === 0 ? 'x' : '\x7f');
    if (i >= WARMUP_KEYS) samples.push(ms);
  }
  socket.disconnect();

  // Hundredths of a millisecond: a key's round trip over loopback takes about one.
  const stats = summarize(samples, { decimals: 2 });
  const pass = stats.p50 <= TARGETS.p50 && stats.p99 <= TARGETS.p99;

  console.log(`\nKeystroke echo round trip, ${keys} keys, driver ${driverName}, socket.io over loopback\n`);
  const target = (name: string) => (name in TARGETS ? `≤ ${TARGETS[name as keyof typeof TARGETS]}` : '');
  printTable(
    ['statistic', 'ms', 'target'],
    (['p50', 'p90', 'p99', 'max', 'mean'] as const).map((name) => [name, stats[name], target(name)]),
  );
  console.log(`\n${pass ? 'PASS' : 'FAIL'}: p50 ${stats.p50} ms, p99 ${stats.p99} ms`);

  await writeResult('keystroke', {
    driver: driverName,
    keys,
    warmupKeys: WARMUP_KEYS,
    machine: { kernel: os.release(), cpus: os.cpus().length, node: process.version },
    targetsMs: TARGETS,
    ms: stats,
    pass,
  });
  process.exitCode = pass ? 0 : 1;
} finally {
  await site.close();
}
