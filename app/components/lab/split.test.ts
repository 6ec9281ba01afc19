import { describe, expect, it } from 'vitest';
import { clampShare, EDITOR_SHARE, shareAfterKey, shareAtPointer } from './split';

describe('the editor share of the lab workspace', () => {
  it('moves by one step per arrow key and stops at the limits', () => {
    expect(shareAfterKey(60, 'ArrowRight')).toBe(65);
    expect(shareAfterKey(60, 'ArrowLeft')).toBe(55);
    expect(shareAfterKey(60, 'ArrowUp')).toBe(65);
    expect(shareAfterKey(60, 'ArrowDown')).toBe(55);
    expect(shareAfterKey(EDITOR_SHARE.max, 'ArrowRight')).toBe(EDITOR_SHARE.max);
    expect(shareAfterKey(EDITOR_SHARE.min + 2, 'ArrowLeft')).toBe(EDITOR_SHARE.min);
  });

  it('jumps to the limits with Home and End', () => {
    expect(shareAfterKey(55, 'Home')).toBe(EDITOR_SHARE.min);
    expect(shareAfterKey(55, 'End')).toBe(EDITOR_SHARE.max);
  });

  it('leaves other keys to the page', () => {
    expect(shareAfterKey(60, 'Tab')).toBeNull();
    expect(shareAfterKey(60, 'Enter')).toBeNull();
  });

  it('follows the pointer within the limits', () => {
    expect(shareAtPointer(500, 100, 1000)).toBe(40);
    expect(shareAtPointer(100, 100, 1000)).toBe(EDITOR_SHARE.min);
    expect(shareAtPointer(1100, 100, 1000)).toBe(EDITOR_SHARE.max);
    expect(shareAtPointer(10, 0, 0)).toBe(EDITOR_SHARE.initial);
    expect(clampShare(Number.NEGATIVE_INFINITY)).toBe(EDITOR_SHARE.min);
  });
});
