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
    expect(v.log).toEqual(['resume']);
    flow.sentToAll(1);
    expect(v.log).toEqual(['resume', 'pause']);
    flow.sentToAll(50);
    flow.acked('a', 100);
    expect(v.log).toEqual(['resume', 'pause']);
    flow.acked('a', 40);
    expect(v.log).toEqual(['resume', 'pause', 'resume']);
    expect(flow.isPaused).toBe(false);
  });

  it('waits for the slowest viewer, and a viewer leaving releases the shell', () => {
    const v = valve();
    const flow = new FlowControl(v, { high: 100, low: 20 });
    flow.addViewer('fast');
    flow.addViewer('slow');
    v.log.length = 0;
    flow.sentToAll(150);
    flow.acked('fast', 150);
    expect(v.log).toEqual(['pause']);
    flow.removeViewer('slow');
    expect(v.log).toEqual(['pause', 'resume']);
  });

  it('holds a terminal nobody watches, from its start and when its last viewer leaves', () => {
    const v = valve();
    const flow = new FlowControl(v, { high: 100, low: 20 });
    expect(flow.isPaused).toBe(true);
    flow.addViewer('a');
    expect(v.log).toEqual(['resume']);
    flow.removeViewer('a');
    expect(v.log).toEqual(['resume', 'pause']);
    expect(flow.isPaused).toBe(true);
    flow.addViewer('b');
    expect(v.log).toEqual(['resume', 'pause', 'resume']);
  });

  it('counts a replay against the viewer it went to, and clamps excess acks', () => {
    const v = valve();
    const flow = new FlowControl(v, { high: 100, low: 20 });
    flow.addViewer('a');
    flow.addViewer('b');
    v.log.length = 0;
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
