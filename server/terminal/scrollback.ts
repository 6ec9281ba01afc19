/**
 * The most recent output of a terminal, replayed to a browser that (re)attaches so its screen
 * shows what the shell last printed. Output is kept as the chunks it arrived in and whole chunks
 * fall off the front, which never splits a character; only a single chunk larger than the whole
 * capacity is cut, at a code-point boundary.
 */

export const DEFAULT_SCROLLBACK_CHARS = 256 * 1024;

export class Scrollback {
  private chunks: string[] = [];
  private head = 0;
  private size = 0;

  constructor(private readonly capacity: number = DEFAULT_SCROLLBACK_CHARS) {}

  get length(): number {
    return this.size;
  }

  append(data: string): void {
    if (data.length === 0) return;
    if (data.length >= this.capacity) {
      this.chunks = [keepTail(data, this.capacity)];
      this.head = 0;
      this.size = this.chunks[0]!.length;
      return;
    }
    this.chunks.push(data);
    this.size += data.length;
    while (this.size > this.capacity) {
      this.size -= this.chunks[this.head]!.length;
      this.head++;
    }
    // Compact now and then instead of shifting the array on every drop.
    if (this.head > 1024 && this.head * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
  }

  snapshot(): string {
    return this.chunks.slice(this.head).join('');
  }
}

function keepTail(data: string, chars: number): string {
  let start = data.length - chars;
  // Do not start on the low half of a surrogate pair.
  const code = data.charCodeAt(start);
  if (code >= 0xdc00 && code <= 0xdfff) start++;
  return data.slice(start);
}
