/**
 * The browser's half of terminal flow control: count what xterm.js has finished writing and tell
 * the server in chunks of `every` bytes (the protocol's ACK_EVERY_BYTES), plus whatever
 * remains once output goes quiet, so the server's count of unacknowledged output returns to zero
 * when the screen is idle.
 */

const QUIET_MS = 50;

export class AckCounter {
  private pending = 0;
  private quiet: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly send: (bytes: number) => void,
    private readonly every: number,
  ) {}

  /** xterm.js finished writing `bytes` bytes of output. */
  written(bytes: number): void {
    this.pending += bytes;
    if (this.pending >= this.every) {
      this.flush();
      return;
    }
    if (this.quiet) clearTimeout(this.quiet);
    this.quiet = setTimeout(() => this.flush(), QUIET_MS);
  }

  /** Forget what was counted (a re-attach starts a new account on the server). */
  reset(): void {
    if (this.quiet) clearTimeout(this.quiet);
    this.quiet = null;
    this.pending = 0;
  }

  private flush(): void {
    if (this.quiet) clearTimeout(this.quiet);
    this.quiet = null;
    if (this.pending === 0) return;
    const bytes = this.pending;
    this.pending = 0;
    this.send(bytes);
  }
}
