/**
 * `<ConnectionBanner />`, mounted once in the layout: while the page's connection to the server is
 * down or refused, a banner at the top of the window says so and what still works (an alert for
 * screen readers), and for a few seconds after it returns, that it is back. On a page that uses no
 * socket (no lab, no terminal) it says nothing and opens no connection. It never takes the focus,
 * so the editor stays in the learner's hands.
 */
'use client';

import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { usePageConnectionStatus } from '@/app/lib/connection-status';
import styles from './connection.module.css';
import { connectionNotice } from './connection-notice';

/** How long "Connected again" stays. */
const BACK_SHOWN_MS = 4_000;

function subscribeToNetwork(listener: () => void): () => void {
  window.addEventListener('online', listener);
  window.addEventListener('offline', listener);
  return () => {
    window.removeEventListener('online', listener);
    window.removeEventListener('offline', listener);
  };
}

export function ConnectionBanner() {
  const status = usePageConnectionStatus();
  const online = useSyncExternalStore(
    subscribeToNetwork,
    () => navigator.onLine,
    () => true,
  );
  const [justBack, setJustBack] = useState(false);
  const wasLost = useRef(false);

  useEffect(() => {
    if (status?.state === 'reconnecting' || status?.state === 'refused') {
      wasLost.current = true;
      setJustBack(false);
    } else if (status?.state === 'connected' && wasLost.current) {
      wasLost.current = false;
      setJustBack(true);
      const timer = setTimeout(() => setJustBack(false), BACK_SHOWN_MS);
      return () => clearTimeout(timer);
    }
  }, [status]);

  const notice = connectionNotice(status, { online, justBack });
  const problem = notice && notice.kind !== 'back' ? notice : null;
  return (
    <div className={styles.place}>
      {/* Both live regions stay in the page so that what appears in them is announced. */}
      <div role="alert" aria-atomic="true">
        {problem && (
          <div className={styles.banner} data-kind={problem.kind}>
            <p className={styles.title}>{problem.title}</p>
            <p className={styles.detail}>{problem.detail}</p>
            {problem.kind === 'refused' && (
              <button type="button" className={styles.reload} onClick={() => window.location.reload()}>
                Reload the page
              </button>
            )}
          </div>
        )}
      </div>
      <div role="status" aria-atomic="true">
        {notice?.kind === 'back' && (
          <div className={styles.banner} data-kind="back">
            <p className={styles.title}>{notice.title}</p>
            <p className={styles.detail}>{notice.detail}</p>
          </div>
        )}
      </div>
    </div>
  );
}
