/**
 * A map's entries as a table: a caption, one column header per field, the rows given. The box
 * scrolls sideways when the table is wider than the lab (map keys on a phone), so it is named for
 * assistive technology and reachable by Tab for the keyboard to scroll it. Used by the results
 * panel's map diff and by Run's maps after the workload.
 */
'use client';

import type { ReactNode } from 'react';
import styles from './lab.module.css';

export interface MapTableProps {
  label: string;
  caption: string;
  /** The caption says something went wrong (the map is empty). */
  alert?: boolean;
  /** Column headers; none when the table has no rows. */
  columns: readonly string[];
  children: ReactNode;
}

export function MapTable({ label, caption, alert = false, columns, children }: MapTableProps) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region is focusable to be scrolled by keys
    <section className={styles.mapDiff} aria-label={label} tabIndex={0}>
      <table className={styles.mapDiffTable}>
        <caption className={styles.mapDiffCaption} data-empty={alert}>
          {caption}
        </caption>
        {columns.length > 0 && (
          <thead>
            <tr>
              {columns.map((column) => (
                <th scope="col" key={column}>
                  {column}
                </th>
              ))}
            </tr>
          </thead>
        )}
        <tbody>{children}</tbody>
      </table>
    </section>
  );
}
