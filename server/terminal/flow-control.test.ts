import { describe, expect, it } from 'vitest';
import { FlowControl } from './flow-control.js';

function valve() {
  const log: string[] = [];
  return { log, pause: () => log.push('pause'), resume: () => log.push('resume') };
}

describe('FlowControl', () => {
  it('pauses above the high mark and resumes only below the low mark', () => {
    const v = valve();
    const flow = new FlowControl(v, { high: 100, low: 20 });
    flow.addViewer('a');
    flow.sentToAll(100);
    expect(v.log).toEqual([]);
    flow.sentToAll(1);
    expect(v.log).toEqual(['pause']);
    flow.sentToAll(50);
    flow.acked('a', 100);
    expect(v.log).toEqual(['pause']);
    flow.acked('a', 40);
    expect(v.log).toEqual(['pause', 'resume']);
    expect(flow.isPaused).toBe(false);
  });

  it('waits for the slowest viewer, and a viewer leaving releases the shell', () => {
    const v = valve();
    const flow = new FlowControl(v, { high: 100, low: 20 });
    flow.addViewer('fast');
    flow.addViewer('slow');
    flow.sentToAll(150);
    flow.acked('fast', 150);
    expect(v.log).toEqual(['pause']);
    flow.removeViewer('slow');
    expect(v.log).toEqual(['pause', 'resume']);
  });

  it('never pauses a terminal nobody watches', () => {
    const v = valve();
    const flow = new FlowControl(v, { high: 100, low: 20 });
    flow.sentToAll(10_000);
    expect(v.log).toEqual([]);
  });

  it('counts a replay against the viewer it went to, and clamps excess acks', () => {
    const v = valve();
    const flow = new FlowControl(v, { high: 100, low: 20 });
    flow.addViewer('a');
    flow.addViewer('b');
    flow.sentTo('b', 500);
    expect(v.log).toEqual(['pause']);
    flow.acked('b', 10_000);
    expect(v.log).toEqual(['pause', 'resume']);
    flow.sentToAll(101);
    expect(v.log).toEqual(['pause', 'resume', 'pause']);
  });

  it('rejects marks that could never resume', () => {
    expect(() => new FlowControl(valve(), { high: 10, low: 10 })).toThrow(/low < high/);
  });
});
