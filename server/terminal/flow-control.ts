/**
 * Backpressure from the browsers watching a terminal onto its shell. Each viewer acknowledges the
 * output it has written to xterm.js; while any viewer has more than `high` bytes
 * unacknowledged the shell is paused (the kernel's pty buffer fills and the program writing to it
 * blocks), and it resumes once every viewer is below `low`. A terminal nobody watches is paused
 * too: a program flooding a shell whose page is gone blocks on its own pty instead of costing the
 * server the reading, and carries on where it was when a page attaches again.
 */

export interface Valve {
  pause(): void;
  resume(): void;
}

export interface WaterMarks {
  high: number;
  low: number;
}

/**
 * Far above a screenful, far below what would make Ctrl-C feel ignored behind `yes` (xterm.js
 * draws a MiB of plain text in tens of ms). The window must cover what travels during one
 * acknowledgement's round trip (the page acknowledges after xterm.js has parsed the output), or
 * the shell waits for the page between bursts: 256 KiB held a flood near 10 MB/s.
 */
export const DEFAULT_MARKS: WaterMarks = { high: 1024 * 1024, low: 256 * 1024 };

export class FlowControl {
  private readonly unacked = new Map<string, number>();
  /** Starts paused: nobody watches yet. The owner applies it to the valve it opens. */
  private paused = true;

  constructor(
    private readonly valve: Valve,
    private readonly marks: WaterMarks = DEFAULT_MARKS,
  ) {
    if (!(marks.low < marks.high))
      throw new Error(`flow control needs low < high, got ${JSON.stringify(marks)}`);
  }

  get isPaused(): boolean {
    return this.paused;
  }

  addViewer(viewer: string): void {
    this.unacked.set(viewer, 0);
    this.maybeResume();
  }

  removeViewer(viewer: string): void {
    this.unacked.delete(viewer);
    if (this.unacked.size === 0 && !this.paused) {
      this.paused = true;
      this.valve.pause();
    }
    this.maybeResume();
  }

  /** `bytes` were sent to `viewer` (one viewer: a replay on attach). */
  sentTo(viewer: string, bytes: number): void {
    const count = this.unacked.get(viewer);
    if (count === undefined) return;
    this.unacked.set(viewer, count + bytes);
    this.maybePause();
  }

  /** `bytes` were sent to every viewer. */
  sentToAll(bytes: number): void {
    for (const [viewer, count] of this.unacked) this.unacked.set(viewer, count + bytes);
    this.maybePause();
  }

  /** The viewer wrote `bytes` to its screen. Acks beyond what was sent count as everything. */
  acked(viewer: string, bytes: number): void {
    const count = this.unacked.get(viewer);
    if (count === undefined) return;
    this.unacked.set(viewer, Math.max(0, count - bytes));
    this.maybeResume();
  }

  private maybePause(): void {
    if (this.paused) return;
    for (const count of this.unacked.values()) {
      if (count > this.marks.high) {
        this.paused = true;
        this.valve.pause();
        return;
      }
    }
  }

  private maybeResume(): void {
    if (!this.paused || this.unacked.size === 0) return;
    for (const count of this.unacked.values()) if (count >= this.marks.low) return;
    this.paused = false;
    this.valve.resume();
  }
}
