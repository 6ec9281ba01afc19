/** "Your sandbox": a terminal into the learner's own Linux, and what its kernel can do. */
import type { Metadata } from 'next';
import { FeaturePanel } from '../components/features/FeaturePanel';
import { Terminal } from '../components/terminal/Terminal';
import styles from './sandbox.module.css';

export const metadata: Metadata = { title: 'Your sandbox' };
// Rendered per request, so Next gives its inline scripts the nonce of this response's CSP
// (server/http/security-headers.ts); a page prerendered at build time would have none.
export const dynamic = 'force-dynamic';

export default function SandboxPage() {
  return (
    <div className={styles.page}>
      <h1>Your sandbox</h1>
      <p className={styles.lead}>
        A Linux shell of your own, with a kernel that loads BPF programs. Try <code>bpftool prog list</code>{' '}
        or <code>uname -r</code>. It stops after a while without activity; your lab files are kept.
      </p>
      <Terminal className={styles.terminal} autoFocus />
      <FeaturePanel />
    </div>
  );
}
