import { describe, expect, it } from 'vitest';
import { type RootSpec, rootFstab } from './sandbox-root.js';

const spec: RootSpec = {
  root: '/srv/bpflab data/sandbox-root',
  workspace: '/srv/bpflab data/workspaces/bl-123abc',
  home: '/root',
  toolsSource: '/srv/bpflab/bpf/build',
  toolsDir: '/opt/bpflab',
  tmpBytes: 1024,
  etcSecrets: [
    { path: '/etc/shadow', directory: false },
    { path: '/etc/ssl/private', directory: true },
  ],
  host: { dirs: ['usr', 'etc'], links: ['bin', 'lib'], uprobes: true, procKnobs: ['sys'] },
};
const R = '/srv/bpflab\\040data/sandbox-root';
const targets = (fstab: string) =>
  fstab
    .trim()
    .split('\n')
    .map((line) => line.split(' ')[1]);

describe('rootFstab', () => {
  it('puts every mount under the new root, escaping blanks as fstab wants', () => {
    const fstab = rootFstab(spec);
    for (const target of targets(fstab)) expect(target?.startsWith(`${R}/`)).toBe(true);
    expect(fstab).toContain(
      `/srv/bpflab\\040data/workspaces/bl-123abc ${R}/root none bind,X-mount.mkdir 0 0`,
    );
  });

  it('binds the host system read-only, empties its secrets, and mounts nothing of the host else', () => {
    const fstab = rootFstab(spec);
    expect(fstab).toContain(`/usr ${R}/usr none bind,ro,nosuid,nodev,X-mount.mkdir 0 0`);
    expect(fstab).toContain(`${R}/.empty ${R}/etc/shadow none bind,ro,nosuid,nodev 0 0`);
    expect(fstab).toContain(`bpflab-hidden ${R}/etc/ssl/private tmpfs ro,`);
    expect(fstab).toContain(`/srv/bpflab/bpf/build ${R}/opt/bpflab none bind,ro,`);
    const sources = fstab
      .trim()
      .split('\n')
      .map((line) => line.split(' ')[0] ?? '')
      .filter((source) => source.startsWith('/') && !source.startsWith(R));
    expect(sources).toEqual([
      '/usr',
      '/etc',
      '/srv/bpflab/bpf/build',
      '/srv/bpflab\\040data/workspaces/bl-123abc',
    ]);
  });

  it('mounts in an order where every mount point exists: /etc before its secrets, /dev before /dev/pts', () => {
    const order = targets(rootFstab(spec));
    const at = (path: string) => order.indexOf(`${R}${path}`);
    expect(at('/etc')).toBeLessThan(at('/etc/shadow'));
    expect(at('/dev')).toBeLessThan(at('/dev/pts'));
    expect(at('/sys')).toBeLessThan(at('/sys/kernel/tracing'));
    expect(at('/sys/kernel/tracing')).toBeLessThan(at('/sys/kernel/tracing/uprobe_events'));
    expect(at('/proc')).toBeLessThan(at('/proc/sys'));
  });

  it('leaves the uprobe PMU alone on a kernel without uprobes, and the tools out when unbuilt', () => {
    const fstab = rootFstab({ ...spec, toolsSource: null, host: { ...spec.host, uprobes: false } });
    expect(fstab).not.toContain('uprobe');
    expect(fstab).not.toContain('/opt/bpflab');
  });
});
