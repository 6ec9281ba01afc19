/**
 * Widens the lab from the lesson's text column to the window (less a small gutter): it measures
 * where the column starts and sets the lab's `--bleed-start` and `--bleed-width` (lab.module.css
 * turns them into a negative margin and a width), again whenever the window or the column
 * changes size. Until it has measured, the lab fits the column.
 */
'use client';

import { type RefObject, useLayoutEffect } from 'react';

/** The gap kept between the lab and the window's edges, in CSS pixels, on narrow and wide windows. */
function gutter(viewportWidth: number): number {
  return viewportWidth >= 1024 ? 16 : 8;
}

export function useFullBleed(lab: RefObject<HTMLElement | null>): void {
  useLayoutEffect(() => {
    const element = lab.current;
    const column = element?.parentElement;
    if (!element || !column) return;
    const measure = () => {
      // clientWidth leaves out a vertical scrollbar, so the lab never makes the page scroll sideways.
      const viewport = document.documentElement.clientWidth;
      const edge = gutter(viewport);
      element.style.setProperty('--bleed-start', `${column.getBoundingClientRect().left - edge}px`);
      element.style.setProperty('--bleed-width', `${viewport - 2 * edge}px`);
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(column);
    window.addEventListener('resize', measure);
    return () => {
      observer.disconnect();
      window.removeEventListener('resize', measure);
    };
  }, [lab]);
}
