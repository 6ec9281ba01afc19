/**
 * `<Callout type="note|warning|tip" title="…">` in lessons: an aside the reader should not miss.
 * An unknown type renders as a note rather than failing the page.
 */
import type { ReactNode } from 'react';

const KINDS = { note: 'Note', warning: 'Warning', tip: 'Tip' } as const;
type Kind = keyof typeof KINDS;

export function Callout({ type, title, children }: { type?: Kind; title?: string; children: ReactNode }) {
  const kind: Kind = type && Object.hasOwn(KINDS, type) ? type : 'note';
  const label = title ?? KINDS[kind];
  return (
    <div role="note" aria-label={label} className={`callout callout-${kind}`}>
      <p className="callout-title">{label}</p>
      {children}
    </div>
  );
}
