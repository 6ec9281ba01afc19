/**
 * A table in a box that scrolls sideways when it is wider than the lab (map keys on a phone),
 * named for assistive technology and reachable by Tab so the keyboard can scroll it.
 */
'use client';

import type { ReactNode } from 'react';
import styles from './lab.module.css';

export function ScrollingTable({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region is focusable to be scrolled by keys
    <section className={styles.mapDiff} aria-label={label} tabIndex={0}>
      <table className={styles.mapDiffTable}>{children}</table>
    </section>
  );
}
