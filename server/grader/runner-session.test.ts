import { describe, expect, it, vi } from 'vitest';
import { Attach } from '../labs/schema.js';
import type { ExecResult, Sandbox, SandboxProcess } from '../sandbox/types.js';
import { LIMITS } from './limits.js';
import { RunnerSession, runnerArgs } from './runner-session.js';

/** A scripted stand-in for the runner process: the test says what it prints and how it exits. */
class ScriptedRunner implements SandboxProcess {
  private listener: (line: string) => void = () => {};
  private finish!: (r: ExecResult) => void;
  readonly exited = new Promise<ExecResult>((resolve) => {
    this.finish = resolve;
  });
  inputEnded = false;
  killedWith: NodeJS.Signals | null = null;
  /** What the runner does when its stdin closes; nothing means it hangs. */
  onEndInput: (() => void) | null = null;

  onLine(listener: (line: string) => void) {
    this.listener = listener;
  }
  endInput() {
    this.inputEnded = true;
    this.onEndInput?.();
  }
  kill(signal: NodeJS.Signals = 'SIGKILL') {
    this.killedWith = signal;
    this.exit(null, signal);
  }
  print(...lines: object[]) {
    for (const l of lines) this.listener(JSON.stringify(l));
  }
  exit(exitCode: number | null, signal: NodeJS.Signals | null = null) {
    this.finish({
      exitCode,
      signal,
      stdout: '',
      stderr: '',
      timedOut: false,
      truncated: false,
      durationMs: 1,
    });
  }
}

function session(attach = Attach.parse({ object: 'x.bpf.o', eventType: 'event' })) {
  const runner = new ScriptedRunner();
  const sandbox = { spawn: vi.fn(() => runner) } as unknown as Sandbox;
  const events: unknown[] = [];
  const s = new RunnerSession(sandbox, attach, { text: 'n0nce123', number: 23456 }, false, {
    onEvent: (e) => events.push(e),
  });
  return { runner, s, events, sandbox };
}

const verifierReject = {
  type: 'verifier',
  program: 'count_execs',
  section: 'tp/syscalls/sys_enter_execve',
  accepted: false,
  log: "21: (db) lock *(u64 *)(r0 +0) += r7\nR0 invalid mem access 'map_value_or_null'\n",
};

describe('RunnerSession', () => {
  it('passes the lab attach settings to the runner', () => {
    const attach = Attach.parse({
      object: 'a.bpf.o',
      uprobeBinary: './libgfx.so',
      uprobeFunction: 'gfx_draw',
      usdt: 'gfx:frame',
      perfEvent: ['cycles', 'cpu-clock'],
      rodata: { min_duration_ns: 1000000, enabled: true, target: 'hx-{{nonce}}' },
    });
    expect(runnerArgs(attach, true)).toEqual([
      '/opt/bpflab/bin/bpflab-runner',
      'run',
      'a.bpf.o',
      '--ifname',
      'lo',
      '--perf-freq',
      '99',
      '--log-limit',
      '262144',
      '--uprobe-binary',
      './libgfx.so',
      '--uprobe-function',
      'gfx_draw',
      '--usdt',
      'gfx:frame',
      '--rodata',
      'min_duration_ns=1000000',
      '--rodata',
      'enabled=1',
      '--rodata',
      'target=hx-{{nonce}}',
      '--perf-event',
      'cycles,cpu-clock',
      '--trace-pipe',
    ]);
  });

  it('gives the runner rodata with {{nonce}} and {{nonce_number}} replaced by the run nonce and number', () => {
    const { sandbox } = session(
      Attach.parse({ object: 'x.bpf.o', rodata: { target: 'hx-{{nonce}}', port: '{{nonce_number}}' } }),
    );
    expect(vi.mocked(sandbox.spawn).mock.calls[0]?.[0]).toEqual(
      expect.arrayContaining(['--rodata', 'target=hx-n0nce123', '--rodata', 'port=23456']),
    );
  });

  it('is ready once attached, then collects events and the final map dump after stdin EOF', async () => {
    const { runner, s, events } = session();
    runner.print(
      {
        type: 'loaded',
        programs: [{ name: 'h', section: 'tp/x/y', prog_type: 'tracepoint', id: 7 }],
        maps: [{ name: 'm', map_type: 'hash', id: 9 }],
      },
      { type: 'ready' },
    );
    expect(await s.loaded()).toEqual({ kind: 'ready' });
    runner.print({ type: 'event', map: 'events', data: { pid: 1 } });
    runner.print({ type: 'iter', program: 'list_tasks', line: 'task 1 systemd' });
    runner.onEndInput = () => {
      runner.print({
        type: 'map',
        name: 'm',
        map_type: 'hash',
        entries: [{ key: 1, value: 2 }],
        truncated: false,
      });
      runner.exit(0);
    };
    expect(await s.stop()).toEqual({ kind: 'stopped' });
    expect(runner.inputEnded).toBe(true);
    expect(events).toEqual([{ pid: 1 }]);
    expect(s.maps.get('m')).toEqual([{ key: 1, value: 2 }]);
    expect(s.programs).toEqual([{ name: 'h', type: 'tracepoint', section: 'tp/x/y' }]);
    expect(s.loadedIds).toEqual({ programs: [7], maps: [9] });
    expect(s.mapNames).toEqual(['m']);
    expect(s.iterLines).toEqual(['task 1 systemd']);
  });

  it("reports a verifier rejection as the learner's, with the log", async () => {
    const { runner, s } = session();
    runner.print(verifierReject, {
      type: 'error',
      stage: 'load',
      program: 'count_execs',
      message: "the verifier rejected program 'count_execs': R0 invalid mem access 'map_value_or_null'",
    });
    runner.exit(66);
    expect(await s.loaded()).toEqual({
      kind: 'rejected',
      error: "the verifier rejected program 'count_execs': R0 invalid mem access 'map_value_or_null'",
      program: 'count_execs',
      verifierLog: verifierReject.log,
    });
  });

  it("goes on with a record type missing from the object's BTF, keeping the warning; run failures are the platform's", async () => {
    const missing = session();
    const warning =
      "--event-type: no struct 'event' in the object's BTF, so ring buffer records are shown as hex.";
    missing.runner.print({ type: 'warning', stage: 'run', message: warning }, { type: 'ready' });
    expect(await missing.s.loaded()).toEqual({ kind: 'ready' });
    expect(missing.s.warnings).toEqual([warning]);
    expect(missing.s.errors).toEqual([]);

    const broken = session();
    broken.runner.print({
      type: 'error',
      stage: 'run',
      message: 'opening trace_pipe: Device or resource busy',
    });
    broken.runner.exit(68);
    expect(await broken.s.loaded()).toEqual({
      kind: 'fault',
      reason: 'the runner exited with status 68: opening trace_pipe: Device or resource busy',
    });

    const crashed = session();
    crashed.runner.exit(null, 'SIGSEGV');
    expect(await crashed.s.loaded()).toEqual({
      kind: 'fault',
      reason: 'the runner was killed by SIGSEGV while loading',
    });
  });

  it('kills a runner that does not stop after stdin EOF, and says so', async () => {
    vi.useFakeTimers();
    try {
      const { runner, s } = session();
      runner.print({ type: 'ready' });
      await s.loaded();
      const stopping = s.stop();
      await vi.advanceTimersByTimeAsync(LIMITS.stopMs);
      expect(await stopping).toEqual({
        kind: 'fault',
        reason: `the runner did not stop within ${LIMITS.stopMs / 1000} s`,
      });
      expect(runner.killedWith).toBe('SIGKILL');
    } finally {
      vi.useRealTimers();
    }
  });

  it("treats a failed map dump as the platform's", async () => {
    const { runner, s } = session();
    runner.print({ type: 'ready' });
    await s.loaded();
    runner.onEndInput = () => {
      runner.print({ type: 'error', stage: 'dump', message: "dumping map 'm': Permission denied" });
      runner.exit(69);
    };
    expect(await s.stop()).toEqual({
      kind: 'fault',
      reason: "reading the maps after the run failed: dumping map 'm': Permission denied",
    });
  });
});
