import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHostFacts } from '../sandbox/host-facts.js';
import { startTestPlatform, type TestPlatform } from '../testing/harness.js';
import { expectOk, request, TerminalScreen } from '../testing/socket-client.js';
import { terminalSocketSuite } from '../testing/terminal-socket-suite.js';

const host = readHostFacts();
const skip = host.platform !== 'linux' || !host.canLoadBpf;
const startLocal = () => startTestPlatform({ env: { BPFLAB_DRIVER: 'local' } });

describe.skipIf(skip)('terminals over socket.io (real local driver; needs Linux with CAP_BPF/root)', () => {
  terminalSocketSuite(startLocal);
});

describe.skipIf(skip)(
  'the local sandbox seen through the browser protocol (needs Linux with CAP_BPF/root)',
  () => {
    let site: TestPlatform;
    beforeAll(async () => {
      site = await startLocal();
    });
    afterAll(() => site?.close());

    it('runs on this kernel and says so in the terminal and the feature panel', async () => {
      const socket = await site.connect({ cookie: await site.newLearner(), origin: site.origin });
      const screen = await TerminalScreen.open(socket);
      screen.type('uname -r\r');
      // The release on a line of its own: the command's output, not its echo.
      const release = os.release().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      await screen.waitFor(new RegExp(`[\r\n]${release}\r\n`), 15_000);
      const features = await expectOk(request(socket, 'session:features'));
      expect(features.kernelRelease).toBe(os.release());
      socket.disconnect();
    });
  },
);
