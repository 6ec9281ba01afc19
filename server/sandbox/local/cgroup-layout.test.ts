import { describe, expect, it } from 'vitest';
import { cgroupMounts, ownCgroups } from './cgroup-layout.js';

// A hybrid host: v1 controllers, an empty v2 hierarchy (this project's CI machine).
const HYBRID_MOUNTINFO = `31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
50 23 0:40 / /mnt/with\\040space rw - ext4 /dev/vdb rw`;

describe('cgroupMounts', () => {
  it('finds v1 hierarchies with their controllers and the v2 mount', () => {
    const mounts = cgroupMounts(HYBRID_MOUNTINFO);
    expect(mounts.map((m) => [m.point, m.type])).toEqual([
      ['/sys/fs/cgroup/cpu,cpuacct', 'cgroup'],
      ['/sys/fs/cgroup/memory', 'cgroup'],
      ['/sys/fs/cgroup/cpuset', 'cgroup'],
      ['/sys/fs/cgroup/pids', 'cgroup'],
      ['/sys/fs/cgroup/unified', 'cgroup2'],
    ]);
    expect(mounts[0]?.superOptions).toEqual(['rw', 'cpu', 'cpuacct']);
    expect(mounts[2]?.superOptions.includes('cpu')).toBe(false);
  });

  it('unescapes octal escapes in mount points', () => {
    const mounts = cgroupMounts('60 1 0:50 /a\\040b /sys/fs/cgroup/x\\040y rw - cgroup2 cgroup2 rw');
    expect(mounts[0]).toMatchObject({ root: '/a b', point: '/sys/fs/cgroup/x y' });
  });
});

describe('ownCgroups', () => {
  it('maps each hierarchy to this process’s cgroup path', () => {
    const own = ownCgroups(
      '8:pids:/\n4:memory:/process_api/abc\n1:cpu,cpuacct:/\n0::/user.slice/session-1.scope\n',
    );
    expect(own.get('memory')).toBe('/process_api/abc');
    expect(own.get('cpu,cpuacct')).toBe('/');
    expect(own.get('')).toBe('/user.slice/session-1.scope');
  });
});
