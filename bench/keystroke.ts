/**
 * Keystroke echo round trip: a key sent by a socket.io client over loopback, through the server's
 * pty bridge into bash (readline echoes it) and back, timed until its echo arrives. This is what a
 * learner feels while typing. Targets (issue 3): p50 ≤ 5 ms, p99 ≤ 16 ms.
 *
 *   npx tsx bench/keystroke.ts [--keys 2000] [--driver local|double]
 *
 * `local` (the default where this process may load BPF) types into a real local sandbox; `double`
 * uses the PTY test double (plain bash on a pty, no namespaces) to time the bridge alone.
 * Prints a table and writes bench/results/keystroke-<time>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readHostFacts } from '../server/sandbox/host-facts.js';
import { startTestPlatform } from '../server/testing/harness.js';
import { PtyDriverDouble } from '../server/testing/pty-sandbox-double.js';
import { TerminalScreen } from '../server/testing/socket-client.js';

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

  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  const stats = {
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    max: samples.at(-1)!,
    mean: samples.reduce((a, b) => a + b, 0) / samples.length,
  };
  const pass = stats.p50 <= TARGETS.p50 && stats.p99 <= TARGETS.p99;

  console.log(`\nKeystroke echo round trip, ${keys} keys, driver ${driverName}, socket.io over loopback\n`);
  console.log('| statistic | ms     | target |');
  console.log('|-----------|--------|--------|');
  for (const [name, value] of Object.entries(stats)) {
    const target = name in TARGETS ? `≤ ${TARGETS[name as keyof typeof TARGETS]}` : '';
    console.log(`| ${name.padEnd(9)} | ${value.toFixed(2).padStart(6)} | ${target.padEnd(6)} |`);
  }
  console.log(`\n${pass ? 'PASS' : 'FAIL'}: p50 ${stats.p50.toFixed(2)} ms, p99 ${stats.p99.toFixed(2)} ms`);

  const dir = path.resolve(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `keystroke-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const report = {
    benchmark: 'keystroke-echo',
    date: new Date().toISOString(),
    driver: driverName,
    keys,
    warmupKeys: WARMUP_KEYS,
    machine: { kernel: os.release(), cpus: os.cpus().length, node: process.version },
    targetsMs: TARGETS,
    ms: stats,
    pass,
  };
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
  process.exitCode = pass ? 0 : 1;
} finally {
  await site.close();
}
