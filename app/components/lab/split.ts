/**
 * The rule behind the lab's resizable separator: the editor's share of the workspace width, in
 * percent, as the keyboard and the pointer move it. Both panes keep a usable width at any share.
 */

/** The editor's share of the width: where it starts, how far it may go, one arrow key's step. */
export const EDITOR_SHARE = { initial: 60, min: 30, max: 80, step: 5 } as const;

export function clampShare(percent: number): number {
  return Math.min(EDITOR_SHARE.max, Math.max(EDITOR_SHARE.min, percent));
}

/**
 * The share after a key on the separator (the ARIA window-splitter keys), or null for a key the
 * separator leaves alone. The separator runs top to bottom, so left and right move it; up and
 * down do too, for keyboards and screen readers that offer only those.
 */
export function shareAfterKey(share: number, key: string): number | null {
  switch (key) {
    case 'ArrowLeft':
    case 'ArrowDown':
      return clampShare(share - EDITOR_SHARE.step);
    case 'ArrowRight':
    case 'ArrowUp':
      return clampShare(share + EDITOR_SHARE.step);
    case 'Home':
      return EDITOR_SHARE.min;
    case 'End':
      return EDITOR_SHARE.max;
    default:
      return null;
  }
}

/** The share that puts the separator under a pointer at `x`, in a workspace from `left`, `width` wide. */
export function shareAtPointer(x: number, left: number, width: number): number {
  if (width <= 0) return EDITOR_SHARE.initial;
  return clampShare(((x - left) / width) * 100);
}
