/**
 * The per-run nonces. The nonce names the run directory, reaches the workload as BPFLAB_NONCE,
 * tags the run's trace lines and replaces `{{nonce}}` in check patterns, so concurrent learners on
 * one kernel each recognise only their own processes and output. Eight characters from [a-z0-9],
 * so that a process name like `hx-<nonce>-9` still fits in the kernel's 15-character comm. The
 * nonce number (server/labs/placeholders.ts) does the same for what must be a number, a port or an
 * id: BPFLAB_NONCE_NUMBER and `{{nonce_number}}`, unique among the runs in flight in this process.
 */
import { randomBytes, randomInt } from 'node:crypto';
import {
  NONCE_NUMBER_MAX,
  NONCE_NUMBER_MIN,
  NONCE_NUMBER_PLACEHOLDER,
  NONCE_PLACEHOLDER,
} from '../labs/placeholders.js';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
export const NONCE_LENGTH = 8;

export function newNonce(): string {
  // 256 is not a multiple of 36; rejecting bytes ≥ 252 keeps every character equally likely.
  let nonce = '';
  while (nonce.length < NONCE_LENGTH) {
    for (const byte of randomBytes(NONCE_LENGTH)) {
      if (byte < 252 && nonce.length < NONCE_LENGTH) nonce += ALPHABET[byte % 36];
    }
  }
  return nonce;
}

/**
 * Hands out numbers of a range, each to one holder until it is released. A number is drawn at
 * random among the free ones, so a run rarely reuses the number (the port) a run just released.
 */
export class NumberPool {
  private readonly claimed = new Set<number>();

  constructor(
    readonly min: number,
    readonly max: number,
  ) {}

  /** A number no other holder has; throws when every number of the range is held. */
  claim(): number {
    const size = this.max - this.min + 1;
    if (this.claimed.size >= size) {
      throw new Error(`all ${size} numbers from ${this.min} to ${this.max} are held by runs in flight`);
    }
    const start = randomInt(size);
    for (let i = 0; ; i++) {
      const n = this.min + ((start + i) % size);
      if (!this.claimed.has(n)) {
        this.claimed.add(n);
        return n;
      }
    }
  }

  release(n: number): void {
    this.claimed.delete(n);
  }

  /** How many numbers are held now. */
  get inUse(): number {
    return this.claimed.size;
  }
}

/** The nonce numbers of this process's runs in flight: a GradeRun claims one and releases it when it ends. */
export const nonceNumbers = new NumberPool(NONCE_NUMBER_MIN, NONCE_NUMBER_MAX);

/** A run's nonces: the text one and the number. */
export interface RunNonces {
  text: string;
  number: number;
}

/**
 * Replaces `{{nonce}}` and `{{nonce_number}}` in a string, or in every string (and object key)
 * inside a JSON-like value. The number replaces as decimal text: map checks compare a decimal
 * string equal to the number the map holds, and the runner reads it into an integer global.
 */
export function withNonce<T>(value: T, nonces: RunNonces): T {
  if (typeof value === 'string') {
    return value
      .replaceAll(NONCE_PLACEHOLDER, nonces.text)
      .replaceAll(NONCE_NUMBER_PLACEHOLDER, String(nonces.number)) as T;
  }
  if (Array.isArray(value)) return value.map((v) => withNonce(v, nonces)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [withNonce(k, nonces), withNonce(v, nonces)]),
    ) as T;
  }
  return value;
}
