import { describe, expect, it } from 'vitest';
import { missingFeatureSentences } from './features';

describe('missingFeatureSentences', () => {
  it('names the feature the way learners know it and keeps the reason', () => {
    expect(
      missingFeatureSentences([{ feature: 'kprobe', reason: 'the kernel has no kprobe_events in tracefs' }]),
    ).toEqual([
      'This lab needs kprobes, which this kernel does not offer: the kernel has no kprobe_events in tracefs.',
    ]);
  });

  it('does not double the final full stop', () => {
    expect(
      missingFeatureSentences([{ feature: 'fentry', reason: 'no BPF trampoline on this architecture.' }]),
    ).toEqual([
      'This lab needs fentry/fexit, which this kernel does not offer: no BPF trampoline on this architecture.',
    ]);
  });
});
