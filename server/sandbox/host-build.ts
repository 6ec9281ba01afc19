/**
 * Building BPF objects on the host for a sandbox whose kernel is elsewhere (a VM): clang on the
 * host with the guest kernel's tools tree (its vmlinux.h and precompiled header) is many times
 * faster than clang in an emulated guest, and a BPF object does not care where it was compiled.
 * (User-space programs are still built in the guest: they link against the guest's libraries.)
 *
 * The learner's code is compiled, never run, but a compiler reads what it is told to include, so
 * the build runs jailed: new mount, pid, net, ipc and uts namespaces; empty tmpfs over every
 * directory that may hold something of the host's own (homes, /root, /srv, /opt, /mnt, /media,
 * /var, /run, /tmp, the repository, the data directory); the tools tree read-only at TOOLS_DIR;
 * make and clang as `nobody` with no capabilities and no_new_privs. Files go in as a tar on stdin;
 * the objects come back base64-encoded on stdout, the build's messages on stderr.
 */

import { runHostCommand } from './host-process.js';
import { tarArchive } from './tar.js';
import { type ExecResult, TOOLS_DIR, type WorkspaceFile } from './types.js';

export interface BpfBuildRequest {
  /** Sources, headers and whatever else the build reads, by path relative to the build dir. */
  files: readonly WorkspaceFile[];
  /** `make` targets: BPF objects (`x.bpf.o`). */
  targets: readonly string[];
  env?: Record<string, string>;
  timeoutMs: number;
  maxOutputBytes: number;
  signal?: AbortSignal;
}

export interface BpfBuildResult extends ExecResult {
  /** The targets that were built, by name. */
  objects: Map<string, Buffer>;
}

/** Builds BPF objects against one tools tree; see the file comment. */
export interface BpfBuilder {
  /** The toolchain tree it builds with (on the host): the compile cache's identity of its builds. */
  readonly toolsDir: string;
  build(request: BpfBuildRequest): Promise<BpfBuildResult>;
}

/**
 * The objects' size limit, all targets together. `-g` objects carry the BTF of every kernel type
 * they reach (a kprobe's struct sock pulls in hundreds): 700 KB is ordinary, so they are not held
 * to the cap on the build's messages.
 */
export const MAX_OBJECT_BYTES = 32 * 1024 * 1024;

const HIDDEN = ['/root', '/home', '/srv', '/opt', '/mnt', '/media', '/var', '/run', '/tmp'];
const TARGET = /^[\w.+-]+$/;

/**
 * The jail's script: $1 the tools tree, $2… directories to hide; make's targets in BPFLAB_TARGETS.
 * The tools tree is opened (fd 3) before anything is hidden, since the repository may hold it.
 */
const JAIL = `set -eu
exec 3<"$1"; shift
mount --make-rprivate /
for dir in ${HIDDEN.join(' ')} "$@"; do
  if [ -d "$dir" ]; then mount -t tmpfs -o size=64m,mode=0755 bpflab-hidden "$dir"; fi
done
mkdir -p ${TOOLS_DIR} /tmp/build
mount --bind /proc/self/fd/3 ${TOOLS_DIR}
exec 3<&-
mount -o remount,bind,ro ${TOOLS_DIR}
tar -x --no-same-owner -f - -C /tmp/build
chown -R nobody /tmp/build
cd /tmp/build
exec setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all --bounding-set=-all --no-new-privs \\
  sh -c 'make -s -f ${TOOLS_DIR}/lab.mk $BPFLAB_TARGETS >&2 || exit
for target in $BPFLAB_TARGETS; do printf "%s " "$target"; base64 -w0 -- "$target"; echo; done'`;

export function hostBpfBuilder(toolsDir: string, hide: readonly string[]): BpfBuilder {
  return {
    toolsDir,
    async build(request) {
      const bad = request.targets.find((t) => !TARGET.test(t));
      if (bad !== undefined) throw new Error(`not a build target: ${JSON.stringify(bad)}`);
      const result = await runHostCommand(
        {
          file: 'unshare',
          args: [
            '--mount',
            '--pid',
            '--net',
            '--ipc',
            '--uts',
            '--fork',
            '--kill-child',
            '--mount-proc',
            'sh',
            '-c',
            JAIL,
            'bpflab-build',
            toolsDir,
            ...hide,
          ],
          env: {
            PATH: '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin',
            LANG: 'C.UTF-8',
            HOME: '/tmp/build',
            BPFLAB_TARGETS: request.targets.join(' '),
            ...request.env,
          },
        },
        {
          timeoutMs: request.timeoutMs,
          // stdout carries the objects (base64: 4 bytes per 3); stderr is cut to the caller's cap below.
          maxOutputBytes: Math.max(request.maxOutputBytes, Math.ceil(MAX_OBJECT_BYTES / 3) * 4 + 4096),
          input: tarArchive(request.files),
          ...(request.signal ? { signal: request.signal } : {}),
        },
      );
      const stderr = result.stderr.slice(0, request.maxOutputBytes);
      const cut = { ...result, stdout: '', stderr, truncated: stderr.length < result.stderr.length };
      if (result.exitCode !== 0) return { ...cut, objects: new Map() };
      const objects = new Map<string, Buffer>();
      for (const line of result.stdout.split('\n')) {
        const space = line.indexOf(' ');
        if (space > 0) objects.set(line.slice(0, space), Buffer.from(line.slice(space + 1), 'base64'));
      }
      const missing = request.targets.filter((t) => !objects.has(t));
      if (!result.truncated && missing.length === 0) return { ...cut, objects };
      const why = result.truncated
        ? `the BPF objects are larger than ${MAX_OBJECT_BYTES / 1024 / 1024} MiB together`
        : `make did not produce ${missing.join(', ')}`;
      return { ...cut, exitCode: 2, stderr: `${stderr}bpflab-build: error: ${why}\n`, objects: new Map() };
    },
  };
}
