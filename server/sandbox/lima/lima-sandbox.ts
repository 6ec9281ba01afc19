/**
 * How the lima driver reaches a learner's VM: `limactl shell NAME -- sudo -n env … ARGV`, as root
 * (Lima logs in as the host's user, who has passwordless sudo in the guest). Everything else of
 * the sandbox contract is the remote sandbox's (remote-sandbox.ts), shared with the vm driver.
 */
import type { RemoteShell } from '../remote-sandbox.js';
import type { Limactl } from './limactl.js';

export interface LimaInstance {
  name: string;
  /** The workspace's absolute path in the VM. */
  workspace: string;
}

export function limaShell(limactl: Limactl, name: string): RemoteShell {
  return {
    command: (cwd, env, argv) => {
      const assignments = Object.entries(env).map(([key, value]) => `${key}=${value}`);
      return limactl.command([
        'shell',
        `--workdir=${cwd}`,
        name,
        '--',
        'sudo',
        '-n',
        'env',
        ...assignments,
        ...argv,
      ]);
    },
  };
}
