/**
 * The QEMU command line of one learner VM, as a pure function of what the driver decided.
 *
 * - The guest kernel boots directly (-kernel/-initrd from the image), no firmware menu or
 *   bootloader; its root filesystem is a copy-on-write overlay of the cached image.
 * - The host's guest tools tree (runner, vmlinux.h of the guest kernel, precompiled header) is
 *   shared read-only over 9p and mounted at /opt/bpflab by the guest's fstab.
 * - The only network is QEMU's user network with `restrict=on`: the guest reaches nothing outside
 *   itself; the host reaches the guest's sshd through one forward bound to 127.0.0.1.
 * - QEMU itself runs confined: its seccomp sandbox denies spawning processes and raising
 *   privileges, and it drops to an unprivileged user once its files are open.
 */
export type Accel = 'kvm' | 'tcg';

export interface VmSpec {
  name: string;
  accel: Accel;
  cpus: number;
  memoryMb: number;
  kernel: string;
  initrd: string;
  overlay: string;
  toolsDir: string;
  sshPort: number;
  /** The per-VM public key (an authorized_keys line) root accepts. */
  authorizedKey: string;
  serialLog: string;
  pidFile: string;
  /** Unprivileged user QEMU drops to after start (needs read access to the tools tree). */
  runAs?: string;
}

/** Translation-block cache per VM under emulation; QEMU's default (1 GiB) would dominate its memory. */
const TCG_TB_MB = 128;

export function qemuArgs(spec: VmSpec): string[] {
  const kernelCmdline = [
    'root=/dev/vda',
    'rw',
    'console=ttyS0',
    'quiet',
    'net.ifnames=0',
    'mitigations=off',
    `systemd.hostname=${spec.name}`,
    `bpflab.key=${Buffer.from(spec.authorizedKey).toString('base64')}`,
  ].join(' ');
  return [
    '-name',
    `bpflab-${spec.name},process=bpflab-${spec.name}`,
    '-nodefaults',
    '-no-user-config',
    '-machine',
    'pc',
    '-accel',
    spec.accel === 'kvm' ? 'kvm' : `tcg,thread=multi,tb-size=${TCG_TB_MB}`,
    '-cpu',
    spec.accel === 'kvm' ? 'host' : 'max',
    '-smp',
    String(spec.cpus),
    '-m',
    `${spec.memoryMb}M`,
    '-kernel',
    spec.kernel,
    '-initrd',
    spec.initrd,
    '-append',
    kernelCmdline,
    '-drive',
    `file=${spec.overlay},if=virtio,format=qcow2,cache=unsafe,discard=unmap`,
    '-virtfs',
    `local,path=${spec.toolsDir},mount_tag=bpflab,security_model=none,readonly=on,id=tools`,
    '-netdev',
    `user,id=net0,restrict=on,hostfwd=tcp:127.0.0.1:${spec.sshPort}-:22`,
    '-device',
    'virtio-net-pci,netdev=net0',
    '-device',
    'virtio-rng-pci',
    '-display',
    'none',
    '-serial',
    `file:${spec.serialLog}`,
    '-pidfile',
    spec.pidFile,
    '-sandbox',
    'on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny',
    ...(spec.runAs ? ['-runas', spec.runAs] : []),
  ];
}
