import { describe, expect, it } from 'vitest';
import type { LabProgress } from '@/server/protocol/lab';
import { countLesson, passedText, unavailableText } from './lesson-count';

const passed: LabProgress = {
  attempts: 2,
  bestScore: 8,
  maxScore: 8,
  passed: true,
  solutionShown: false,
  passedOnOwn: true,
};
const tried: LabProgress = { ...passed, attempts: 1, bestScore: 3, passed: false, passedOnOwn: false };

describe('countLesson', () => {
  it('counts a lab the sandbox cannot run as unavailable, and the lesson done when the rest passed', () => {
    const count = countLesson(
      ['hello-execve', 'bcc-hello'],
      { 'hello-execve': passed },
      { 'bcc-hello': ['bcc', 'kprobe'] },
    );
    expect(count).toEqual({
      counted: 1,
      passed: 1,
      unavailable: [{ id: 'bcc-hello', missing: ['bcc', 'kprobe'] }],
      done: true,
    });
    expect(passedText(count)).toBe('Done');
    expect(unavailableText(count)).toBe('1 unavailable here');
  });

  it('is not done while a lab that can run is unpassed', () => {
    const count = countLesson(
      ['udp-flow-counter', 'udp-send-kprobe', 'udp-forwarder'],
      { 'udp-flow-counter': passed, 'udp-forwarder': tried },
      { 'udp-send-kprobe': ['kprobe'] },
    );
    expect(passedText(count)).toBe('1 of 2 labs passed');
    expect(unavailableText(count)).toBe('1 unavailable here');
    expect(count.done).toBe(false);
  });

  it('counts a lab passed before as passed, even where it cannot run now', () => {
    const count = countLesson(['bcc-hello'], { 'bcc-hello': passed }, { 'bcc-hello': ['kprobe'] });
    expect(count).toMatchObject({ counted: 1, passed: 1, unavailable: [], done: true });
    expect(unavailableText(count)).toBeNull();
  });

  it('never calls a lesson done when none of its labs can run here', () => {
    const count = countLesson(['udp-send-kprobe'], {}, { 'udp-send-kprobe': ['kprobe'] });
    expect(count.done).toBe(false);
    expect(passedText(count)).toBeNull();
    expect(unavailableText(count)).toBe('Its lab is unavailable here');
  });

  it('counts every lab when the sandbox runs them all', () => {
    const count = countLesson(['a', 'b'], { a: passed }, {});
    expect(passedText(count)).toBe('1 of 2 labs passed');
    expect(unavailableText(count)).toBeNull();
  });
});
