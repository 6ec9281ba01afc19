/**
 * The bpf/ toolchain as a tree (bpf/README.md): `make -C bpf` builds it on the host under
 * bpf/build/, and every sandbox sees it read-only at TOOLS_DIR. The lab runner sits at the same
 * place in both.
 */
import path from 'node:path';

/** Where the bpf/ toolchain appears inside every sandbox, whatever the driver. */
export const TOOLS_DIR = '/opt/bpflab';

/** The lab runner, relative to the tree's top. */
const RUNNER_IN_TREE = 'bin/bpflab-runner';

/** The runner inside a sandbox: it probes there, and loads every grade run's object. */
export const RUNNER = `${TOOLS_DIR}/${RUNNER_IN_TREE}`;

/** The host's tree for this kernel, in the repository at `repo`. */
export function hostToolsDir(repo: string): string {
  return path.join(repo, 'bpf', 'build');
}

/** The runner the host built, in the repository at `repo`. */
export function hostRunner(repo: string): string {
  return path.join(hostToolsDir(repo), RUNNER_IN_TREE);
}
