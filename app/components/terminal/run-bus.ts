/**
 * How a lesson's `<Run cmd="…">` reaches a terminal on the same page: each mounted `<Terminal>`
 * offers itself here, and a Run button hands its command to the terminal nearest to it (the first
 * one after it in the page, else the last one before it: a lesson's commands lead up to its lab).
 * The terminal types the command into its shell through the same path as the learner's keys, so
 * whatever keystrokes are subject to (the connection being down) applies to it too. A terminal
 * that cannot take the command says why, in words the Run block shows beside its button.
 */

export type RunDelivery = { ok: true } | { ok: false; reason: string };

export interface RunTarget {
  /** Where the terminal is in the page, to find the one nearest a Run block. */
  element(): Element | null;
  /** Types `command` and Enter into the shown shell, or says why it cannot. */
  run(command: string): RunDelivery;
}

const targets = new Set<RunTarget>();

/** A terminal offers itself to the page's Run blocks; the result withdraws it. */
export function offerTerminal(target: RunTarget): () => void {
  targets.add(target);
  return () => {
    targets.delete(target);
  };
}

export const NO_TERMINAL =
  'This page has no terminal: copy the command and run it in Your sandbox (the link at the top of the page).';

/** Runs `command` in the terminal nearest `from`, the Run block's own element. */
export function runInTerminal(command: string, from: Element): RunDelivery {
  const placed = [...targets]
    .map((target) => ({ target, element: target.element() }))
    .filter((t): t is { target: RunTarget; element: Element } => t.element?.isConnected === true)
    .sort((a, b) =>
      a.element.compareDocumentPosition(b.element) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1,
    );
  const after = placed.find(
    (t) => from.compareDocumentPosition(t.element) & Node.DOCUMENT_POSITION_FOLLOWING,
  );
  const nearest = after ?? placed.at(-1);
  return nearest ? nearest.target.run(command) : { ok: false, reason: NO_TERMINAL };
}
