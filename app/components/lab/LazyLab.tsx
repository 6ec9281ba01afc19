/**
 * `<Lab id="…">` as a lesson embeds it: the lab's frame (its card, title and workspace at the size
 * the lab will have) is rendered with the lesson, and the lab itself (Lab.tsx, Monaco, xterm.js,
 * socket.io) loads only when the frame comes within a window's height of the viewport, or at once
 * when the page was opened at the lab's link (`#lab-<id>`, as the home page's Continue links it).
 * So a lesson costs its reader no editor until they come near a lab.
 *
 * Once wanted, what the lab's terminal needs starts at the same time: the lab's own code, the
 * page's socket (so `lab:open` and the terminal's requests find it connected) and xterm.js;
 * Monaco follows once the shell is on screen (terminal/first-shell.ts). The
 * frame also stands in for the lab's terminal for the lesson's Run blocks (run-bus.ts): a Run
 * clicked before the lab is there starts loading it and says to try again in a moment.
 */
'use client';

import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { offerTerminal } from '@/app/components/terminal/run-bus';
import styles from './lab.module.css';
import { labAnchor } from './lab-anchor';
import { useFullBleed } from './use-full-bleed';

const Lab = lazy(() => import('./Lab').then((module) => ({ default: module.Lab })));

/** How far outside the viewport a lab starts loading: a window's height above and below it. */
const NEAR_VIEWPORT = '100% 0px 100% 0px';

export const LAB_LOADING_FOR_RUN = 'The lab’s terminal is still loading; try again in a moment.';

/** Starts every download the lab's terminal needs at once, rather than each after the one before. */
function startLoading(): void {
  void import('@/app/lib/socket').then(({ preconnect }) => preconnect());
  void import('@/app/components/terminal/load-xterm').then(({ loadXterm }) => loadXterm());
}

export interface LazyLabProps {
  id: string;
  /** The lab's title from its manifest, shown before the lab has loaded; defaults to its id. */
  title?: string;
}

export function LazyLab({ id, title }: LazyLabProps) {
  const [wanted, setWanted] = useState(false);
  useEffect(() => {
    if (wanted) startLoading();
  }, [wanted]);
  const frame = <LabFrame id={id} title={title ?? id} onWanted={() => setWanted(true)} />;
  if (!wanted) return frame;
  return (
    <Suspense fallback={frame}>
      <Lab id={id} title={title} />
    </Suspense>
  );
}

interface LabFrameProps {
  id: string;
  title: string;
  onWanted(): void;
}

/** The lab's card before its code is there, the same size as the lab (lab.module.css). */
function LabFrame({ id, title, onWanted }: LabFrameProps) {
  const root = useRef<HTMLElement>(null);
  useFullBleed(root);
  const wanted = useRef(onWanted);
  wanted.current = onWanted;

  useEffect(() => {
    const element = root.current;
    if (!element) return;
    const linked = () => window.location.hash === `#${labAnchor(id)}`;
    if (linked()) {
      wanted.current();
      return;
    }
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) wanted.current();
      },
      { rootMargin: NEAR_VIEWPORT },
    );
    observer.observe(element);
    const onHash = () => linked() && wanted.current();
    window.addEventListener('hashchange', onHash);
    const withdraw = offerTerminal({
      element: () => root.current,
      run: () => {
        wanted.current();
        return { ok: false, reason: LAB_LOADING_FOR_RUN };
      },
    });
    return () => {
      observer.disconnect();
      window.removeEventListener('hashchange', onHash);
      withdraw();
    };
  }, [id]);

  const titleId = `lab-${id}-title`;
  return (
    <section ref={root} id={labAnchor(id)} className={styles.lab} aria-labelledby={titleId} aria-busy="true">
      <header className={styles.header}>
        <div className={styles.heading}>
          <div className={styles.titleLine}>
            <p className={styles.kicker}>Lab</p>
            <h3 id={titleId} className={styles.title}>
              {title}
            </h3>
          </div>
        </div>
      </header>
      <div className={styles.workspace}>
        <div className={styles.editorColumn}>
          <div className={styles.editorPane}>
            <div className={styles.editor}>
              <div className={styles.editorSurface}>
                <p className={styles.editorPlaceholder} role="status">
                  Loading the lab…
                </p>
              </div>
            </div>
          </div>
        </div>
        <div className={styles.terminalPane}>
          <div className={styles.terminalPlaceholder} />
        </div>
      </div>
    </section>
  );
}
