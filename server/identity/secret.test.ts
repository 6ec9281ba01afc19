import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSecret } from './secret.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bpflab-secret-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('loadSecret', () => {
  it('prefers BPFLAB_SECRET', () => {
    const dir = tempDir();
    expect(loadSecret('s'.repeat(40), dir).toString()).toBe('s'.repeat(40));
  });

  it('generates a key once, readable by the owner only, and keeps it across restarts', () => {
    const dir = path.join(tempDir(), 'data');
    const first = loadSecret(undefined, dir);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(statSync(path.join(dir, 'cookie-secret')).mode & 0o777).toBe(0o600);
    expect(loadSecret(undefined, dir).equals(first)).toBe(true);
  });

  it('tightens a key file others could read', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'cookie-secret'), 'k'.repeat(43), { mode: 0o644 });
    loadSecret(undefined, dir);
    expect(statSync(path.join(dir, 'cookie-secret')).mode & 0o777).toBe(0o600);
  });
});
