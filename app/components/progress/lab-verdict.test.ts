import { describe, expect, it } from 'vitest';
import type { LabProgress } from '@/server/protocol/lab';
import { labVerdict, VERDICT_TEXT } from './lab-verdict';

const record = (overrides: Partial<LabProgress>): LabProgress => ({
  attempts: 2,
  bestScore: 8,
  maxScore: 8,
  passed: false,
  solutionShown: false,
  passedOnOwn: false,
  ...overrides,
});

const words = (progress: LabProgress | null) => VERDICT_TEXT[labVerdict(progress)];

describe('the verdict on a lab', () => {
  it('says "Passed" for a pass before the solution was shown, even when it was shown later', () => {
    expect(words(record({ passed: true, passedOnOwn: true }))).toBe('Passed');
    expect(words(record({ passed: true, passedOnOwn: true, solutionShown: true }))).toBe('Passed');
  });

  it('says so in words when the pass came after the solution was shown', () => {
    expect(words(record({ passed: true, solutionShown: true }))).toBe('Passed with the solution shown');
  });

  it('tells a shown solution without a pass from a lab not yet passed or attempted', () => {
    expect(words(record({ solutionShown: true }))).toBe('Solution shown');
    expect(words(record({ attempts: 0, bestScore: 0, maxScore: 0, solutionShown: true }))).toBe(
      'Solution shown',
    );
    expect(words(record({ bestScore: 3 }))).toBe('Not passed yet');
    expect(words(null)).toBe('Not attempted yet');
  });
});
