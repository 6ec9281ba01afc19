/**
 * The pseudo-terminals of sandboxes: node-pty's, opened without an encoding, so a shell's output
 * arrives as the bytes it wrote (UTF-8) and travels to xterm.js as they are, which decodes them
 * itself (terminal/terminal.ts). Decoding on the server, and encoding again for the socket, cost
 * more than half the server's time in a flood of output and most of its garbage.
 */
import type { IEvent, IPty, IPtyForkOptions } from 'node-pty';
import { spawn } from 'node-pty';

/** A node-pty terminal whose output is bytes. */
export type SandboxPty = Omit<IPty, 'onData'> & { readonly onData: IEvent<Buffer> };

export function spawnPty(
  file: string,
  args: string[],
  options: Omit<IPtyForkOptions, 'encoding'>,
): SandboxPty {
  // node-pty's types promise strings; with `encoding: null` it hands over the Buffers it read.
  return spawn(file, args, { ...options, encoding: null }) as unknown as SandboxPty;
}
