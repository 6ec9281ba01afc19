/**
 * `limactl start` of one learner VM, and the rule for when it is ready: limactl printed its READY
 * line AND then exited 0. `limactl list` saying Running is not enough: a VM runs long before its
 * provisioning and readiness probes are done, and one whose provisioning failed runs too.
 */
import { spawn } from 'node:child_process';
import { processEnv } from '../host-process.js';
import type { Limactl } from './limactl.js';

export type StartOutcome =
  | { ok: true }
  | { ok: false; failure: 'missing' | 'timeout' | 'failed'; detail: string };

/** Lima's hostagent announces readiness with `READY. Run \`limactl shell NAME\` …`. */
const READY = /\bREADY\. Run\b/;
const KEPT_LINES = 40;

export function startInstance(
  limactl: Limactl,
  name: string,
  template: string,
  timeoutMs: number,
): Promise<StartOutcome> {
  const seconds = Math.ceil(timeoutMs / 1000);
  const child = spawn(
    limactl.exe,
    ['start', `--name=${name}`, '--tty=false', `--timeout=${seconds}s`, template],
    { env: processEnv(limactl.env), detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let sawReady = false;
  let timedOut = false;
  const recent: string[] = [];
  let partial = '';
  const keep = (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (READY.test(line)) sawReady = true;
      recent.push(line);
      if (recent.length > KEPT_LINES) recent.shift();
    }
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);

  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child.pid);
  }, timeoutMs);

  return new Promise((resolve) => {
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ ok: false, failure: 'missing', detail: `cannot run ${limactl.exe}: ${error.message}` });
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (partial) recent.push(partial);
      const output = recent.join('\n');
      if (timedOut) {
        resolve({ ok: false, failure: 'timeout', detail: `no READY within ${seconds} s\n${output}` });
      } else if (code === 0 && sawReady) {
        resolve({ ok: true });
      } else {
        const how = signal ? `killed by ${signal}` : code === 0 ? 'exited 0 without READY' : `exited ${code}`;
        resolve({ ok: false, failure: 'failed', detail: `limactl start ${how}\n${output}` });
      }
    });
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
