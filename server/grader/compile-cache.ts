/**
 * Compiled BPF objects kept by what they were compiled from, so an unchanged submission (the same
 * learner's again, or another learner's identical one) never meets the compiler twice.
 *
 * The key (`compileKey`) is a SHA-256 of everything a build reads: the toolchain tree's identity
 * (`toolchain-id`, which names the target kernel's release and a hash of its BTF and the clang
 * version, plus lab.mk, flags.mk and the shared headers), the libbpf headers the sources include,
 * the make targets and variables, and every file of the run directory (the learner's sources, the
 * lab's support files) but the trace tag header, which differs per run only by its nonce. The
 * nonce also lands in the object (the tag in bpf_printk formats, the run directory in DWARF's
 * compile directory): an entry remembers the nonce it was built with and `get` rewrites it to the
 * asking run's (same length, so the ELF layout is unchanged).
 *
 * Only successful builds are kept. A failed build is not: its cause may be the sandbox's state (a
 * full workspace) rather than the sources, and one learner's full disk must not become another's
 * compile error; a failing submission is also usually followed by an edit.
 *
 * On disk: one file per entry under `dir` (in the server's data directory, which no sandbox
 * mounts), a JSON header line then the objects' bytes, written to a temporary name and renamed
 * into place, so concurrent writers (two grades, two server processes) never expose half an
 * entry; the last rename wins with identical content. The directory is bounded by `maxBytes`,
 * least recently used first out (a hit touches the file's mtime). In one process, a build already
 * under way for a key makes later lookups of it wait for that build rather than start their own.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** A build the cache can replay: the objects by target name and what the build printed. */
export interface CachedBuild {
  objects: Map<string, Buffer>;
  output: string;
}

/** A lookup's answer: the build (rewritten for the asking run), or a lease to store one. */
export type Lookup =
  | { hit: CachedBuild }
  | {
      hit: null;
      /** Keeps the build for later runs; `nonce` is the run it was compiled in. */
      store(build: CachedBuild, nonce: string): Promise<void>;
      /** Lets runs waiting for this key go on (after `store`, they find it). Call exactly once. */
      release(): void;
    };

export interface CacheOptions {
  /** The entries' total size on disk; the least recently used go first past it. */
  maxBytes: number;
}

export const DEFAULT_CACHE: CacheOptions = { maxBytes: 256 * 1024 * 1024 };

const ENTRY = /^[0-9a-f]{64}$/;

interface Indexed {
  size: number;
  used: number;
}

export class CompileCache {
  private readonly inFlight = new Map<string, Promise<void>>();
  private index: Promise<Map<string, Indexed>> | null = null;

  constructor(
    readonly dir: string,
    readonly options: CacheOptions = DEFAULT_CACHE,
  ) {}

  /**
   * The build kept for `key`, with `nonce` in place of the one it was built with; when there is
   * none, a lease: until it is released, other lookups of `key` in this process wait for it.
   */
  async lookup(key: string, nonce: string): Promise<Lookup> {
    if (!ENTRY.test(key)) throw new Error(`not a compile cache key: ${key}`);
    for (let pending = this.inFlight.get(key); pending; pending = this.inFlight.get(key)) await pending;
    let release!: () => void;
    this.inFlight.set(
      key,
      new Promise<void>((resolve) => {
        release = () => {
          this.inFlight.delete(key);
          resolve();
        };
      }),
    );
    const found = await this.read(key).catch(() => null);
    if (found) {
      release();
      return { hit: withNonce(found, nonce) };
    }
    return { hit: null, store: (build, builtWith) => this.write(key, build, builtWith), release };
  }

  /** The entries' total size on disk as this process knows it. */
  async size(): Promise<number> {
    let total = 0;
    for (const entry of (await this.entries()).values()) total += entry.size;
    return total;
  }

  private async read(key: string): Promise<(CachedBuild & { nonce: string }) | null> {
    const file = this.fileOf(key);
    const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    if (!bytes) return null;
    const entry = decode(bytes);
    const now = new Date();
    await utimes(file, now, now).catch(() => undefined); // evicted meanwhile: still a hit
    (await this.entries()).set(key, { size: bytes.length, used: now.getTime() });
    return entry;
  }

  private async write(key: string, build: CachedBuild, nonce: string): Promise<void> {
    const bytes = encode(build, nonce);
    if (bytes.length > this.options.maxBytes) return;
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const temporary = path.join(this.dir, `.${key}.${process.pid}.${randomBytes(4).toString('hex')}`);
    await writeFile(temporary, bytes, { mode: 0o600 });
    try {
      await rename(temporary, this.fileOf(key));
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
    const entries = await this.entries();
    entries.set(key, { size: bytes.length, used: Date.now() });
    await this.evict(entries);
  }

  /** Removes the least recently used entries until the rest fit in maxBytes. */
  private async evict(entries: Map<string, Indexed>): Promise<void> {
    let total = 0;
    for (const entry of entries.values()) total += entry.size;
    if (total <= this.options.maxBytes) return;
    const oldestFirst = [...entries].sort(([, a], [, b]) => a.used - b.used);
    for (const [key, entry] of oldestFirst) {
      if (total <= this.options.maxBytes) break;
      entries.delete(key);
      total -= entry.size;
      await unlink(this.fileOf(key)).catch(() => undefined); // another process evicted it first
    }
  }

  /** What is on disk, read once per process (other processes' later entries count when touched). */
  private entries(): Promise<Map<string, Indexed>> {
    this.index ??= (async () => {
      const entries = new Map<string, Indexed>();
      const names = await readdir(this.dir).catch(() => [] as string[]);
      for (const name of names) {
        if (!ENTRY.test(name)) continue;
        const info = await stat(path.join(this.dir, name)).catch(() => null);
        if (info) entries.set(name, { size: info.size, used: info.mtimeMs });
      }
      return entries;
    })();
    return this.index;
  }

  private fileOf(key: string): string {
    return path.join(this.dir, key);
  }
}

/**
 * The key of a build: `toolchain` (toolchainIdentity), the make `targets` and `variables`, and the
 * run directory's `files` by path (the trace tag header left out by the caller).
 */
export function compileKey(input: {
  toolchain: string;
  targets: readonly string[];
  variables: Readonly<Record<string, string>>;
  files: readonly { path: string; content: string | Buffer }[];
}): string {
  const hash = createHash('sha256');
  const field = (text: string | Buffer) => {
    const bytes = typeof text === 'string' ? Buffer.from(text) : text;
    hash.update(`${bytes.length}:`).update(bytes);
  };
  field('bpflab compile cache 1');
  field(input.toolchain);
  field(input.targets.join('\0'));
  for (const name of Object.keys(input.variables).sort()) field(`${name}=${input.variables[name]}`);
  for (const file of [...input.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    field(file.path);
    field(file.content);
  }
  return hash.digest('hex');
}

/** Files of a toolchain tree that decide what its builds produce (the runner does not). */
const TREE_FILES = ['toolchain-id', 'lab.mk', 'flags.mk', 'include/bpflab.h', 'include/bpflab-keep-type.h'];
/** libbpf's headers, which the sources include from the system. */
const LIBBPF_HEADERS = '/usr/include/bpf';

const identities = new Map<string, { stamp: string; identity: Promise<string> }>();

/**
 * A hash naming what a toolchain tree builds: its target kernel (release and BTF hash, from
 * `toolchain-id`), clang's version, its makefiles and headers, and the system's libbpf headers.
 * Re-read when one of those files changes (checked by size and mtime on every call).
 */
export async function toolchainIdentity(toolsDir: string): Promise<string> {
  const files = [
    ...TREE_FILES.map((name) => path.join(toolsDir, name)),
    ...(await readdir(LIBBPF_HEADERS).catch(() => [] as string[]))
      .sort()
      .map((n) => path.join(LIBBPF_HEADERS, n)),
  ];
  const infos = await Promise.all(files.map((file) => stat(file).catch(() => null)));
  const stamp = infos.map((info, i) => `${files[i]}:${info?.size}:${info?.mtimeMs}`).join('\n');
  const known = identities.get(toolsDir);
  if (known?.stamp === stamp) return known.identity;
  const identity = (async () => {
    const hash = createHash('sha256');
    for (const file of files) {
      hash.update(`${file}\0`);
      hash.update(await readFile(file).catch(() => Buffer.from('(missing)')));
    }
    return hash.digest('hex');
  })();
  identities.set(toolsDir, { stamp, identity });
  return identity;
}

/** A JSON header line (nonce, output, each object's name and size) and the objects' bytes. */
function encode(build: CachedBuild, nonce: string): Buffer {
  const objects = [...build.objects];
  const header = JSON.stringify({
    nonce,
    output: build.output,
    objects: objects.map(([name, bytes]) => ({ name, size: bytes.length })),
  });
  return Buffer.concat([Buffer.from(`${header}\n`), ...objects.map(([, bytes]) => bytes)]);
}

function decode(bytes: Buffer): CachedBuild & { nonce: string } {
  const newline = bytes.indexOf(10);
  const header = JSON.parse(bytes.subarray(0, newline).toString()) as {
    nonce: string;
    output: string;
    objects: { name: string; size: number }[];
  };
  const objects = new Map<string, Buffer>();
  let offset = newline + 1;
  for (const { name, size } of header.objects) {
    objects.set(name, bytes.subarray(offset, offset + size));
    offset += size;
  }
  if (offset !== bytes.length) throw new Error('a compile cache entry of the wrong length');
  return { nonce: header.nonce, output: header.output, objects };
}

/** The build with every occurrence of the nonce it was built with replaced by `nonce`. */
function withNonce(found: CachedBuild & { nonce: string }, nonce: string): CachedBuild {
  if (found.nonce.length !== nonce.length) throw new Error('nonces of different lengths');
  const from = Buffer.from(found.nonce);
  const to = Buffer.from(nonce);
  const objects = new Map<string, Buffer>();
  for (const [name, bytes] of found.objects) {
    const copy = Buffer.from(bytes);
    for (let at = copy.indexOf(from); at !== -1; at = copy.indexOf(from, at + from.length)) to.copy(copy, at);
    objects.set(name, copy);
  }
  return { objects, output: found.output.replaceAll(found.nonce, nonce) };
}
