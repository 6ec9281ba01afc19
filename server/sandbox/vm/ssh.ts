/**
 * How the vm driver reaches a guest: OpenSSH to the forward QEMU binds on 127.0.0.1, as root, with
 * a key made for that VM alone, the guest's host key pinned from the image, and one master
 * connection per VM that every command, file transfer and terminal reuses (ControlMaster): a
 * command costs a channel on an open connection, not a handshake, which under emulation takes
 * seconds.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { HostCommand } from '../host-process.js';
import { type RemoteShell, shellQuote } from '../remote-sandbox.js';

const run = promisify(execFile);

/** known_hosts names the guest by this alias, whatever port its forward has. */
const HOST_ALIAS = 'bpflab-vm';

export interface SshTarget {
  /** The VM's private directory on the host: its key, known_hosts and the master's socket. */
  dir: string;
  port: number;
}

/** Makes the VM's key pair in its directory; returns the public key line. */
export async function makeVmKey(dir: string, hostKey: string): Promise<string> {
  const key = path.join(dir, 'id_ed25519');
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'bpflab', '-f', key]);
  await writeFile(path.join(dir, 'known_hosts'), `${HOST_ALIAS} ${hostKey.trim()}\n`, { mode: 0o600 });
  return (await readFile(`${key}.pub`, 'utf8')).trim();
}

export function sshArgs(target: SshTarget, extra: string[] = []): string[] {
  const { dir, port } = target;
  return [
    '-F',
    '/dev/null',
    '-p',
    String(port),
    '-i',
    path.join(dir, 'id_ed25519'),
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'BatchMode=yes',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    `UserKnownHostsFile=${path.join(dir, 'known_hosts')}`,
    '-o',
    `HostKeyAlias=${HOST_ALIAS}`,
    '-o',
    'ControlMaster=auto',
    '-o',
    `ControlPath=${path.join(dir, 'ssh.sock')}`,
    '-o',
    'ControlPersist=yes',
    '-o',
    'ConnectTimeout=10',
    '-o',
    'ServerAliveInterval=15',
    '-o',
    'LogLevel=ERROR',
    ...extra,
    'root@127.0.0.1',
  ];
}

/** ssh's own environment: nothing of the server's, and a HOME that is the VM's directory. */
export function sshEnv(dir: string): Record<string, string> {
  return { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: dir, LANG: 'C.UTF-8' };
}

export function sshShell(target: SshTarget): RemoteShell {
  return {
    command: (cwd, env, argv, tty): HostCommand => {
      const assignments = Object.entries(env).map(([key, value]) => `${key}=${value}`);
      const remote = `cd ${shellQuote([cwd])} && exec ${shellQuote(['env', '-i', ...assignments, ...argv])}`;
      return {
        file: 'ssh',
        args: [...sshArgs(target, [tty ? '-tt' : '-T']), '--', remote],
        env: sshEnv(target.dir),
      };
    },
  };
}
