/**
 * Groups a shell's output into fewer, larger socket messages without delaying typing. Output goes
 * out on the next tick (everything read in one event-loop turn travels together) unless the shell
 * is streaming, that is, its last message was large and less than `windowMs` ago: then chunks are
 * held until the window ends. A batch reaching `maxChars` goes out at once. Echoes of keystrokes
 * are tiny, so even fast typing is never held; `yes` or a build log is.
 */

export interface BatchLimits {
  windowMs: number;
  maxChars: number;
  /** A message at least this large marks the shell as streaming. */
  streamingChars: number;
}

/**
 * 64 KiB messages: a flood costs the event loop (socket.io's encoding, a WebSocket frame, the
 * page's decoding and its acknowledgement) per message, so fewer, larger ones carry more per
 * second; a 5 ms window is below what a person notices.
 */
export const DEFAULT_BATCH: BatchLimits = { windowMs: 5, maxChars: 64 * 1024, streamingChars: 1024 };

export class OutputBatcher {
  private pending: string[] = [];
  private pendingChars = 0;
  /** Cancels the scheduled flush, when one is scheduled. */
  private scheduled: (() => void) | null = null;
  private lastFlush = Number.NEGATIVE_INFINITY;
  private lastFlushChars = 0;

  constructor(
    private readonly send: (data: string) => void,
    private readonly limits: BatchLimits = DEFAULT_BATCH,
    private readonly now: () => number = () => performance.now(),
  ) {}

  push(data: string): void {
    this.pending.push(data);
    this.pendingChars += data.length;
    if (this.pendingChars >= this.limits.maxChars) {
      this.flush();
      return;
    }
    if (this.scheduled) return;
    const streaming = this.lastFlushChars >= this.limits.streamingChars;
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
    if (this.pendingChars === 0) return;
    const data = this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    this.lastFlush = this.now();
    this.lastFlushChars = data.length;
    this.send(data);
  }

  /** Drop held output without sending it (the terminal is gone). */
  discard(): void {
    this.cancelTimer();
    this.pending = [];
    this.pendingChars = 0;
  }

  private cancelTimer(): void {
    this.scheduled?.();
    this.scheduled = null;
  }
}
