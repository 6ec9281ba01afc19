import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { etcSecrets } from './etc-secrets.js';

let etc: string | null = null;
afterEach(async () => {
  if (etc) await rm(etc, { recursive: true, force: true });
  etc = null;
});

describe('etcSecrets', () => {
  it('lists what the owner keeps from others, and not what is inside a hidden directory', async () => {
    etc = await mkdtemp(path.join(tmpdir(), 'bpflab-etc-'));
    await writeFile(path.join(etc, 'passwd'), 'root:x:0:0::/root:/bin/bash\n');
    await writeFile(path.join(etc, 'shadow'), 'root:$6$secret:1::::::\n');
    await chmod(path.join(etc, 'shadow'), 0o640);
    await mkdir(path.join(etc, 'ssl', 'private'), { recursive: true });
    await writeFile(path.join(etc, 'ssl', 'private', 'key.pem'), 'KEY');
    await chmod(path.join(etc, 'ssl', 'private'), 0o700);
    await writeFile(path.join(etc, 'ssl', 'cert.pem'), 'CERT');
    await symlink('shadow', path.join(etc, 'link-to-shadow'));

    expect(await etcSecrets(etc)).toEqual([
      { path: path.join(etc, 'shadow'), directory: false },
      { path: path.join(etc, 'ssl', 'private'), directory: true },
    ]);
  });

  it('says which directory it could not read', async () => {
    await expect(etcSecrets('/nonexistent-etc')).rejects.toThrow(/nonexistent-etc/);
  });
});
