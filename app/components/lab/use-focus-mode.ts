/**
 * Focus mode: the lab alone in the window. Entering notes how far the page was scrolled and hides
 * everything but the lab (each sibling of the lab and of its ancestors up to <body>: the site
 * header, the lesson's text, other labs), so they leave the screen, the Tab order and the
 * accessibility tree. Leaving (the button, or Escape pressed outside the editor, the terminal and
 * dialogs, which keep Escape for themselves) shows them again and scrolls back to where the
 * learner was.
 */
'use client';

import { type RefObject, useCallback, useLayoutEffect, useRef, useState } from 'react';

/** Hides every element beside `kept` and beside its ancestors; returns what shows them again. */
function hideAllBut(kept: HTMLElement): () => void {
  const hidden: { element: HTMLElement; display: string; priority: string }[] = [];
  for (
    let node: HTMLElement = kept;
    node.parentElement && node !== document.body;
    node = node.parentElement
  ) {
    for (const sibling of node.parentElement.children) {
      if (sibling === node || !(sibling instanceof HTMLElement)) continue;
      const { style } = sibling;
      hidden.push({
        element: sibling,
        display: style.getPropertyValue('display'),
        priority: style.getPropertyPriority('display'),
      });
      style.setProperty('display', 'none', 'important');
    }
  }
  return () => {
    for (const { element, display, priority } of hidden) {
      if (display) element.style.setProperty('display', display, priority);
      else element.style.removeProperty('display');
    }
  };
}

/** Whether an Escape keydown is the page's to take: nothing inside the lab used it. */
function escapeLeavesFocusMode(event: KeyboardEvent): boolean {
  if (event.key !== 'Escape' || event.defaultPrevented) return false;
  if (event.shiftKey || event.ctrlKey || event.altKey || event.metaKey) return false;
  const target = event.target instanceof Element ? event.target : null;
  return !target?.closest('[data-lab-terminal], .monaco-editor, dialog');
}

export function useFocusMode(lab: RefObject<HTMLElement | null>): [boolean, (on: boolean) => void] {
  const [focused, setFocused] = useState(false);
  // Read before the lab leaves the page's flow: at the end of a lesson the page then gets shorter
  // and the browser would pull the scroll position up.
  const scrolledTo = useRef(0);
  const toggle = useCallback((on: boolean) => {
    if (on) scrolledTo.current = window.scrollY;
    setFocused(on);
  }, []);

  useLayoutEffect(() => {
    const element = lab.current;
    if (!focused || !element) return;
    const showAgain = hideAllBut(element);
    const onKeyDown = (event: KeyboardEvent) => {
      if (!escapeLeavesFocusMode(event)) return;
      event.preventDefault();
      setFocused(false);
    };
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('keydown', onKeyDown);
      showAgain();
      window.scrollTo({ top: scrolledTo.current, behavior: 'instant' });
    };
  }, [focused, lab]);

  return [focused, toggle];
}
