/**
 * The per-run nonce: names the run directory, reaches the workload as BPFLAB_NONCE, tags the run's
 * trace lines and replaces `{{nonce}}` in check patterns, so concurrent learners on one kernel
 * each recognise only their own processes and output. Eight characters from [a-z0-9], so that a
 * process name like `hx-<nonce>-9` still fits in the kernel's 15-character comm.
 */
import { randomBytes } from 'node:crypto';
import { NONCE_PLACEHOLDER } from '../labs/schema.js';

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

/** Replaces `{{nonce}}` in a string, or in every string inside a JSON-like value. */
export function withNonce<T>(value: T, nonce: string): T {
  if (typeof value === 'string') return value.replaceAll(NONCE_PLACEHOLDER, nonce) as T;
  if (Array.isArray(value)) return value.map((v) => withNonce(v, nonce)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [withNonce(k, nonce), withNonce(v, nonce)]),
    ) as T;
  }
  return value;
}
