/**
 * The capabilities a local sandbox keeps. Learners are root (uid 0) in it, and root's permitted
 * set after exec is its bounding set, so bounding every sandbox process to this list is what
 * confines them; no_new_privs stops a set-uid or file-capability binary from adding any back.
 * Everything else is dropped, above all what undoes namespaces, mounts and limits: SYS_ADMIN
 * (mount, setns, most of the rest), SYS_PTRACE, SYS_MODULE, SYS_RAWIO, MKNOD, DAC_READ_SEARCH
 * (open_by_handle_at reaches any host file), SYS_CHROOT, SYS_RESOURCE (raising the rlimits the
 * sandbox runs under), SYS_NICE (real-time priority outside the CPU limit), SETPCAP, SETFCAP,
 * SYSLOG, and the rest. docs/security.md says what each kept one still allows.
 */

export const KEPT_CAPABILITIES = [
  // Load BPF programs; trace with perf events, tracepoints and uprobes.
  'bpf',
  'perfmon',
  // tc and XDP programs, raw sockets and low ports in the sandbox's own network namespace.
  'net_admin',
  'net_raw',
  'net_bind_service',
  // perf ring buffers count against the locked-memory limit of uid 0, shared with the host.
  'ipc_lock',
  // Root's ordinary powers over files and processes; what it can reach is the sandbox's own.
  'chown',
  'dac_override',
  'fowner',
  'fsetid',
  'kill',
  'setuid',
  'setgid',
] as const;

/** The command prefix that runs a program with only KEPT_CAPABILITIES, for good. */
export function withKeptCapabilities(): string[] {
  return [
    'setpriv',
    `--bounding-set=-all,${KEPT_CAPABILITIES.map((cap) => `+${cap}`).join(',')}`,
    '--inh-caps=-all',
    '--ambient-caps=-all',
    '--no-new-privs',
    '--',
  ];
}
