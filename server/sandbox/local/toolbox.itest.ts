/**
 * The toolbox a lab may count on (server/sandbox/toolbox.ts), inside a real local sandbox: every
 * command runs, and nc and socat exchange a UDP datagram on the sandbox's own loopback.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TOOLBOX_CHECK } from '../toolbox.js';
import { cannotRunLocalDriver, startTestDriver } from './itest-support.js';

const skip = cannotRunLocalDriver();

describe.skipIf(skip !== null)(`local sandbox toolbox${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let test: Awaited<ReturnType<typeof startTestDriver>>;
  beforeAll(async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    test = await startTestDriver();
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await test?.close();
  });

  it('offers every documented command, and nc reaches socat over UDP', async () => {
    const sandbox = await test.driver.create({ sessionId: 'toolbox' });
    try {
      const result = await sandbox.exec(['sh', '-c', TOOLBOX_CHECK], {
        timeoutMs: 30_000,
        maxOutputBytes: 64 * 1024,
      });
      expect(result.stdout.trim().split('\n')).toEqual(['udp hello from nc']);
    } finally {
      await sandbox.dispose();
    }
  });
});
