/** Section spellings libbpf treats alike compare equal; different programs do not. */
import { describe, expect, it } from 'vitest';
import { sameSection } from './sections.js';

describe('sameSection', () => {
  it.each([
    ['tp/syscalls/sys_enter_execve', 'tracepoint/syscalls/sys_enter_execve'],
    ['raw_tp/sys_enter', 'raw_tracepoint/sys_enter'],
    ['tc', 'classifier'],
    ['tc', 'tc/ingress'],
    ['classifier/ingress', 'tc/ingress'],
    ['classifier/egress', 'tc/egress'],
    ['?tp/sched/sched_process_exec', 'tracepoint/sched/sched_process_exec'],
  ])('%s is %s', (a, b) => {
    expect(sameSection(a, b)).toBe(true);
    expect(sameSection(b, a)).toBe(true);
  });

  it.each([
    ['tp/syscalls/sys_enter_execve', 'tp/syscalls/sys_exit_execve'],
    ['tc', 'tc/egress'],
    ['kprobe/do_unlinkat', 'kretprobe/do_unlinkat'],
    ['raw_tp/sys_enter', 'tp/sys_enter'],
    ['xdp', 'tc'],
  ])('%s is not %s', (a, b) => {
    expect(sameSection(a, b)).toBe(false);
  });
});
