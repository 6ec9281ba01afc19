/**
 * The key that signs session cookies. An operator may pin it with BPFLAB_SECRET (needed when
 * several processes must accept each other's cookies); otherwise one is generated on first start
 * and kept, readable by the owner only, in the data dir so learners stay signed in across restarts.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const SECRET_FILE = 'cookie-secret';
const KEY_BYTES = 32;

export function loadSecret(envSecret: string | undefined, dataDir: string): Buffer {
  if (envSecret) return Buffer.from(envSecret, 'utf8');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, SECRET_FILE);
  try {
    // `wx` fails if the file exists, so two processes starting at once keep one key.
    writeFileSync(file, randomBytes(KEY_BYTES).toString('base64url'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new Error(`cannot create the cookie key at ${file}`, { cause: error });
    }
  }
  // A key other users can read lets them forge any learner's cookie: tighten it rather than serve.
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  const key = readFileSync(file, 'utf8').trim();
  if (key.length < 32) throw new Error(`the cookie key at ${file} is shorter than 32 characters`);
  return Buffer.from(key, 'utf8');
}
