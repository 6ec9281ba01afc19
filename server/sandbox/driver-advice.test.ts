import { describe, expect, it } from 'vitest';
import { driverThatRuns } from './driver-advice.js';

describe('driverThatRuns', () => {
  it('sends the operator of the local driver to the vm driver, naming what its guest offers', () => {
    const advice = driverThatRuns('local', ['bcc', 'kprobe', 'kernel_headers']);
    expect(advice).toContain('This server runs the local driver');
    expect(advice).toContain('BPFLAB_DRIVER=vm');
    expect(advice).toContain('which offers BCC, kprobes, kernel headers');
  });

  it('has no advice when the vm driver would lack the feature too (hardware counters)', () => {
    expect(driverThatRuns('local', ['kprobe', 'hardware_pmu'])).toBeNull();
  });

  it('has no advice for a VM driver: its sandbox lacking a feature is a broken image', () => {
    expect(driverThatRuns('vm', ['kprobe'])).toBeNull();
    expect(driverThatRuns('lima', ['bcc'])).toBeNull();
  });
});
