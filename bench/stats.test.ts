import { describe, expect, it } from 'vitest';
import { inArrivalOrder, percentile, summarize } from './stats.js';

const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1);

describe('percentile (nearest rank)', () => {
  it('is the smallest sample with at least that share of samples at or below it', () => {
    expect(percentile(oneToHundred, 50)).toBe(50);
    expect(percentile(oneToHundred, 95)).toBe(95);
    expect(percentile(oneToHundred, 99)).toBe(99);
    expect(percentile(oneToHundred, 100)).toBe(100);
  });

  it('rounds the rank up to a measured sample instead of interpolating', () => {
    expect(percentile([10, 20, 30, 40], 50)).toBe(20);
    expect(percentile([10, 20, 30, 40], 51)).toBe(30);
    expect(percentile([10, 20, 30], 95)).toBe(30);
    expect(percentile([7], 1)).toBe(7);
  });

  it('takes the exact rank where a fraction would land just above it', () => {
    // 0.07 * 100 is 7.000000000000001 in floating point, whose ceiling is rank 8.
    expect(percentile(oneToHundred, 7)).toBe(7);
  });

  it('refuses no samples and percentages outside 1..100', () => {
    expect(() => percentile([], 50)).toThrow('no samples');
    expect(() => percentile(oneToHundred, 0)).toThrow('1..100');
    expect(() => percentile(oneToHundred, 99.9)).toThrow('1..100');
  });
});

describe('summarize', () => {
  it('sorts a copy, takes nearest-rank percentiles and rounds to the given decimals', () => {
    const samples = [3.06, 1.5, 9.99, 2.25, 4.75];
    expect(summarize(samples, { decimals: 1 })).toEqual({
      runs: 5,
      mean: 4.3,
      p50: 3.1,
      p90: 10,
      p95: 10,
      p99: 10,
      max: 10,
    });
    expect(samples[0]).toBe(3.06);
    expect(summarize(samples, { decimals: 0 }).p50).toBe(3);
  });
});

describe('inArrivalOrder', () => {
  it('is 1 when jobs finish in the order they arrived, ties included', () => {
    expect(inArrivalOrder([1, 2, 3, 3, 9])).toBe(1);
  });

  it('is 0 when the last to arrive always finishes first', () => {
    expect(inArrivalOrder([9, 5, 2])).toBe(0);
  });

  it('counts the share of pairs kept in order', () => {
    // Pairs (0,1) (0,2) (1,2): only the first two job pairs keep order.
    expect(inArrivalOrder([1, 3, 2])).toBeCloseTo(2 / 3);
  });

  it('refuses fewer than two jobs', () => {
    expect(() => inArrivalOrder([1])).toThrow('at least two');
  });
});
