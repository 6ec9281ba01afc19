import { describe, expect, it } from 'vitest';
import { parseCleanOutput } from './kernel-clean.js';

describe('parseCleanOutput', () => {
  it('says what was removed, one sentence per thing, in the order it was removed', () => {
    const report = parseCleanOutput(
      [
        'process\t41\thello\t2\t1\t0',
        'process\t57\tpython3\t1\t0\t0',
        'pin\t/sys/fs/bpf/lab/keep_all\tprogram',
        'pin\t/sys/fs/bpf/counts\tmap',
        'pin\t/sys/fs/bpf/odd\tother',
        'xdp\tlo\tgeneric\t12\tpass_all',
        'xdp\tveth0\tdriver\t13\t',
        'qdisc\tlo\tclsact\tclassify,count_egress',
        'qdisc\teth0\tclsact\t',
        'qdisc\teth0\ttbf\t',
        'cgroup\t/sys/fs/cgroup/lab\tcgroup_inet_egress\t31\tegress_filter',
        '',
      ].join('\n'),
    );
    expect(report.removed.map((r) => [r.kind, r.text])).toEqual([
      ['process', 'Stopped process 41 (hello), which held 2 programs and 1 map open'],
      ['process', 'Stopped process 57 (python3), which held 1 program open'],
      ['pin', 'Unpinned /sys/fs/bpf/lab/keep_all (a program)'],
      ['pin', 'Unpinned /sys/fs/bpf/counts (a map)'],
      ['pin', 'Unpinned /sys/fs/bpf/odd'],
      ['xdp', 'Took program pass_all (id 12) off the generic XDP hook of lo'],
      ['xdp', 'Took program id 13 off the driver XDP hook of veth0'],
      ['qdisc', 'Deleted the clsact qdisc of lo with its tc programs classify, count_egress'],
      ['qdisc', 'Deleted the clsact qdisc of eth0'],
      ['qdisc', 'Deleted the tbf qdisc of eth0'],
      ['cgroup', 'Detached program egress_filter (id 31, cgroup_inet_egress) from /sys/fs/cgroup/lab'],
    ]);
    expect(report.problems).toEqual([]);
  });

  it('passes on what could not be removed, and ignores lines it does not know', () => {
    const report = parseCleanOutput(
      'warning\tcould not remove /sys/fs/bpf/x\nlibbpf: noise\nprocess\t1\nxdp\tlo\n',
    );
    expect(report).toEqual({ removed: [], problems: ['Could not finish: could not remove /sys/fs/bpf/x'] });
  });

  it('reports nothing for a clean sandbox', () => {
    expect(parseCleanOutput('')).toEqual({ removed: [], problems: [] });
  });
});
