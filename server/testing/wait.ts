/**
 * Polls until `condition` holds, failing with what was awaited after `timeoutMs`; `what` may be a
 * function so the failure describes the state at the deadline, not at the start.
 */
export async function waitFor(
  condition: () => boolean,
  what: string | (() => string),
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`,
      );
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}
