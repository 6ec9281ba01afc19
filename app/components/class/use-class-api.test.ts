/** The words the class view gives one learner's record on one lab. */
import { describe, expect, it } from 'vitest';
import type { ClassLabProgress } from '@/server/protocol/class';
import { labStatus, learnerName } from './use-class-api';

const record = (over: Partial<ClassLabProgress>): ClassLabProgress => ({
  attempts: 1,
  bestScore: 4,
  maxScore: 10,
  passed: false,
  solutionShown: false,
  passedOnOwn: false,
  lastActivityAt: 0,
  ...over,
});

describe('labStatus', () => {
  it('keeps a pass of their own apart from one with the solution shown', () => {
    expect(labStatus(record({ passed: true, passedOnOwn: true }))).toBe('Passed');
    expect(labStatus(record({ passed: true, passedOnOwn: true, solutionShown: true }))).toBe(
      'Passed, solution shown after',
    );
    expect(labStatus(record({ passed: true, solutionShown: true }))).toBe('Passed with the solution shown');
  });

  it('says when a lab was only saved, only revealed, or checked without a pass', () => {
    expect(labStatus(record({ attempts: 0 }))).toBe('Not checked yet');
    expect(labStatus(record({ attempts: 0, solutionShown: true }))).toBe('Solution shown, not checked');
    expect(labStatus(record({}))).toBe('Not passed');
    expect(labStatus(record({ solutionShown: true }))).toBe('Not passed, solution shown');
  });
});

describe('learnerName', () => {
  it('is the chosen name, or Anonymous', () => {
    expect(learnerName({ displayName: 'Ada' })).toBe('Ada');
    expect(learnerName({ displayName: null })).toBe('Anonymous');
  });
});
