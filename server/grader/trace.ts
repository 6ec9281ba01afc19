/**
 * Routes bpf_printk output to the grade run that owns it. A kernel has one trace_pipe and reading
 * it consumes the lines, so the server keeps exactly one reader per kernel and hands each line to
 * one run, never to another learner:
 *
 * 1. Graded builds tag every bpf_printk format with the run's nonce (`[bl:<nonce>] `, see
 *    trace-tag.ts). A tagged line belongs to that run whoever's process triggered it, so a
 *    learner's program firing on another learner's process still reports to its own run only.
 * 2. An untagged line (a program the learner loaded by hand) belongs to the run whose sandbox
 *    holds the printing process, found by its pid namespace while the process exists; lines whose
 *    process is gone or foreign are dropped.
 *
 * Markers written to trace_marker delimit runs in the stream: a run takes untagged lines only after
 * its start marker (so a reopened pipe's backlog is not mistaken for its output), and `flush()`
 * resolves when a marker written after the workload has come back, so every line printed before it
 * has been routed (trace_pipe merges the per-CPU buffers in timestamp order).
 */
import { TRACE_TAG_PATTERN } from './trace-tag.js';

export interface TraceLine {
  task: string;
  pid: number;
  cpu: number;
  /** Seconds, in the trace clock. */
  timestamp: number;
  /** The text the program printed, without the run tag. */
  message: string;
  /** The line as trace_pipe printed it, without the run tag. */
  raw: string;
}

/** Where lines come from and markers go: the kernel's trace_pipe, or a fake in tests. */
export interface TraceSource {
  /** Starts delivering lines (idempotent); `onLine` was given when the source was made. */
  open(): Promise<void>;
  writeMarker(text: string): Promise<void>;
  close(): Promise<void>;
  /** Why lines are not arriving (the reader failed), or null. */
  problem(): string | null;
}

export interface TraceSubscriber {
  nonce: string;
  /** The run sandbox's pid namespace (`pid:[4026532…]`), for untagged lines; omit to take tagged only. */
  pidNamespace?: string;
  onLine(line: TraceLine): void;
}

export interface TraceSubscription {
  /**
   * Resolves true once every line printed before the call has been routed, or false after
   * `timeoutMs` when the marker never came back (the reader is not working; see `problem`).
   */
  flush(timeoutMs?: number): Promise<boolean>;
  /** Why trace lines may be missing, or null. */
  problem(): string | null;
  close(): void;
}

const LINE = /^\s*(.+)-(\d+)\s+(?:\(\s*[\d-]+\)\s+)?\[(\d+)\]\s+(?:\S+\s+)?(\d+\.\d+):\s+([\w:]+):\s?(.*)$/;
const MARKER = /^bpflab-(start|flush) ([a-z0-9]+) (\d+)$/;

/** Parses one trace_pipe line; null for anything that is not a printk or marker event. */
export function parseTraceLine(raw: string): (TraceLine & { event: string; tag?: string }) | null {
  const m = LINE.exec(raw);
  if (!m) return null;
  const event = m[5]!;
  if (event !== 'bpf_trace_printk' && event !== 'tracing_mark_write') return null;
  const body = m[6]!;
  const tag = TRACE_TAG_PATTERN.exec(body);
  const message = tag ? body.slice(tag[0].length) : body;
  return {
    task: m[1]!.trim(),
    pid: Number(m[2]),
    cpu: Number(m[3]),
    timestamp: Number(m[4]),
    event,
    message,
    raw: tag ? raw.replace(tag[0], '') : raw,
    ...(tag ? { tag: tag[1]! } : {}),
  };
}

interface Run {
  subscriber: TraceSubscriber;
  armed: boolean;
  flushes: Map<number, () => void>;
}

export class TraceRouter {
  private readonly runs = new Map<string, Run>();
  private markerSeq = 0;

  /**
   * @param source where lines come from; it calls `route` for each
   * @param pidNamespaceOf the pid namespace of a live host pid, or undefined when it has exited
   */
  constructor(
    private readonly source: TraceSource,
    private readonly pidNamespaceOf: (pid: number) => string | undefined,
  ) {}

  async subscribe(subscriber: TraceSubscriber): Promise<TraceSubscription> {
    if (this.runs.has(subscriber.nonce))
      throw new Error(`trace: nonce ${subscriber.nonce} already subscribed`);
    const run: Run = { subscriber, armed: false, flushes: new Map() };
    this.runs.set(subscriber.nonce, run);
    await this.source.open();
    await this.source.writeMarker(`bpflab-start ${subscriber.nonce} ${++this.markerSeq}`);
    return {
      flush: (timeoutMs = 500) => this.flush(run, timeoutMs),
      problem: () => this.source.problem(),
      close: () => {
        for (const done of run.flushes.values()) done();
        run.flushes.clear();
        this.runs.delete(subscriber.nonce);
        if (this.runs.size === 0) void this.source.close();
      },
    };
  }

  /** Hands one raw trace_pipe line to its run, if any. */
  route(raw: string): void {
    const line = parseTraceLine(raw);
    if (!line) return;
    if (line.event === 'tracing_mark_write') {
      this.onMarker(line.message);
      return;
    }
    const { event: _event, tag, ...delivered } = line;
    if (tag !== undefined) {
      this.runs.get(tag)?.subscriber.onLine(delivered);
      return;
    }
    const namespace = this.pidNamespaceOf(line.pid);
    if (namespace === undefined) return;
    for (const run of this.runs.values()) {
      if (run.armed && run.subscriber.pidNamespace === namespace) run.subscriber.onLine(delivered);
    }
  }

  get activeRuns(): number {
    return this.runs.size;
  }

  private onMarker(text: string): void {
    const m = MARKER.exec(text);
    if (!m) return;
    const run = this.runs.get(m[2]!);
    if (!run) return;
    if (m[1] === 'start') run.armed = true;
    else run.flushes.get(Number(m[3]))?.();
  }

  private async flush(run: Run, timeoutMs: number): Promise<boolean> {
    const seq = ++this.markerSeq;
    const seen = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      run.flushes.set(seq, () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    await this.source.writeMarker(`bpflab-flush ${run.subscriber.nonce} ${seq}`);
    const complete = await seen;
    run.flushes.delete(seq);
    return complete;
  }
}
