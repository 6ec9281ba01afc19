import { describe, expect, it } from 'vitest';
import { parseTraceLine, type TraceLine, TraceRouter, type TraceSource } from './trace.js';
import { traceTag } from './trace-tag.js';

/** A stand-in for trace_pipe that echoes markers back into the stream, as the kernel does. */
class FakeTracePipe implements TraceSource {
  router!: TraceRouter;
  opened = 0;
  closed = 0;
  echoMarkers = true;
  async open() {
    this.opened++;
  }
  async writeMarker(text: string) {
    if (this.echoMarkers) this.emit(99, 'tracing_mark_write', text, 'node');
  }
  async close() {
    this.closed++;
  }
  problem() {
    return this.echoMarkers ? null : 'trace_pipe is busy';
  }
  emit(pid: number, event: string, message: string, task = 'sh') {
    this.router.route(`           ${task}-${pid}     [001] d..31  1234.567890: ${event}: ${message}`);
  }
}

// pid → pid namespace, standing in for /proc/<pid>/ns/pid; absent pids have exited.
const namespaces = new Map([
  [100, 'pid:[1001]'],
  [200, 'pid:[2002]'],
]);

async function setup() {
  const pipe = new FakeTracePipe();
  const router = new TraceRouter(pipe, (pid) => namespaces.get(pid));
  pipe.router = router;
  const seen = { a: [] as TraceLine[], b: [] as TraceLine[] };
  const a = await router.subscribe({
    nonce: 'aaaa1111',
    pidNamespace: 'pid:[1001]',
    onLine: (l) => seen.a.push(l),
  });
  const b = await router.subscribe({
    nonce: 'bbbb2222',
    pidNamespace: 'pid:[2002]',
    onLine: (l) => seen.b.push(l),
  });
  return { pipe, router, seen, a, b };
}

describe('parseTraceLine', () => {
  it('reads task names containing dashes and spaces, pid, cpu and timestamp', () => {
    const l = parseTraceLine('  hx-ab12-3 worker-4567    [003] d..31  8812.000123: bpf_trace_printk: exec 1');
    expect(l).toMatchObject({
      task: 'hx-ab12-3 worker',
      pid: 4567,
      cpu: 3,
      timestamp: 8812.000123,
      message: 'exec 1',
    });
  });

  it('accepts the record-tgid column and strips a run tag from message and raw line', () => {
    const l = parseTraceLine(
      `  <...>-42 (   40) [000] ..... 1.5: bpf_trace_printk: ${traceTag('ab12cd34')}hi`,
    );
    expect(l).toMatchObject({ pid: 42, tag: 'ab12cd34', message: 'hi' });
    expect(l?.raw).toBe('  <...>-42 (   40) [000] ..... 1.5: bpf_trace_printk: hi');
  });

  it('ignores headers and other events', () => {
    expect(parseTraceLine('# tracer: nop')).toBeNull();
    expect(parseTraceLine('  sh-1 [000] ..... 1.0: sched_switch: prev_comm=sh')).toBeNull();
  });
});

describe('TraceRouter', () => {
  it('routes a tagged line to the run that printed it, even when another sandbox triggered it', async () => {
    const { pipe, seen } = await setup();
    pipe.emit(200, 'bpf_trace_printk', `${traceTag('aaaa1111')}exec by b's process`);
    expect(seen.a.map((l) => l.message)).toEqual(["exec by b's process"]);
    expect(seen.b).toEqual([]);
  });

  it("routes an untagged line by the printing process's pid namespace", async () => {
    const { pipe, seen } = await setup();
    pipe.emit(100, 'bpf_trace_printk', 'from a');
    pipe.emit(200, 'bpf_trace_printk', 'from b');
    expect(seen.a.map((l) => l.message)).toEqual(['from a']);
    expect(seen.b.map((l) => l.message)).toEqual(['from b']);
  });

  it('drops lines of exited or foreign processes and of runs that are gone', async () => {
    const { pipe, seen, a } = await setup();
    pipe.emit(300, 'bpf_trace_printk', 'exited or host process');
    a.close();
    pipe.emit(100, 'bpf_trace_printk', 'a is gone');
    pipe.emit(1, 'bpf_trace_printk', `${traceTag('aaaa1111')}late line of a`);
    expect(seen.a).toEqual([]);
    expect(seen.b).toEqual([]);
  });

  it('takes untagged lines only after the run start marker, so an old backlog is not attributed', async () => {
    const pipe = new FakeTracePipe();
    const router = new TraceRouter(pipe, (pid) => namespaces.get(pid));
    pipe.router = router;
    pipe.echoMarkers = false;
    const lines: string[] = [];
    await router.subscribe({
      nonce: 'cccc3333',
      pidNamespace: 'pid:[1001]',
      onLine: (l) => lines.push(l.message),
    });
    pipe.emit(100, 'bpf_trace_printk', 'backlog');
    pipe.emit(99, 'tracing_mark_write', 'bpflab-start cccc3333 1');
    pipe.emit(100, 'bpf_trace_printk', 'fresh');
    expect(lines).toEqual(['fresh']);
  });

  it('flush resolves when its marker comes back, and reports a dead reader on timeout', async () => {
    const { pipe, a } = await setup();
    await expect(a.flush(10_000)).resolves.toBe(true);
    expect(a.problem()).toBeNull();
    pipe.echoMarkers = false;
    const started = Date.now();
    await expect(a.flush(30)).resolves.toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(a.problem()).toBe('trace_pipe is busy');
  });

  it('opens the source on demand and releases it after the last run', async () => {
    const { pipe, router, a, b } = await setup();
    expect(pipe.opened).toBe(2);
    a.close();
    expect(pipe.closed).toBe(0);
    b.close();
    expect(pipe.closed).toBe(1);
    expect(router.activeRuns).toBe(0);
  });

  it('refuses a nonce that is already subscribed', async () => {
    const { router } = await setup();
    await expect(router.subscribe({ nonce: 'aaaa1111', onLine: () => {} })).rejects.toThrow(/already/);
  });
});
