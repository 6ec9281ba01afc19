/**
 * The page's first shell on screen, which Monaco waits for. Monaco is megabytes of JavaScript that
 * the browser evaluates in one long task; run beside the terminal's start, it holds up the
 * socket replies and xterm.js's drawing behind it, so the prompt comes last. Loaded after the
 * first shell's output is drawn (or after `maxWaitMs`, when no shell comes: no sandbox yet, a
 * failed start), the editor follows the prompt instead of delaying it.
 */
let shown: () => void = () => {};
const firstShell = new Promise<void>((resolve) => {
  shown = resolve;
});

/** Called by a terminal once its shell's output is on screen; later calls change nothing. */
export function firstShellShown(): void {
  shown();
}

/** Resolves once a shell is on screen, or after `maxWaitMs` at the latest. */
export function afterFirstShell(maxWaitMs: number): Promise<void> {
  return Promise.race([firstShell, new Promise<void>((resolve) => setTimeout(resolve, maxWaitMs))]);
}
