import { describe, expect, it } from 'vitest';
import { sparklineLabel, sparklinePoints } from './sparkline';

describe('sparklinePoints', () => {
  it('draws rising counts against zero, oldest at the left', () => {
    expect(sparklinePoints([0, 50, 100], 100, 20)).toBe('0,20 50,10 100,0');
    expect(sparklinePoints([90, 100], 10, 20)).toBe('0,2 10,0');
  });

  it('draws one reading as a flat line across, and zeros in the middle', () => {
    expect(sparklinePoints([7], 60, 20)).toBe('0,0 60,0');
    expect(sparklinePoints([0, 0, 0], 60, 20)).toBe('0,10 30,10 60,10');
  });

  it('draws nothing without readings', () => {
    expect(sparklinePoints([], 60, 20)).toBe('');
  });
});

describe('sparklineLabel', () => {
  it('says where the value went', () => {
    expect(sparklineLabel('samples of spin-x', [25, 50, 99])).toBe(
      'samples of spin-x over the run: 25, rising to 99 (3 readings)',
    );
    expect(sparklineLabel('free slots', [4, 1])).toBe(
      'free slots over the run: 4, falling to 1 (2 readings)',
    );
    expect(sparklineLabel('drops', [0])).toBe('drops over the run: 0, unchanged (1 reading)');
  });
});
