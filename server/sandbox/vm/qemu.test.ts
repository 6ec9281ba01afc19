import { describe, expect, it } from 'vitest';
import { qemuArgs, type VmSpec } from './qemu.js';

const spec: VmSpec = {
  name: 'bl-abc123',
  accel: 'tcg',
  cpus: 1,
  memoryMb: 1024,
  kernel: '/cache/vmlinuz',
  initrd: '/cache/initrd.img',
  overlay: '/data/vm-instances/bl-abc123/disk.qcow2',
  toolsDir: '/repo/bpf/build-vm/abc',
  sshPort: 40022,
  authorizedKey: 'ssh-ed25519 AAAAC3Nza key comment',
  serialLog: '/data/vm-instances/bl-abc123/serial.log',
  pidFile: '/data/vm-instances/bl-abc123/qemu.pid',
};

const valuesOf = (args: string[], flag: string) => args.filter((_, i) => args[i - 1] === flag);

describe('qemuArgs', () => {
  it('gives the guest no network but one ssh forward on the host loopback', () => {
    const args = qemuArgs(spec);
    expect(valuesOf(args, '-netdev')).toEqual(['user,id=net0,restrict=on,hostfwd=tcp:127.0.0.1:40022-:22']);
    expect(args.join(' ')).not.toMatch(/0\.0\.0\.0|hostfwd=tcp::/);
  });

  it('shares the tools tree read-only and boots the overlay, never the cached image', () => {
    const args = qemuArgs(spec);
    expect(valuesOf(args, '-virtfs')[0]).toMatch(
      /^local,path=\/repo\/bpf\/build-vm\/abc,mount_tag=bpflab,.*readonly=on/,
    );
    expect(valuesOf(args, '-drive')[0]).toMatch(/^file=\/data\/vm-instances\/bl-abc123\/disk\.qcow2,/);
  });

  it('passes the per-VM key and hostname on the kernel command line as single words', () => {
    const cmdline = valuesOf(qemuArgs(spec), '-append')[0] ?? '';
    const words = cmdline.split(' ');
    expect(words).toContain('systemd.hostname=bl-abc123');
    const key = words.find((w) => w.startsWith('bpflab.key='))?.slice('bpflab.key='.length) ?? '';
    expect(Buffer.from(key, 'base64').toString()).toBe(spec.authorizedKey);
  });

  it('uses KVM with the host CPU, or emulation with a bounded translation cache', () => {
    expect(valuesOf(qemuArgs({ ...spec, accel: 'kvm' }), '-accel')).toEqual(['kvm']);
    expect(valuesOf(qemuArgs({ ...spec, accel: 'kvm' }), '-cpu')).toEqual(['host']);
    expect(valuesOf(qemuArgs(spec), '-accel')[0]).toMatch(/^tcg,thread=multi,tb-size=\d+$/);
  });

  it('confines QEMU itself with its seccomp sandbox', () => {
    expect(valuesOf(qemuArgs(spec), '-sandbox')[0]).toMatch(/^on,.*spawn=deny/);
  });
});
