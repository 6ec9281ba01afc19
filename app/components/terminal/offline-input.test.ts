import { describe, expect, it } from 'vitest';
import { OfflineInput } from './offline-input';

/** The words of a line, without its colours and line breaks. */
const words = (line: string | null) =>
  line
    ?.split('\x1b')
    .map((part) => part.replace(/^\[\d+m/, ''))
    .join('')
    .trim() ?? null;

describe('OfflineInput', () => {
  it('warns at the first key typed offline only, and counts every key it did not send', () => {
    const input = new OfflineInput();
    expect(words(input.lost())).toBe(
      '[connection to the server lost; reconnecting… keys typed now are not sent]',
    );
    expect(words(input.dropped('l'))).toBe(
      '[typed while offline, not sent: type it again once the connection is back]',
    );
    expect(input.dropped('s -la\r')).toBeNull();
    expect(words(input.back())).toBe('[connection back; 7 characters typed while offline were not sent]');
  });

  it('says the connection is back without a count when nothing was typed, and warns again next time', () => {
    const input = new OfflineInput();
    input.lost();
    expect(words(input.back())).toBe('[connection back]');
    input.lost();
    expect(input.dropped('x')).not.toBeNull();
    expect(words(input.back())).toBe('[connection back; 1 character typed while offline was not sent]');
  });

  it('says nothing on the first attach, before any drop', () => {
    expect(new OfflineInput().back()).toBeNull();
  });
});
