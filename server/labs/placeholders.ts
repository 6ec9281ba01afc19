/**
 * The placeholders a lab.yaml may write in check patterns, map entries and attach.rodata, which
 * the grader replaces per run (server/grader/nonce.ts). `{{nonce}}` is the run nonce (text, the
 * workload's BPFLAB_NONCE). `{{nonce_number}}` is its numeric twin, for labs whose maps are keyed
 * by a port or an id (a u16, a u32), where text cannot go: the workload and check scripts read it
 * as BPFLAB_NONCE_NUMBER, and no two runs in flight on one server share it.
 */
export const NONCE_PLACEHOLDER = '{{nonce}}';
export const NONCE_NUMBER_PLACEHOLDER = '{{nonce_number}}';

/**
 * The range a run's number is drawn from. Above the well-known ports (0–1023) and the ports
 * services and the fixed-port labs take (8000–10000) so a workload does not collide with them; below
 * Linux's default ephemeral range (net.ipv4.ip_local_port_range, 32768–60999) so the kernel never
 * hands it out as some connection's source port; and within a signed 16-bit integer, so it is
 * exact in any key of two bytes or more, signed or not.
 */
export const NONCE_NUMBER_MIN = 20000;
export const NONCE_NUMBER_MAX = 32767;

/** Any `{{word}}`, to name a placeholder the grader would leave as it is. */
const PLACEHOLDER = /\{\{[^{}]*\}\}/g;

/** The first `{{…}}` in `text` that the grader does not replace, with what to write instead. */
export function unknownPlaceholder(text: string): string | undefined {
  const found = [...text.matchAll(PLACEHOLDER)].find(
    ([p]) => p !== NONCE_PLACEHOLDER && p !== NONCE_NUMBER_PLACEHOLDER,
  );
  return found
    ? `${found[0]} is not a placeholder the grader replaces: write ${NONCE_PLACEHOLDER} (the run nonce, text) or ${NONCE_NUMBER_PLACEHOLDER} (the run's number)`
    : undefined;
}
