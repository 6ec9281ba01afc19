/**
 * The most recent output of a terminal, replayed to a browser that (re)attaches so its screen
 * shows what the shell last printed. Output is kept as the chunks of bytes it arrived in and whole
 * chunks fall off the front; only a single chunk larger than the whole capacity is cut. Where the
 * replay starts, a UTF-8 character's continuation bytes cut from its first byte are left out.
 */

export const DEFAULT_SCROLLBACK_BYTES = 256 * 1024;

export class Scrollback {
  private chunks: Uint8Array[] = [];
  private head = 0;
  private size = 0;

  constructor(private readonly capacity: number = DEFAULT_SCROLLBACK_BYTES) {}

  get length(): number {
    return this.size;
  }

  append(data: Uint8Array): void {
    if (data.byteLength === 0) return;
    if (data.byteLength >= this.capacity) {
      this.chunks = [data.subarray(data.byteLength - this.capacity)];
      this.head = 0;
      this.size = this.capacity;
      return;
    }
    this.chunks.push(data);
    this.size += data.byteLength;
    while (this.size > this.capacity) {
      this.size -= this.chunks[this.head]!.byteLength;
      this.head++;
    }
    // Compact now and then instead of shifting the array on every drop.
    if (this.head > 1024 && this.head * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
  }

  snapshot(): Uint8Array {
    const kept = Buffer.concat(this.chunks.slice(this.head), this.size);
    let start = 0;
    while (start < 3 && start < kept.length && (kept[start]! & 0xc0) === 0x80) start++;
    return kept.subarray(start);
  }
}
