/**
 * Output of a sandbox command, capped as it arrives: bytes past the cap are counted and dropped,
 * never buffered, so a program printing forever costs the server nothing but the read.
 */
import { StringDecoder } from 'node:string_decoder';

export class CappedOutput {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  /** Bytes seen past the cap. */
  dropped = 0;

  constructor(private readonly maxBytes: number) {}

  push(chunk: Buffer): void {
    const room = this.maxBytes - this.kept;
    if (room > 0) {
      const part = chunk.length <= room ? chunk : chunk.subarray(0, room);
      this.chunks.push(part);
      this.kept += part.length;
    }
    this.dropped += Math.max(0, chunk.length - Math.max(0, room));
  }

  get truncated(): boolean {
    return this.dropped > 0;
  }

  /** The kept bytes as UTF-8 (a character cut by the cap becomes U+FFFD). */
  text(): string {
    return Buffer.concat(this.chunks, this.kept).toString('utf8');
  }
}

/**
 * Splits a byte stream into complete lines (without the newline) and stops delivering once
 * `maxBytes` have been delivered; the rest is counted as dropped. A final line without a newline
 * is delivered by `end()`.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  /** The pieces of the line not yet ended, kept apart: joining them per chunk would be quadratic. */
  private partial: string[] = [];
  private partialChars = 0;
  private delivered = 0;
  dropped = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly deliver: (line: string) => void,
  ) {}

  push(chunk: Buffer): void {
    if (this.delivered >= this.maxBytes) {
      this.dropped += chunk.length;
      return;
    }
    const text = this.decoder.write(chunk);
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      this.partial.push(text.slice(start, end));
      this.emit(this.takePartial());
      start = end + 1;
    }
    if (start < text.length) {
      this.partial.push(text.slice(start));
      this.partialChars += text.length - start;
    }
    // A line that never ends must not grow without bound either.
    if (this.partialChars > this.maxBytes - this.delivered) {
      this.dropped += Buffer.byteLength(this.takePartial());
      this.delivered = this.maxBytes;
    }
  }

  end(): void {
    this.partial.push(this.decoder.end());
    const rest = this.takePartial();
    if (rest) this.emit(rest);
  }

  get truncated(): boolean {
    return this.dropped > 0;
  }

  private takePartial(): string {
    const line = this.partial.join('');
    this.partial = [];
    this.partialChars = 0;
    return line;
  }

  private emit(line: string): void {
    const size = Buffer.byteLength(line) + 1;
    if (this.delivered + size > this.maxBytes) {
      this.dropped += size;
      this.delivered = this.maxBytes;
      return;
    }
    this.delivered += size;
    this.deliver(line);
  }
}
