/**
 * The whole server configuration: one zod schema with defaults, read from the environment once
 * at start. A bad value stops the server with one line per offending variable.
 */
import { z } from 'zod';
import { DRIVER_NAMES } from './sandbox/types.js';

const bool = z
  .enum(['0', '1', 'true', 'false'])
  .transform((v) => v === '1' || v === 'true')
  .describe('1 or 0');

const ms = z.coerce.number().int().positive();

export const ConfigSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1').describe('Address the HTTP server listens on.'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000).describe('HTTP port.'),
  BPFLAB_ORIGIN: z
    .url()
    .optional()
    .describe('The site origin browsers use (scheme://host:port); socket handshakes must match it.'),
  BPFLAB_DATA_DIR: z.string().min(1).default('.data').describe('SQLite database and sandbox workspaces.'),
  BPFLAB_SECRET: z
    .string()
    .min(32)
    .optional()
    .describe('Key that signs session cookies; generated and kept in the data dir when unset.'),
  BPFLAB_INSTRUCTOR_SECRET: z
    .string()
    .min(16)
    .optional()
    .describe(
      "Password of the instructor's class view at /class (every learner's progress, last submitted files and the CSV gradebook); unset: no class view.",
    ),
  BPFLAB_DRIVER: z
    .enum(DRIVER_NAMES)
    .optional()
    .describe(
      'Sandbox driver: local (one trusted learner, shares the host kernel), vm (a QEMU VM per learner on Linux), lima (a Lima VM per learner, macOS); default: local on Linux when this process may load BPF (CAP_BPF or root), lima elsewhere.',
    ),
  BPFLAB_ALLOW_SHARED_KERNEL: bool
    .default(false)
    .describe('Let the local driver serve non-loopback clients, who then share one kernel.'),
  BPFLAB_IDLE_TIMEOUT_MS: ms.default(30 * 60_000).describe('Reap a session idle this long.'),
  BPFLAB_LIMA_POOL: z.coerce.number().int().min(0).max(64).default(2).describe('Warm Lima VMs kept ready.'),
  BPFLAB_LIMA_TEMPLATE: z.string().default('lima/bpflab.yaml').describe('Lima template for learner VMs.'),
  LIMACTL: z.string().default('limactl').describe('The limactl executable.'),
  LIMA_HOME: z
    .string()
    .optional()
    .describe(
      "Lima's instance directory (Lima's own variable); log tails are read from it. Default ~/.lima.",
    ),
  BPFLAB_LIMA_START_TIMEOUT_MS: ms
    .default(15 * 60_000)
    .describe('Give up on a Lima VM that has not reported READY (and installed the toolchain) by then.'),
  BPFLAB_VM_POOL: z.coerce
    .number()
    .int()
    .min(0)
    .max(64)
    .default(1)
    .describe(
      'QEMU VMs kept booted ahead of demand, so a learner rarely waits for a boot (0: boot on demand).',
    ),
  BPFLAB_VM_MEMORY_MB: z.coerce.number().int().min(256).default(1024).describe('Memory of one learner VM.'),
  BPFLAB_VM_CPUS: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .default(1)
    .describe('Virtual CPUs of one learner VM.'),
  BPFLAB_VM_ACCEL: z
    .enum(['auto', 'kvm', 'tcg'])
    .default('auto')
    .describe(
      'How QEMU runs guests: kvm (hardware), tcg (software emulation, slower), or auto: KVM when /dev/kvm works, else emulation, with a warning.',
    ),
  BPFLAB_VM_BOOT_TIMEOUT_MS: ms
    .default(10 * 60_000)
    .describe(
      'Give up on a learner VM that does not answer by then (under KVM, one minute before trying emulation).',
    ),
  BPFLAB_VM_CACHE: z
    .string()
    .min(1)
    .default('/var/cache/bpflab/vm')
    .describe('Where guest images are built and kept, one folder per recipe hash (shared by every clone).'),
  BPFLAB_LOCAL_POOL: z.coerce
    .number()
    .int()
    .min(0)
    .max(16)
    .default(2)
    .describe(
      'Local sandboxes kept started ahead of demand, so a learner gets one at once (0: start on demand).',
    ),
  BPFLAB_SANDBOX_PIDS: z.coerce
    .number()
    .int()
    .min(16)
    .default(512)
    .describe('Most processes (and threads) one local sandbox may have; contains fork bombs.'),
  BPFLAB_SANDBOX_MEMORY_MB: z.coerce
    .number()
    .int()
    .min(64)
    .default(1024)
    .describe('Memory one local sandbox may use (its processes, tmpfs and BPF maps); a hog is OOM-killed.'),
  BPFLAB_SANDBOX_DISK_MB: z.coerce
    .number()
    .int()
    .min(16)
    .default(256)
    .describe(
      "Size of one local sandbox's workspace (its home), a tmpfs: writes past it fail with ENOSPC. Counts toward its memory.",
    ),
  BPFLAB_SANDBOX_CPUS: z.coerce
    .number()
    .positive()
    .default(1)
    .describe('CPU bandwidth of one local sandbox, in CPUs (1 = one core busy at most).'),
  BPFLAB_GRADE_SLOTS: z.coerce
    .number()
    .int()
    .min(1)
    .max(256)
    .optional()
    .describe(
      'Checks and Runs graded at once; the rest wait in line, each told its place (default: the CPU count).',
    ),
  BPFLAB_COMPILE_AHEAD: bool
    .default(true)
    .describe(
      "Compile each saved edit ahead of its Check, in the graders' spare capacity, so the Check skips clang (docs/grading.md).",
    ),
  BPFLAB_SANDBOX_CPU_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(3600)
    .describe('CPU time any one sandbox process may use before the kernel kills it (RLIMIT_CPU).'),
});
export type Config = z.infer<typeof ConfigSchema> & { origin: string; dev: boolean };

export class ConfigError extends Error {}

/** Parse the environment; every invalid variable is reported, not just the first. */
export function loadConfig(env: Record<string, string | undefined> = process.env, dev = false): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  // A browser names an IPv6 literal in brackets: http://[::1]:3000.
  const shownHost =
    c.HOST === '0.0.0.0' || c.HOST === '::' ? 'localhost' : c.HOST.includes(':') ? `[${c.HOST}]` : c.HOST;
  const origin = (c.BPFLAB_ORIGIN ?? `http://${shownHost}:${c.PORT}`).replace(/\/$/, '');
  return { ...c, origin, dev };
}

/** True when the address only accepts connections from this machine. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
