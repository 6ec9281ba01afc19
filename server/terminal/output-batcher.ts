/**
 * Groups a shell's output into fewer, larger socket messages. The first chunk after a quiet spell
 * goes out on the next tick, so a keystroke's echo is not delayed; chunks that follow within
 * `windowMs` are held and sent together, and a batch reaching `maxChars` goes out at once.
 */

export interface BatchLimits {
  windowMs: number;
  maxChars: number;
}

export const DEFAULT_BATCH: BatchLimits = { windowMs: 5, maxChars: 16 * 1024 };

export class OutputBatcher {
  private pending: string[] = [];
  private pendingChars = 0;
  /** Cancels the scheduled flush, when one is scheduled. */
  private scheduled: (() => void) | null = null;
  private lastFlush = Number.NEGATIVE_INFINITY;

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
    const wait = this.lastFlush + this.limits.windowMs - this.now();
    if (wait <= 0) {
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
