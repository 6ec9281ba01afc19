import { describe, expect, it, vi } from 'vitest';
import { WarmPool } from './warm-pool.js';

/** Items that start when the test says so. */
function controllable() {
  const pending: { resolve: (n: number) => void; reject: (e: Error) => void }[] = [];
  let made = 0;
  const make = () =>
    new Promise<number>((resolve, reject) => {
      made++;
      pending.push({ resolve, reject });
    });
  return { make, pending, made: () => made };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('WarmPool', () => {
  it('keeps `size` items starting or ready, and refills after a claim', async () => {
    const items = controllable();
    const pool = new WarmPool(
      2,
      items.make,
      async () => {},
      () => {},
    );
    pool.fill();
    expect(items.made()).toBe(2);
    items.pending[0]?.resolve(1);
    items.pending[1]?.resolve(2);
    await tick();
    expect(pool.readyCount).toBe(2);
    expect(await pool.claim()).toBe(1);
    expect(items.made()).toBe(3);
  });

  it('gives a claim the item already starting rather than starting another', async () => {
    const items = controllable();
    const pool = new WarmPool(
      1,
      items.make,
      async () => {},
      () => {},
    );
    pool.fill();
    const claimed = pool.claim();
    expect(items.made()).toBe(1);
    items.pending[0]?.resolve(7);
    expect(await claimed).toBe(7);
    await tick();
    expect(items.made()).toBe(2);
  });

  it('starts one on demand when none is ready or starting (pool of 0)', async () => {
    const items = controllable();
    const pool = new WarmPool(
      0,
      items.make,
      async () => {},
      () => {},
    );
    const claimed = pool.claim();
    items.pending[0]?.resolve(3);
    expect(await claimed).toBe(3);
    expect(items.made()).toBe(1);
  });

  it('reports a failed background start and hands the failure to the claim waiting for it', async () => {
    const items = controllable();
    const report = vi.fn();
    const pool = new WarmPool(1, items.make, async () => {}, report);
    pool.fill();
    const claimed = pool.claim();
    items.pending[0]?.reject(new Error('provisioning failed'));
    await expect(claimed).rejects.toThrow('provisioning failed');
    expect(report).toHaveBeenCalledOnce();
  });

  it('does not retry a failed start by itself (a broken template must not loop)', async () => {
    const items = controllable();
    const pool = new WarmPool(
      1,
      items.make,
      async () => {},
      () => {},
    );
    pool.fill();
    items.pending[0]?.reject(new Error('boom'));
    await tick();
    expect(items.made()).toBe(1);
  });

  it('discards ready items and those still starting when drained', async () => {
    const items = controllable();
    const discarded: number[] = [];
    const pool = new WarmPool(
      2,
      items.make,
      async (n) => void discarded.push(n),
      () => {},
    );
    pool.fill();
    items.pending[0]?.resolve(1);
    await tick();
    const draining = pool.drain();
    items.pending[1]?.resolve(2);
    await draining;
    expect(discarded.sort()).toEqual([1, 2]);
    await expect(pool.claim()).rejects.toThrow(/closed/);
  });
});
