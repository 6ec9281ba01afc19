import { describe, expect, it } from 'vitest';
import { canLoadBpf, chooseDriver } from './host-facts.js';

const status = (capEff: string) => `Name:\tnode\nCapPrm:\t0000000000000000\nCapEff:\t${capEff}\n`;

describe('canLoadBpf', () => {
  it('reads CAP_BPF (bit 39) and CAP_SYS_ADMIN (bit 21) from CapEff', () => {
    expect(canLoadBpf(status('000001fffeffffff'))).toBe(true);
    expect(canLoadBpf(status('0000008000000000'))).toBe(true);
    expect(canLoadBpf(status('0000000000200000'))).toBe(true);
    expect(canLoadBpf(status('0000000000000000'))).toBe(false);
    expect(canLoadBpf(status('0000007fffdfffff'))).toBe(false);
    expect(canLoadBpf('Name:\tnode\n')).toBe(false);
  });
});

describe('chooseDriver', () => {
  it('takes BPFLAB_DRIVER when set', () => {
    expect(chooseDriver('lima', { platform: 'linux', canLoadBpf: true })).toBe('lima');
    expect(chooseDriver('local', { platform: 'darwin', canLoadBpf: false })).toBe('local');
  });

  it('defaults to local only on Linux where this process may load BPF', () => {
    expect(chooseDriver(undefined, { platform: 'linux', canLoadBpf: true })).toBe('local');
    expect(chooseDriver(undefined, { platform: 'linux', canLoadBpf: false })).toBe('lima');
    expect(chooseDriver(undefined, { platform: 'darwin', canLoadBpf: false })).toBe('lima');
    expect(chooseDriver(undefined, { platform: 'win32', canLoadBpf: false })).toBe('lima');
  });
});
