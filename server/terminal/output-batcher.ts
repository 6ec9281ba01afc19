/**
 * Groups a shell's output into fewer, larger socket messages without delaying typing. Output goes
 * out on the next tick (everything read in one event-loop turn travels together) unless the shell
 * is streaming, that is, its last message was large and less than `windowMs` ago: then chunks are
 * held until the window ends. A batch reaching `maxBytes` goes out at once. Echoes of keystrokes
 * are tiny, so even fast typing is never held; `yes` or a build log is. Output is bytes, as the
 * shell wrote them (a batch may end inside a UTF-8 character; xterm.js decodes across writes).
 */

export interface BatchLimits {
  windowMs: number;
  maxBytes: number;
  /** A message at least this large marks the shell as streaming. */
  streamingBytes: number;
}

/**
 * 64 KiB messages: a flood costs the event loop (socket.io's encoding, a WebSocket frame, the
 * page's decoding and its acknowledgement) per message, so fewer, larger ones carry more per
 * second; a 5 ms window is below what a person notices.
 */
export const DEFAULT_BATCH: BatchLimits = { windowMs: 5, maxBytes: 64 * 1024, streamingBytes: 1024 };

export class OutputBatcher {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  /** Cancels the scheduled flush, when one is scheduled. */
  private scheduled: (() => void) | null = null;
  private lastFlush = Number.NEGATIVE_INFINITY;
  private lastFlushBytes = 0;

  constructor(
    private readonly send: (data: Uint8Array) => void,
    private readonly limits: BatchLimits = DEFAULT_BATCH,
    private readonly now: () => number = () => performance.now(),
  ) {}

  push(data: Uint8Array): void {
    this.pending.push(data);
    this.pendingBytes += data.byteLength;
    if (this.pendingBytes >= this.limits.maxBytes) {
      this.flush();
      return;
    }
    if (this.scheduled) return;
    const streaming = this.lastFlushBytes >= this.limits.streamingBytes;
    const wait = this.lastFlush + this.limits.windowMs - this.now();
    if (!streaming || wait <= 0) {
      const tick = setImmediate(() => this.flush());
      this.scheduled = () => clearImmediate(tick);
    } else {
      const timer = setTimeout(() => this.flush(), wait);
      this.scheduled = () => clearTimeout(timer);
    }
  }

  /** Send whatever is held now (before a replay snapshot, so nothing is sent twice or lost). */
  flush(): void {
    this.cancelTimer();
    if (this.pendingBytes === 0) return;
    const data =
      this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.lastFlush = this.now();
    this.lastFlushBytes = data.byteLength;
    this.send(data);
  }

  /** Drop held output without sending it (the terminal is gone). */
  discard(): void {
    this.cancelTimer();
    this.pending = [];
    this.pendingBytes = 0;
  }

  private cancelTimer(): void {
    this.scheduled?.();
    this.scheduled = null;
  }
}
