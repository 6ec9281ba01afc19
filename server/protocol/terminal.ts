/**
 * Terminal events between the browser's <Terminal> and the pty bridge. Client payloads are zod
 * schemas (the server parses every one); server payloads are plain types.
 *
 * Output is binary: the shell's bytes as it wrote them (UTF-8), sent as socket.io binary
 * attachments and handed to xterm.js, which decodes UTF-8 itself, also across messages.
 *
 * Flow control contract: the client acknowledges output it has handed to xterm.js in chunks of
 * at least ACK_EVERY_BYTES (and whatever is left when output stops for a while). The server
 * pauses the shell while more than its high-water mark is unacknowledged and resumes below its
 * low-water mark, which is larger than ACK_EVERY_BYTES so a quiet terminal never stays paused.
 * Lengths are counted in bytes on both sides.
 */
import { z } from 'zod';
import { notice, request } from './contract.js';

/** The client acknowledges output in chunks of at least this many bytes. */
export const ACK_EVERY_BYTES = 16 * 1024;
/** A single input message (a keystroke or a paste) is at most this long. */
export const MAX_INPUT_CHARS = 64 * 1024;
/** Terminals a learner session may hold at once. */
export const MAX_TERMINALS = 8;

/** Server-made, random and scoped to one learner session; a client cannot address another's. */
export const TerminalId = z.string().regex(/^t-[0-9a-f]{16}$/, 'not a terminal id');

const cols = z.number().int().min(2).max(500);
const rows = z.number().int().min(1).max(200);

export const TerminalSize = z.strictObject({ cols, rows });
export const TerminalRef = z.strictObject({ id: TerminalId });
export const TerminalResize = z.strictObject({ id: TerminalId, cols, rows });
export const TerminalInput = z.strictObject({ id: TerminalId, data: z.string().min(1).max(MAX_INPUT_CHARS) });
export const TerminalAck = z.strictObject({
  id: TerminalId,
  bytes: z
    .number()
    .int()
    .positive()
    .max(16 * 1024 * 1024),
});

/**
 * Terminal output on the wire: the server sends a Buffer; socket.io hands it to a page as an
 * ArrayBuffer and to a Node client as a Buffer. `outputBytes` gives a view of either.
 */
export type TerminalBytes = Uint8Array | ArrayBuffer;

export function outputBytes(data: TerminalBytes): Uint8Array {
  return data instanceof Uint8Array ? data : new Uint8Array(data);
}

export interface TerminalInfo {
  id: string;
  /** Shown on the tab: "shell 1", "shell 2", … */
  title: string;
  state: 'running' | 'exited';
  /** Set once the shell has exited. */
  exit: TerminalExit | null;
}

export interface TerminalExit {
  exitCode: number;
  /** The signal number that ended the shell, when one did. */
  signal: number | null;
}

export interface TerminalAttachment {
  info: TerminalInfo;
  /** The most recent output (up to 256 KiB), to repaint the screen after a reconnect. */
  replay: TerminalBytes;
}

/** The terminal events a page sends, each with its payload schema and the value of its ok reply. */
export const TERMINAL_EVENTS = {
  /** The learner's terminals, oldest first; creates nothing. */
  'terminal:list': request(z.undefined()).replies<TerminalInfo[]>(),
  /** A new shell in the learner's sandbox (started on first use). The opener is attached. */
  'terminal:open': request(TerminalSize).replies<TerminalAttachment>(),
  /** Receive a terminal's output on this socket, starting with its recent scrollback. */
  'terminal:attach': request(TerminalRef).replies<TerminalAttachment>(),
  /** Stop receiving output (the tab was unmounted); the shell keeps running. */
  'terminal:detach': notice(TerminalRef),
  'terminal:input': notice(TerminalInput),
  'terminal:resize': notice(TerminalResize),
  'terminal:ack': notice(TerminalAck),
  /** Kill the shell and forget the terminal. */
  'terminal:close': request(TerminalRef).replies<null>(),
  /** Start a fresh shell in a terminal whose shell has exited. */
  'terminal:restart': request(TerminalRef).replies<TerminalInfo>(),
};

export interface TerminalServerEvents {
  'terminal:output': (p: { id: string; data: TerminalBytes }) => void;
  'terminal:exit': (p: { id: string; exit: TerminalExit }) => void;
  /** The terminal was closed (from another tab, or its session ended). */
  'terminal:closed': (p: { id: string }) => void;
}
