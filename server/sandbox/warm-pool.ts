/**
 * Pre-started sandboxes (Lima VMs, local namespaces) so a learner rarely waits for one to start:
 * a VM boots in a minute, and even a local sandbox costs tens of milliseconds of namespace and
 * mount set-up that a busy machine can stretch well past the 100 ms budget. The pool keeps `size` items
 * ready or starting, refilling in the background after each claim. A claim takes a ready item,
 * else waits for one already starting, else starts one of its own. A failed background start is
 * reported and not retried at once (a broken template must not loop); the next claim refills.
 */
export class WarmPool<T> {
  private readonly ready: T[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly waiters: { resolve: (item: T) => void; reject: (error: unknown) => void }[] = [];
  private closed = false;

  constructor(
    private readonly size: number,
    private readonly make: () => Promise<T>,
    private readonly discard: (item: T) => Promise<void>,
    private readonly reportFailure: (error: unknown) => void,
  ) {}

  get readyCount(): number {
    return this.ready.length;
  }

  get startingCount(): number {
    return this.inFlight.size;
  }

  /** Start items in the background until `size` are ready or starting. */
  fill(): void {
    while (!this.closed && this.ready.length + this.inFlight.size < this.size) this.startOne();
  }

  claim(): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the pool is closed'));
    const item = this.ready.shift();
    try {
      if (item !== undefined) return Promise.resolve(item);
      if (this.waiters.length < this.inFlight.size) {
        return new Promise<T>((resolve, reject) => this.waiters.push({ resolve, reject }));
      }
      return this.make();
    } finally {
      this.fill();
    }
  }

  /** Stop refilling and discard every item, including those still starting. */
  async drain(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) waiter.reject(new Error('the pool is closed'));
    await Promise.all(this.inFlight);
    await Promise.allSettled(this.ready.splice(0).map((item) => this.discard(item)));
  }

  private startOne(): void {
    const started: Promise<void> = this.make().then(
      (item) => {
        this.inFlight.delete(started);
        const waiter = this.waiters.shift();
        if (this.closed) return this.discard(item).catch(this.reportFailure);
        if (waiter) {
          waiter.resolve(item);
          // That item never reached the pool; start its replacement.
          this.fill();
        } else {
          this.ready.push(item);
        }
      },
      (error: unknown) => {
        this.inFlight.delete(started);
        this.reportFailure(error);
        this.waiters.shift()?.reject(error);
      },
    );
    this.inFlight.add(started);
  }
}
