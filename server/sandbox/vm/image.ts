/**
 * The guest image and the guest tools tree, both made once and reused:
 *
 * - the image (disk, kernel, initrd, the kernel's BTF, the guest's host key) is built by
 *   lima/vm-image.sh from Debian packages into BPFLAB_VM_CACHE/<recipe hash>/, shared by every
 *   clone on the machine; a changed recipe is a new hash, hence a new image;
 * - the tools tree (bpflab-runner, vmlinux.h of the GUEST kernel and its precompiled header,
 *   lab.mk) is built on the host by bpf/Makefile from that BTF into bpf/build-vm/<recipe hash>/,
 *   and shared read-only into every VM at /opt/bpflab. Host and guest are both Debian 12, so the
 *   runner and the clang that made the precompiled header are the guest's too.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { runHostCommand } from '../host-process.js';

export interface GuestImage {
  /** BPFLAB_VM_CACHE/<recipe hash> */
  dir: string;
  disk: string;
  kernel: string;
  initrd: string;
  kernelRelease: string;
  /** `ssh-ed25519 AAAA…`, pinned in every VM's known_hosts. */
  hostKey: string;
  /** The tools tree made for this image's kernel, on the host. */
  toolsDir: string;
}

const BUILD_TIMEOUT_MS = 60 * 60_000;
const TOOLS_TIMEOUT_MS = 10 * 60_000;

/** The image, built first when the cache lacks it (minutes, once per recipe and machine). */
export async function prepareGuestImage(root: string, cache: string): Promise<GuestImage> {
  const script = path.join(root, 'lima', 'vm-image.sh');
  const env = { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', BPFLAB_VM_CACHE: cache };
  const where = await runHostCommand(
    { file: script, args: ['--dir'], env },
    { timeoutMs: 30_000, maxOutputBytes: 4096 },
  );
  const dir = where.stdout.trim();
  if (where.exitCode !== 0 || !dir) throw new Error(`${script} --dir failed: ${where.stderr}`);
  const built = await readFile(path.join(dir, 'ready')).then(
    () => true,
    () => false,
  );
  if (!built) {
    console.log(
      `bpflab: building the learner VM image in ${dir} (first time on this machine: several minutes)`,
    );
    const build = await runHostCommand(
      { file: script, args: [], env },
      { timeoutMs: BUILD_TIMEOUT_MS, maxOutputBytes: 4 * 1024 * 1024 },
    );
    if (build.exitCode !== 0) {
      throw new Error(`building the VM image failed (exit ${build.exitCode}):\n${tail(build.stderr)}`);
    }
  }
  const image = {
    dir,
    disk: path.join(dir, 'disk.qcow2'),
    kernel: path.join(dir, 'vmlinuz'),
    initrd: path.join(dir, 'initrd.img'),
    kernelRelease: (await readFile(path.join(dir, 'kernel-release'), 'utf8')).trim(),
    hostKey: (await readFile(path.join(dir, 'ssh_host_ed25519_key.pub'), 'utf8')).trim(),
    toolsDir: path.join(root, 'bpf', 'build-vm', path.basename(dir)),
  };
  await buildGuestTools(root, image);
  return image;
}

/** `make -C bpf` for the guest's kernel; quick when nothing changed. */
async function buildGuestTools(root: string, image: Omit<GuestImage, 'toolsDir'> & { toolsDir: string }) {
  const made = await runHostCommand(
    {
      file: 'make',
      args: [
        '-s',
        '-C',
        path.join(root, 'bpf'),
        `BUILD=${image.toolsDir}`,
        `KERNEL_BTF=${path.join(image.dir, 'vmlinux.btf')}`,
        `KERNEL_RELEASE=${image.kernelRelease}`,
      ],
      env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', HOME: process.env.HOME ?? '/root' },
    },
    { timeoutMs: TOOLS_TIMEOUT_MS, maxOutputBytes: 1024 * 1024 },
  );
  if (made.exitCode !== 0) {
    throw new Error(`building the guest tools tree failed:\n${tail(`${made.stdout}${made.stderr}`)}`);
  }
}

function tail(text: string, lines = 30): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
