/**
 * `<KernelNote since="5.8">` in lessons: what depends on the kernel version or configuration,
 * set apart so a reader on an older or a distribution kernel knows where their mileage varies.
 */
import type { ReactNode } from 'react';

export function KernelNote({ since, children }: { since?: string; children: ReactNode }) {
  const label = since ? `Kernel ${since} and later` : 'Kernel note';
  return (
    <div role="note" aria-label={label} className="callout callout-kernel">
      <p className="callout-title">{label}</p>
      {children}
    </div>
  );
}
