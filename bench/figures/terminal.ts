/**
 * The terminal as learners feel it, on a production server over socket.io: keystroke echo (a key
 * through the pty bridge into bash, whose readline echoes it, and back) alone and while another
 * learner's shell floods its terminal; and flood throughput to a socket.io client that
 * acknowledges output as xterm.js does, with the server's resident memory watched meanwhile. The
 * flood's floor is the same command in a local sandbox's terminal read by node-pty in this process:
 * what the sandbox (one CPU, `BPFLAB_SANDBOX_CPUS`) and the pty can produce with no server at all.
 */

import type { TerminalBytes } from '../../server/protocol/terminal.js';
import type { ClientSocket } from '../../server/testing/harness.js';
import { latin1, TerminalScreen } from '../../server/testing/socket-client.js';
import { type Bench, distribution, type Plan, repeat, single, withFloor } from '../measure.js';
import type { FigureDef } from '../report.js';
import {
  KEY_SPACING_MS,
  type MeasuredServer,
  pacer,
  startBareDriver,
  startMeasuredServer,
} from '../server.js';

const ECHO_TIMEOUT_MS = 2000;
const WARMUP_KEYS = 100;
/** What one throughput run floods, in characters (bytes: it is ASCII). */
const FLOOD_CHARS = { full: 30e6, quick: 10e6 };
/** Printed after a flood; the command line holds `$((6*7))`, so only its output matches. */
const FLOOD_DONE = 'FLOOD-42-DONE';
const RSS_EVERY_MS = 100;

/** The measured flood: `chars` characters of 64-character lines, then the end marker. */
const floodLine = (chars: number) =>
  `yes "$(printf %063d 0)" | head -c ${chars}; echo; echo FLOOD-$((6*7))-DONE`;

const FIGURES = {
  echo: {
    id: 'terminal.keystroke-echo',
    title: 'keystroke echo, socket.io round trip',
    unit: 'ms',
    target: { stat: 'p99', atMost: 10 },
    obstacle: 'the event loop of the one server process is busy with other work when the key arrives',
  },
  echoFlood: {
    id: 'terminal.keystroke-echo-flood',
    title: 'keystroke echo while another learner floods output',
    unit: 'ms',
    target: { stat: 'p99', atMost: 50 },
    obstacle:
      'the other learner’s output is forwarded on the same event loop, in chunks that each delay the key',
  },
  throughput: {
    id: 'terminal.flood-throughput',
    title: 'flood throughput to a socket.io client (yes | head)',
    unit: 'MB/s',
    target: { stat: 'p50', atLeast: 30 },
    obstacle:
      'per-chunk cost in the server: reading the pty, a socket.io packet and a WebSocket write per batch, and waiting for acknowledgements',
  },
  floor: {
    id: 'floor.pty-flood',
    title: 'floor: the same flood read by node-pty from a sandbox’s terminal, no server',
    unit: 'MB/s',
  },
  floodRss: {
    id: 'terminal.flood-rss-growth',
    title: 'server RSS growth during the floods',
    unit: 'MiB',
    target: { stat: 'value', atMost: 32 },
    obstacle: 'output is buffered in the server faster than the client acknowledges it',
  },
} satisfies Record<string, FigureDef>;

/** A learner's shell at its prompt. */
async function shell(site: MeasuredServer): Promise<{ socket: ClientSocket; screen: TerminalScreen }> {
  const socket = await site.learner();
  const screen = await TerminalScreen.open(socket);
  await screen.waitFor('#', 60_000);
  return { socket, screen };
}

/** Milliseconds from sending a key to the next output on the socket (its echo). */
function roundTrip(socket: ClientSocket, screen: TerminalScreen, key: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no echo of ${JSON.stringify(key)}`)), ECHO_TIMEOUT_MS);
    const started = performance.now();
    socket.once('terminal:output', () => {
      clearTimeout(timer);
      resolve(performance.now() - started);
    });
    screen.type(key);
  });
}

/**
 * Key round trips, as fast as the server's key rate limit lets one learner type; a letter and a
 * backspace alternate, so the line never grows and each echoes once.
 */
async function echoes(plan: Plan, site: MeasuredServer): Promise<number[]> {
  const { socket, screen } = await shell(site);
  const pace = pacer(KEY_SPACING_MS);
  const samples = await repeat(plan.keys, WARMUP_KEYS, async (i) => {
    await pace(socket);
    return roundTrip(socket, screen, i % 2 ? '\x7f' : 'x');
  });
  socket.disconnect();
  return samples;
}

/**
 * Counts a flood's bytes without keeping them (a flood is hundreds of megabytes), remembering
 * only the tail to see the end marker.
 */
class FloodCounter {
  received = 0;
  private tail = '';
  private waiter: (() => void) | null = null;

  take(data: TerminalBytes): void {
    this.received += data.byteLength;
    this.tail = (this.tail + latin1(data)).slice(-200);
    if (this.waiter && this.tail.includes(FLOOD_DONE)) this.waiter();
  }

  /** Resolves once the flood's end marker arrived. */
  done(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.waiter = () => {
        this.waiter = null;
        this.tail = '';
        resolve();
      };
    });
  }

  /** MB/s of one flood: `type` starts it, counted until its end marker. */
  async rate(type: (line: string) => void, chars: number): Promise<number> {
    const done = this.done();
    const from = this.received;
    const started = performance.now();
    type(`${floodLine(chars)}\r`);
    await done;
    return (this.received - from) / 1e6 / ((performance.now() - started) / 1000);
  }
}

/** A learner's terminal on the server that counts a flood and acknowledges it as xterm.js does. */
async function floodTerminal(site: MeasuredServer) {
  const { socket, screen } = await shell(site);
  const counter = new FloodCounter();
  socket.off('terminal:output');
  socket.on('terminal:output', ({ id, data }) => {
    if (id !== screen.id) return;
    socket.emit('terminal:ack', { id, bytes: data.byteLength });
    counter.take(data);
  });
  return {
    type: (data: string) => screen.type(data),
    counter,
    close: () => socket.disconnect(),
  };
}

/**
 * MB/s of the flood read straight from a local sandbox's terminal by node-pty in this process: the
 * sandbox's shell, `yes | head` and the pty as a learner's terminal has them, nothing after.
 */
async function ptyFloodRates(plan: Plan, chars: number): Promise<number[]> {
  const bare = await startBareDriver();
  try {
    const sandbox = await bare.driver.create({ sessionId: 'bench-pty-floor' });
    const shell = sandbox.openTerminal({ cols: 120, rows: 40 });
    const counter = new FloodCounter();
    shell.onData((data) => counter.take(data));
    try {
      return await repeat(plan.runs, plan.warmup, () => counter.rate((line) => shell.write(line), chars));
    } finally {
      shell.kill();
      await sandbox.dispose();
    }
  } finally {
    await bare.close();
  }
}

export const terminalBench: Bench = {
  name: 'terminal',
  figures: Object.values(FIGURES),
  async run(plan, record) {
    const site = await startMeasuredServer();
    try {
      record(distribution(FIGURES.echo, await echoes(plan, site), 2));

      const flooder = await floodTerminal(site);
      flooder.type('yes "flood $(printf %060d 0)"\r');
      record(distribution(FIGURES.echoFlood, await echoes(plan, site), 2));
      const stopped = flooder.counter.done();
      flooder.type('\x03');
      flooder.type('echo FLOOD-$((6*7))-DONE\r');
      await stopped;

      const chars = plan.quick ? FLOOD_CHARS.quick : FLOOD_CHARS.full;
      const rssBefore = await site.rssMiB();
      let rssMax = rssBefore;
      const watch = setInterval(() => {
        void site.rssMiB().then((mib) => {
          rssMax = Math.max(rssMax, mib);
        });
      }, RSS_EVERY_MS);
      try {
        const rates = await repeat(plan.runs, plan.warmup, () => flooder.counter.rate(flooder.type, chars));
        const floor = distribution(FIGURES.floor, await ptyFloodRates(plan, chars), 1);
        record(floor);
        record(withFloor(distribution(FIGURES.throughput, rates, 1), floor));
      } finally {
        clearInterval(watch);
      }
      record(single(FIGURES.floodRss, rssMax - rssBefore, plan.runs + plan.warmup, 1));
      flooder.close();
    } finally {
      await site.stop();
    }
  },
};
