/**
 * A local-driver server without BPFLAB_ALLOW_SHARED_KERNEL serves one learner: the first identity
 * it issues. A second browser gets a page (and the API and socket a refusal) that names the VM
 * driver and the opt-in; the first learner keeps working, also after a restart.
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ONE_LEARNER_MESSAGE } from '../sandbox/serve-safety.js';
import { startTestPlatform, type TestPlatform } from '../testing/harness.js';
import { PtyDriverDouble } from '../testing/pty-sandbox-double.js';
import { SoleLearner } from './sole-learner.js';

const ONE_LEARNER = { BPFLAB_ALLOW_SHARED_KERNEL: '0' };
let site: TestPlatform | null = null;
let dataDir: string | null = null;

afterEach(async () => {
  await site?.close();
  site = null;
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  dataDir = null;
});

async function refusal(platform: TestPlatform, cookie: string | undefined) {
  const error = await platform.connect({ cookie, origin: platform.origin }).then(
    (socket) => {
      socket.disconnect();
      return null;
    },
    (e: Error & { data?: { code?: string } }) => e,
  );
  return error && { code: error.data?.code, message: error.message };
}

describe('a local-driver server without BPFLAB_ALLOW_SHARED_KERNEL', () => {
  it('serves its first learner, and shows a second one a page naming the VM driver and the opt-in', async () => {
    site = await startTestPlatform({ driver: new PtyDriverDouble(), env: ONE_LEARNER });
    const first = await site.newLearner();

    const second = await fetch(`${site.url}/lessons/hello`);
    expect(second.status).toBe(403);
    expect(second.headers.get('set-cookie')).toBeNull();
    const page = await second.text();
    expect(page).toContain('BPFLAB_DRIVER=vm');
    expect(page).toContain('BPFLAB_ALLOW_SHARED_KERNEL=1');

    const api = await fetch(`${site.url}/api/progress`);
    expect(api.status).toBe(403);
    expect(await api.json()).toEqual({ error: ONE_LEARNER_MESSAGE });

    const mine = await fetch(`${site.url}/api/progress`, { headers: { cookie: first } });
    expect(mine.status).toBe(200);
    expect(await refusal(site, first)).toBeNull();
  });

  it('refuses the socket of a second identity, even one with a valid cookie', async () => {
    // A cookie signed by this server before it served one learner only (or with the opt-in).
    dataDir = await mkdtemp(path.join(tmpdir(), 'bpflab-one-learner-'));
    const env = { BPFLAB_DATA_DIR: dataDir, BPFLAB_SECRET: 'k'.repeat(32) };
    site = await startTestPlatform({ driver: new PtyDriverDouble(), env });
    const [earlier, later] = [await site.newLearner(), await site.newLearner()];
    await site.close();

    site = await startTestPlatform({ driver: new PtyDriverDouble(), env: { ...env, ...ONE_LEARNER } });
    expect(await refusal(site, earlier)).toBeNull();
    expect(await refusal(site, later)).toEqual({ code: 'one-learner', message: ONE_LEARNER_MESSAGE });
    expect((await fetch(`${site.url}/`, { headers: { cookie: later } })).status).toBe(403);
  });

  it('keeps its learner across restarts', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'bpflab-one-learner-'));
    const env = { ...ONE_LEARNER, BPFLAB_DATA_DIR: dataDir, BPFLAB_SECRET: 'k'.repeat(32) };
    site = await startTestPlatform({ driver: new PtyDriverDouble(), env });
    const first = await site.newLearner();
    await site.close();

    site = await startTestPlatform({ driver: new PtyDriverDouble(), env });
    expect((await fetch(`${site.url}/`)).status).toBe(403);
    expect((await fetch(`${site.url}/`, { headers: { cookie: first } })).status).not.toBe(403);
    expect(await refusal(site, first)).toBeNull();
  });

  it('serves every learner with BPFLAB_ALLOW_SHARED_KERNEL=1', async () => {
    site = await startTestPlatform({
      driver: new PtyDriverDouble(),
      env: { BPFLAB_ALLOW_SHARED_KERNEL: '1' },
    });
    const [a, b] = [await site.newLearner(), await site.newLearner()];
    expect(await refusal(site, a)).toBeNull();
    expect(await refusal(site, b)).toBeNull();
  });
});

describe('SoleLearner', () => {
  it('gives the seat to the first learner asked about and keeps it in the data dir, owner-only', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'bpflab-sole-'));
    const sole = new SoleLearner(dataDir, 'taken');
    expect(sole.admits('A'.repeat(22))).toBe(true);
    expect(sole.admits('B'.repeat(22))).toBe(false);
    expect(sole.admits('A'.repeat(22))).toBe(true);
    const file = path.join(dataDir, 'sole-learner');
    expect(await readFile(file, 'utf8')).toBe(`${'A'.repeat(22)}\n`);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(new SoleLearner(dataDir, 'taken').admits('B'.repeat(22))).toBe(false);
  });
});
