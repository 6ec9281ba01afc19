import { createReadStream, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { type HostCommand, runHostCommand, startHostCommand } from './host-process.js';

const sh = (script: string, env: Record<string, string> = {}): HostCommand => ({
  file: '/bin/sh',
  args: ['-c', script],
  env: { PATH: '/usr/bin:/bin', ...env },
});
const opts = { timeoutMs: 5_000, maxOutputBytes: 64 * 1024 };

/** Running, as opposed to gone or dead and waiting to be reaped (a zombie). */
function alive(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

describe('runHostCommand', () => {
  it('pipes a stream to the command as its input, and a stream that fails to read as EOF', async () => {
    const piped = await runHostCommand(sh('wc -c'), { ...opts, input: createReadStream('/etc/hostname') });
    expect(Number(piped.stdout)).toBe(readFileSync('/etc/hostname').length);
    const missing = await runHostCommand(sh('wc -c'), { ...opts, input: createReadStream('/nonexistent') });
    expect(missing).toMatchObject({ exitCode: 0, stdout: '0\n', timedOut: false });
  });

  it('returns output, exit code and duration of a command that fails', async () => {
    const result = await runHostCommand(sh('echo out; echo err >&2; exit 3'), opts);
    expect(result).toMatchObject({
      exitCode: 3,
      signal: null,
      stdout: 'out\n',
      stderr: 'err\n',
      timedOut: false,
    });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('gives the command only the environment it was given', async () => {
    process.env.BPFLAB_TEST_SECRET = 'hunter2';
    try {
      const result = await runHostCommand(sh('env', { VISIBLE: 'yes' }), opts);
      expect(result.stdout).toContain('VISIBLE=yes');
      expect(result.stdout).not.toContain('hunter2');
    } finally {
      delete process.env.BPFLAB_TEST_SECRET;
    }
  });

  it('feeds input on stdin and closes it', async () => {
    const result = await runHostCommand(sh('tr a-z A-Z'), { ...opts, input: 'bpf\n' });
    expect(result.stdout).toBe('BPF\n');
  });

  it('caps output and flags it, without buffering the excess', async () => {
    const result = await runHostCommand(sh('head -c 1000000 /dev/zero | tr "\\0" x'), {
      ...opts,
      maxOutputBytes: 1000,
    });
    expect(result.stdout).toHaveLength(1000);
    expect(result.truncated).toBe(true);
    expect(result.exitCode).toBe(0);
  });

  it('kills the whole process group on timeout', async () => {
    const result = await runHostCommand(sh('sleep 30 & echo $!; sleep 30'), { ...opts, timeoutMs: 300 });
    expect(result).toMatchObject({ timedOut: true, signal: 'SIGKILL', exitCode: null });
    const background = Number(result.stdout.trim());
    await sleep(50);
    expect(alive(background)).toBe(false);
  });

  it('kills the whole process group when aborted', async () => {
    const controller = new AbortController();
    const running = runHostCommand(sh('sleep 30 & echo $!; sleep 30'), {
      ...opts,
      signal: controller.signal,
    });
    await sleep(200);
    controller.abort();
    const result = await running;
    expect(result).toMatchObject({ timedOut: false, signal: 'SIGKILL' });
    await sleep(50);
    expect(alive(Number(result.stdout.trim()))).toBe(false);
  });

  it('rejects, with the cause, when the command cannot be started at all', async () => {
    const missing = { file: '/nonexistent/limactl', args: [], env: {} };
    await expect(runHostCommand(missing, opts)).rejects.toMatchObject({ cause: { code: 'ENOENT' } });
  });
});

describe('startHostCommand', () => {
  it('delivers stdout lines as they come, including those before the first listener', async () => {
    const proc = startHostCommand(sh('echo first; sleep 0.2; echo second; echo third'), opts);
    await sleep(100);
    const lines: string[] = [];
    proc.onLine((line) => lines.push(line));
    const result = await proc.exited;
    expect(lines).toEqual(['first', 'second', 'third']);
    expect(result.exitCode).toBe(0);
  });

  it('stops the command when its input ends (the runner drains and dumps maps on EOF)', async () => {
    const proc = startHostCommand(sh('cat >/dev/null; echo drained'), opts);
    const lines: string[] = [];
    proc.onLine((line) => lines.push(line));
    await sleep(100);
    proc.endInput();
    expect((await proc.exited).exitCode).toBe(0);
    expect(lines).toEqual(['drained']);
  });

  it('kills on request', async () => {
    const proc = startHostCommand(sh('sleep 30'), opts);
    proc.kill('SIGTERM');
    expect((await proc.exited).signal).toBe('SIGTERM');
  });
});
