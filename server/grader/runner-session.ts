/**
 * One `bpflab-runner run` in the sandbox: it loads and attaches the object, then streams what the
 * programs report until told to stop (stdin EOF), and dumps the maps. This gathers its lines into
 * evidence and turns its exit into an outcome: ready, rejected (the learner's object), or fault
 * (the platform's). Stopping never leaves it running: EOF first, SIGKILL after LIMITS.stopMs; the
 * kernel detaches programs whose last file descriptor closes, and the runner pins nothing.
 */
import type { LabManifest } from '../labs/schema.js';
import { GRADE_OVERHEAD_MS } from '../protocol/grade-deadline.js';
import { RUNNER } from '../sandbox/tools-tree.js';
import type { ExecResult, Sandbox, SandboxProcess } from '../sandbox/types.js';
import type { LoadedProgram, MapEntry, ProgramStats } from './evidence.js';
import { LIMITS } from './limits.js';
import { LIVE_MAP_ARGS } from './live-maps.js';
import { type RunNonces, withNonce } from './nonce.js';
import { programStatsOf } from './program-stats.js';
import { runDirOf } from './run-dir.js';
import {
  LEARNER_EXITS,
  type MapsSnapshot,
  parseRunnerLine,
  RunnerExit,
  type RunnerLine,
} from './runner-protocol.js';

export type LoadOutcome =
  | { kind: 'ready' }
  | { kind: 'rejected'; error: string; program?: string; verifierLog?: string }
  | { kind: 'fault'; reason: string };

export type StopOutcome = { kind: 'stopped' } | { kind: 'fault'; reason: string };

export interface RunnerListeners {
  onEvent?(data: unknown): void;
  /** Live map snapshots while the run streams; given, the runner is asked for them (LIVE_MAP_ARGS). */
  onMaps?(snapshot: MapsSnapshot): void;
  /** Raw trace_pipe lines, when the runner reads trace_pipe itself (a sandbox with its own kernel). */
  onTraceLine?(line: string): void;
}

export function runnerArgs(
  attach: NonNullable<LabManifest['attach']>,
  readTracePipe: boolean,
  runStats = false,
): string[] {
  const args = [
    RUNNER,
    'run',
    attach.object,
    '--ifname',
    attach.interface,
    '--perf-freq',
    String(attach.perfFrequency),
    '--log-limit',
    String(LIMITS.verifierLogBytes),
  ];
  if (attach.eventType) args.push('--event-type', attach.eventType);
  if (attach.uprobeBinary) args.push('--uprobe-binary', attach.uprobeBinary);
  if (attach.uprobeFunction) args.push('--uprobe-function', attach.uprobeFunction);
  if (attach.usdt) args.push('--usdt', attach.usdt);
  args.push(...rodataArgs(attach));
  if (attach.perfEvent) args.push('--perf-event', attach.perfEvent.join(','));
  if (readTracePipe) args.push('--trace-pipe');
  if (runStats) args.push('--stats');
  return args;
}

/** `--rodata NAME=VALUE` for each `const volatile` global the lab sets before load. */
export function rodataArgs(attach: NonNullable<LabManifest['attach']>): string[] {
  return Object.entries(attach.rodata ?? {}).flatMap(([name, value]) => [
    '--rodata',
    `${name}=${typeof value === 'boolean' ? Number(value) : value}`,
  ]);
}

export class RunnerSession {
  readonly programs: LoadedProgram[] = [];
  /** Kernel ids of what was loaded, so a caller can prove none of it outlived the run. */
  readonly loadedIds = { programs: [] as number[], maps: [] as number[] };
  /** Names of the loaded object's maps (internal ones by section: `.bss`, `.rodata`…). */
  readonly mapNames: string[] = [];
  readonly events: unknown[] = [];
  droppedEvents = 0;
  /** Lines the object's BPF iterators printed, read once when the run stops. */
  readonly iterLines: string[] = [];
  /** libbpf's CO-RE relocation lines from the load, and how many the runner had no room for. */
  core: { lines: string[]; omitted: number } | null = null;
  readonly maps = new Map<string, MapEntry[]>();
  /** Each dumped map's type (`hash`, `percpu_array`…), by name. */
  readonly mapTypes = new Map<string, string>();
  /** Each program as the kernel reported it after the run (runner's program_stats lines). */
  readonly programStats: ProgramStats[] = [];
  /** What each program was attached to, by name (the runner's attached lines). */
  private readonly targets = new Map<string, string>();
  /** The runner's error lines (their messages already name the program). */
  readonly errors: string[] = [];
  /** What the runner went on without (records it could not decode), for the grade's log. */
  readonly warnings: string[] = [];
  /** Verifier logs by program; the rejected one explains a failed load. */
  readonly verifierLogs = new Map<string, { accepted: boolean; log: string }>();
  private readonly process: SandboxProcess;
  private readonly readyOrExit: Promise<LoadOutcome>;
  private exit: ExecResult | null = null;
  private killedByUs = false;
  /** The sandbox's Sandbox.slowdown: the load limit stretches with it, as exec limits do. */
  private readonly slowdown: number;

  constructor(
    sandbox: Sandbox,
    attach: NonNullable<LabManifest['attach']>,
    nonces: RunNonces,
    readTracePipe: boolean,
    private readonly listeners: RunnerListeners,
    /** Count runs and run time (`--stats`), for program checks that judge them. */
    runStats = false,
  ) {
    this.slowdown = sandbox.slowdown ?? 1;
    const args = runnerArgs(withNonce(attach, nonces), readTracePipe, runStats);
    this.process = sandbox.spawn([...args, ...(listeners.onMaps ? LIVE_MAP_ARGS : [])], {
      cwd: runDirOf(nonces.text),
      // The grade's deadline stops it earlier; this only bounds a runner nobody stops.
      timeoutMs: LIMITS.loadMs + GRADE_OVERHEAD_MS,
      maxOutputBytes: LIMITS.runnerOutputBytes,
    });
    let markReady: () => void = () => {};
    const ready = new Promise<LoadOutcome>((resolve) => {
      markReady = () => resolve({ kind: 'ready' });
    });
    this.process.onLine((text) => {
      const line = parseRunnerLine(text);
      if (line?.type === 'ready') markReady();
      else if (line) this.take(line);
    });
    const exited = this.process.exited.then((result) => {
      this.exit = result;
      return this.outcomeBeforeReady(result);
    });
    this.readyOrExit = Promise.race([ready, exited]);
  }

  /** Resolves when the programs are attached, or with why they are not (within LIMITS.loadMs). */
  async loaded(): Promise<LoadOutcome> {
    let timer: NodeJS.Timeout | undefined;
    const limitMs = LIMITS.loadMs * this.slowdown;
    const timeout = new Promise<LoadOutcome>((resolve) => {
      timer = setTimeout(
        () => resolve({ kind: 'fault', reason: `loading did not finish within ${limitMs / 1000} s` }),
        limitMs,
      );
    });
    const outcome = await Promise.race([this.readyOrExit, timeout]);
    clearTimeout(timer);
    return outcome;
  }

  /** Stops the run and waits for the final map dump; SIGKILL when the runner does not stop in time. */
  async stop(): Promise<StopOutcome> {
    if (!this.exit) {
      this.process.endInput();
      const killer = setTimeout(() => this.kill(), LIMITS.stopMs);
      await this.process.exited;
      clearTimeout(killer);
    }
    const exit = this.exit!;
    if (this.killedByUs)
      return { kind: 'fault', reason: `the runner did not stop within ${LIMITS.stopMs / 1000} s` };
    if (exit.signal) return { kind: 'fault', reason: `the runner was killed by ${exit.signal}` };
    if (exit.exitCode === RunnerExit.dump) {
      return { kind: 'fault', reason: `reading the maps after the run failed: ${this.errorText(exit)}` };
    }
    if (exit.exitCode !== RunnerExit.ok) {
      return {
        kind: 'fault',
        reason: `the runner exited with status ${exit.exitCode}: ${this.errorText(exit)}`,
      };
    }
    return { kind: 'stopped' };
  }

  /** Kills the runner now (the grade's deadline passed, or cleanup after a fault). */
  kill(): void {
    if (this.exit) return;
    this.killedByUs = true;
    this.process.kill('SIGKILL');
  }

  get finished(): Promise<unknown> {
    return this.process.exited;
  }

  private take(line: Exclude<RunnerLine, { type: 'ready' }>): void {
    switch (line.type) {
      case 'verifier':
        this.verifierLogs.set(line.program, {
          accepted: line.accepted,
          log: line.truncated
            ? `… (the log's start is left out: only its last ${LIMITS.verifierLogBytes / 1024} KiB are kept)\n${line.log}`
            : line.log,
        });
        break;
      case 'loaded':
        for (const p of line.programs) {
          this.programs.push({ name: p.name, type: p.prog_type, section: p.section });
          this.loadedIds.programs.push(p.id);
        }
        this.loadedIds.maps.push(...line.maps.map((m) => m.id));
        this.mapNames.push(...line.maps.map((m) => m.name));
        break;
      case 'event':
        if (this.events.length < LIMITS.keptEvents) this.events.push(line.data);
        else this.droppedEvents++;
        this.listeners.onEvent?.(line.data);
        break;
      case 'trace':
        this.listeners.onTraceLine?.(line.line);
        break;
      case 'iter':
        if (this.iterLines.length < LIMITS.keptTraceLines) this.iterLines.push(line.line);
        break;
      case 'core':
        this.core = { lines: line.lines, omitted: line.omitted };
        break;
      case 'map':
        this.maps.set(line.name, line.entries);
        this.mapTypes.set(line.name, line.map_type);
        break;
      case 'maps':
        this.listeners.onMaps?.(line);
        break;
      case 'warning':
        this.warnings.push(line.message);
        break;
      case 'error':
        this.errors.push(line.message);
        break;
      case 'attached':
        this.targets.set(line.program, line.target);
        break;
      case 'program_stats':
        this.programStats.push(
          programStatsOf(line, this.targets.get(line.program), this.verifierLogs.get(line.program)?.log),
        );
        break;
    }
  }

  private outcomeBeforeReady(exit: ExecResult): LoadOutcome {
    if (exit.exitCode !== null && LEARNER_EXITS.has(exit.exitCode)) {
      const rejected = [...this.verifierLogs].find(([, v]) => !v.accepted);
      return {
        kind: 'rejected',
        error: this.errors.at(-1) ?? `the runner exited with status ${exit.exitCode}`,
        ...(rejected ? { program: rejected[0], verifierLog: rejected[1].log } : {}),
      };
    }
    if (exit.timedOut) return { kind: 'fault', reason: 'the runner was stopped before it was ready' };
    if (exit.signal)
      return { kind: 'fault', reason: `the runner was killed by ${exit.signal} while loading` };
    return {
      kind: 'fault',
      reason: `the runner exited with status ${exit.exitCode}: ${this.errorText(exit)}`,
    };
  }

  private errorText(exit: ExecResult): string {
    return this.errors.join('; ') || exit.stderr.trim().split('\n').at(-1) || 'no message';
  }
}
