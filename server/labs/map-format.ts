/**
 * How a map check's fields are written and shown: the formats a lab may declare per field
 * (`format: { saddr: ipv4, sport: port }`), reading an expected value written in such a format
 * (`saddr: 127.0.1.1`) into the number the map holds, showing a decoded number in it, and the byte
 * swaps that relate a host-order field to its network-order twin.
 *
 * Byte order: the runner decodes integers as the machine stores them (little-endian on x86-64 and
 * arm64, the machines bpflab runs on). `ipv4` and `port` are fields in host byte order, as after
 * bpf_ntohl / bpf_ntohs: the number 0x7f000101 is 127.0.1.1. `ipv4-net` and `port-net` are fields
 * kept in network byte order, as copied from the header (`key.saddr = ip->saddr`): the decoded
 * number is the address's bytes read little-endian, so 127.0.1.1 is 0x0101007f. Either way a lab
 * writes and the learner reads the address or port itself.
 */
import {
  NONCE_NUMBER_MAX,
  NONCE_NUMBER_PLACEHOLDER,
  NONCE_PLACEHOLDER,
  unknownPlaceholder,
} from './placeholders.js';

export const FIELD_FORMATS = ['ipv4', 'ipv4-net', 'port', 'port-net', 'hex', 'decimal'] as const;
export type FieldFormat = (typeof FIELD_FORMATS)[number];

/** The formats of a map check's fields, by field name; `key` / `value` name a key or value that is a plain number. */
export type FieldFormats = Readonly<Record<string, FieldFormat>>;

/** Bytes in a field of this format, when the format fixes it (for recognising swapped bytes). */
export function formatWidth(format: FieldFormat | undefined): 2 | 4 | undefined {
  if (format === 'port' || format === 'port-net') return 2;
  if (format === 'ipv4' || format === 'ipv4-net') return 4;
  return undefined;
}

/** Whether the format keeps the field in network byte order. */
export function isNetworkOrder(format: FieldFormat | undefined): boolean {
  return format === 'ipv4-net' || format === 'port-net';
}

/** `n` with its `width` bytes in reverse order (htons/ntohs for 2, htonl/ntohl for 4). */
export function swapBytes(n: number, width: 2 | 4): number {
  if (width === 2) return ((n & 0xff) << 8) | ((n >>> 8) & 0xff);
  return (((n & 0xff) << 24) | ((n & 0xff00) << 8) | ((n >>> 8) & 0xff00) | ((n >>> 24) & 0xff)) >>> 0;
}

/** A decoded integer as a JS number, when it is one (the runner writes big ones as decimal strings). */
export function integerOf(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : undefined;
  }
  return undefined;
}

const DOTTED = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/**
 * An expected value as written in a lab.yaml, read in its field's format into what the decoded
 * map holds; `error` says what is wrong with it, in words for the lab's author. In a manifest,
 * before a run replaces it, `{{nonce_number}}` reads as the highest number a run can get, so a
 * value that cannot hold every run's number (`"{{nonce_number}}0"` as a port) is refused.
 */
export function readFormatted(written: unknown, format: FieldFormat): { value: unknown } | { error: string } {
  const v =
    typeof written === 'string'
      ? written.replaceAll(NONCE_NUMBER_PLACEHOLDER, String(NONCE_NUMBER_MAX))
      : written;
  if (typeof v === 'string' && v.includes(NONCE_PLACEHOLDER)) {
    return {
      error: `${format}: ${NONCE_PLACEHOLDER} is text; write ${NONCE_NUMBER_PLACEHOLDER}, the run's number`,
    };
  }
  const unknown = typeof v === 'string' ? unknownPlaceholder(v) : undefined;
  if (unknown) return { error: `${format}: ${unknown}` };
  const orNonce = `, or ${NONCE_NUMBER_PLACEHOLDER}`;
  switch (format) {
    case 'ipv4':
    case 'ipv4-net': {
      const n = typeof v === 'string' ? (dottedToNumber(v) ?? integerOf(v)) : integerOf(v);
      if (n === undefined || n < 0 || n > 0xffffffff)
        return { error: `${format}: must be an IPv4 address like 127.0.1.1 or a 32-bit number${orNonce}` };
      return { value: format === 'ipv4-net' ? swapBytes(n, 4) : n };
    }
    case 'port':
    case 'port-net': {
      const n = integerOf(v);
      if (n === undefined || n < 0 || n > 0xffff)
        return { error: `${format}: must be a port number, 0 to 65535${orNonce}` };
      return { value: format === 'port-net' ? swapBytes(n, 2) : n };
    }
    case 'hex': {
      if (typeof v === 'string' && /^0x[0-9a-f]+$/i.test(v)) return { value: bigOrNumber(BigInt(v)) };
      const n = integerOf(v);
      return n === undefined ? { error: `hex: must be a number like 0x1f${orNonce}` } : { value: n };
    }
    case 'decimal': {
      if (typeof v === 'string' && /^-?\d+$/.test(v)) return { value: bigOrNumber(BigInt(v)) };
      return integerOf(v) === undefined ? { error: `decimal: must be an integer${orNonce}` } : { value: v };
    }
  }
}

/**
 * A key or value of an expected entry with its formatted fields read (readFormatted): the fields
 * of an object by name, or the whole of a plain one by `part` (`key` or `value`). `errors` carry
 * the field path below the part, for the manifest's messages.
 */
export function readEntryPart(
  v: unknown,
  part: 'key' | 'value',
  formats: FieldFormats,
): { value: unknown; errors: { path: string[]; message: string }[] } {
  const errors: { path: string[]; message: string }[] = [];
  const read = (field: unknown, format: FieldFormat | undefined, path: string[]) => {
    if (format === undefined) return field;
    const r = readFormatted(field, format);
    if ('error' in r) {
      errors.push({ path, message: r.error });
      return field;
    }
    return r.value;
  };
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const fields = Object.entries(v).map(([name, field]) => [name, read(field, formats[name], [name])]);
    return { value: Object.fromEntries(fields), errors };
  }
  return { value: read(v, formats[part], []), errors };
}

/** A decoded field shown in its format; a value the format does not fit is shown as it is. */
export function showFormatted(v: unknown, format: FieldFormat | undefined): string {
  const n = integerOf(v);
  if (format !== undefined && n !== undefined) {
    switch (format) {
      case 'ipv4':
      case 'ipv4-net':
        if (n >= 0 && n <= 0xffffffff) return numberToDotted(format === 'ipv4-net' ? swapBytes(n, 4) : n);
        break;
      case 'port':
      case 'port-net':
        if (n >= 0 && n <= 0xffff) return String(format === 'port-net' ? swapBytes(n, 2) : n);
        break;
      case 'hex':
        return n < 0 ? `-0x${(-n).toString(16)}` : `0x${n.toString(16)}`;
      case 'decimal':
        return String(n);
    }
  }
  if (format === 'hex' && typeof v === 'string' && /^\d+$/.test(v)) return `0x${BigInt(v).toString(16)}`;
  return showPlain(v);
}

/** A decoded value without a format: numbers and strings as they are, anything else as JSON. */
export function showPlain(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v) ?? String(v);
}

function dottedToNumber(s: string): number | undefined {
  const m = DOTTED.exec(s.trim());
  if (!m) return undefined;
  const octets = m.slice(1).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  return octets.reduce((n, o) => n * 256 + o, 0);
}

function numberToDotted(n: number): string {
  return [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff].join('.');
}

/** The runner's own convention: integers beyond 2^53 as decimal strings. */
function bigOrNumber(n: bigint): number | string {
  return n <= BigInt(Number.MAX_SAFE_INTEGER) && n >= BigInt(Number.MIN_SAFE_INTEGER)
    ? Number(n)
    : n.toString();
}
