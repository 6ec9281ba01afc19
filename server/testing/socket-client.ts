/**
 * A socket.io client that acts like the browser's <Terminal>, for socket tests and the keystroke
 * benchmark: requests with acks, and per-terminal output that is acknowledged as xterm.js would
 * (unless a test wants to play a stalled browser).
 */
import type { ClientEvent, Reply, ReplyTo } from '../protocol/index.js';
import { outputBytes, type TerminalAttachment, type TerminalBytes } from '../protocol/terminal.js';
import type { ClientSocket } from './harness.js';
import { waitFor } from './wait.js';

/**
 * Sends a request and resolves with the server's reply, typed by the protocol's event map (rejects
 * if none comes in time). The payload is not checked: tests also send what no page would.
 */
export function request<E extends ClientEvent>(
  socket: ClientSocket,
  event: E,
  ...payload: unknown[]
): Promise<ReplyTo<E>> {
  return requestWithin(socket, 10_000, event, ...payload);
}

/** `request` for slow requests (a Check): rejects if no reply comes within `timeoutMs`. */
export function requestWithin<E extends ClientEvent>(
  socket: ClientSocket,
  timeoutMs: number,
  event: E,
  ...payload: unknown[]
): Promise<ReplyTo<E>> {
  // The typed overloads cannot follow a computed event name; the reply's type is the map's.
  return (socket.timeout(timeoutMs).emitWithAck as (...args: unknown[]) => Promise<ReplyTo<E>>)(
    event,
    ...payload,
  );
}

export async function expectOk<T>(reply: Promise<Reply<T>>): Promise<T> {
  const result = await reply;
  if (!result.ok) throw new Error(`server refused: ${result.error}`);
  return result.value;
}

/**
 * Terminal output as Latin-1 text, one character per byte: enough to look for an ASCII marker in
 * a flood without decoding it as UTF-8 (and without copying the bytes).
 */
export function latin1(data: TerminalBytes): string {
  const bytes = outputBytes(data);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

export class TerminalScreen {
  text = '';
  /** Bytes of output received (replay not counted). */
  received = 0;
  /** Decodes UTF-8 across messages, as xterm.js does: a character may arrive in two. */
  private readonly decoder = new TextDecoder();
  exited = false;
  closed = false;

  constructor(
    readonly socket: ClientSocket,
    readonly id: string,
    private readonly autoAck = true,
  ) {
    socket.on('terminal:output', ({ id: from, data }) => {
      if (from !== id) return;
      this.text += this.decoder.decode(outputBytes(data), { stream: true });
      this.received += data.byteLength;
      if (this.autoAck) socket.emit('terminal:ack', { id, bytes: data.byteLength });
    });
    socket.on('terminal:exit', ({ id: from }) => {
      if (from === id) this.exited = true;
    });
    socket.on('terminal:closed', ({ id: from }) => {
      if (from === id) this.closed = true;
    });
  }

  /** Opens a new terminal and watches it; `text` starts with the replay. */
  static async open(socket: ClientSocket, autoAck = true): Promise<TerminalScreen> {
    const attachment = await expectOk(request(socket, 'terminal:open', { cols: 80, rows: 24 }));
    return TerminalScreen.watch(socket, attachment, autoAck);
  }

  static async attach(socket: ClientSocket, id: string): Promise<TerminalScreen> {
    const attachment = await expectOk(request(socket, 'terminal:attach', { id }));
    return TerminalScreen.watch(socket, attachment, true);
  }

  private static watch(
    socket: ClientSocket,
    attachment: TerminalAttachment,
    autoAck: boolean,
  ): TerminalScreen {
    const screen = new TerminalScreen(socket, attachment.info.id, autoAck);
    screen.text = new TextDecoder().decode(outputBytes(attachment.replay));
    if (autoAck && attachment.replay.byteLength) {
      socket.emit('terminal:ack', { id: screen.id, bytes: attachment.replay.byteLength });
    }
    return screen;
  }

  type(data: string): void {
    this.socket.emit('terminal:input', { id: this.id, data });
  }

  async waitFor(pattern: string | RegExp, timeoutMs = 5000): Promise<void> {
    const found = () => (typeof pattern === 'string' ? this.text.includes(pattern) : pattern.test(this.text));
    await waitFor(
      found,
      () => `${pattern} on the screen (it shows ${JSON.stringify(this.text.slice(-300))})`,
      timeoutMs,
    );
  }
}
