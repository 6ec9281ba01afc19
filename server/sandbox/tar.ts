/**
 * A minimal ustar writer: regular files only, the way a remote sandbox receives several workspace
 * files in one round trip (`tar -x` in the guest reads it from stdin). Names are workspace-relative
 * paths, already checked; directories are implied and made by tar.
 */
import type { WorkspaceFile } from './types.js';

export interface TarFile extends WorkspaceFile {
  /** Modification time in seconds since the epoch (default: now). */
  mtime?: number;
}

const BLOCK = 512;

export function tarArchive(files: readonly TarFile[]): Buffer {
  const now = Math.floor(Date.now() / 1000);
  const parts: Buffer[] = [];
  for (const file of files) {
    const body = Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content);
    parts.push(header(file.path, body.length, file.executable ? 0o755 : 0o644, file.mtime ?? now));
    parts.push(body, Buffer.alloc(padding(body.length)));
  }
  parts.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(parts);
}

function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

function header(name: string, size: number, mode: number, mtime: number): Buffer {
  const block = Buffer.alloc(BLOCK);
  const [prefix, base] = splitName(name);
  block.write(base, 0, 100, 'utf8');
  octal(block, 100, 8, mode);
  octal(block, 108, 8, 0); // uid
  octal(block, 116, 8, 0); // gid
  octal(block, 124, 12, size);
  octal(block, 136, 12, mtime);
  block.fill(' ', 148, 156); // checksum field counts as spaces while summing
  block.write('0', 156, 1, 'ascii'); // regular file
  block.write('ustar\u0000', 257, 6, 'ascii');
  block.write('00', 263, 2, 'ascii');
  block.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'ascii');
  return block;
}

/** ustar keeps up to 100 bytes of name and 155 of prefix, split at a slash. */
function splitName(name: string): [string, string] {
  if (Buffer.byteLength(name) <= 100) return ['', name];
  for (let i = name.lastIndexOf('/'); i > 0; i = name.lastIndexOf('/', i - 1)) {
    const prefix = name.slice(0, i);
    const base = name.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(base) <= 100) return [prefix, base];
  }
  throw new Error(`path too long for a tar archive: ${name}`);
}

function octal(block: Buffer, offset: number, length: number, value: number): void {
  block.write(`${value.toString(8).padStart(length - 1, '0')}\u0000`, offset, length, 'ascii');
}
