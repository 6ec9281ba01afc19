import '@fontsource/jetbrains-mono/400.css';
import '@fontsource/jetbrains-mono/700.css';
import './globals.css';
import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { ConnectionBanner } from '@/app/components/connection/ConnectionBanner';

export const metadata: Metadata = {
  title: { default: 'bpflab', template: '%s · bpflab' },
  description: 'Learn eBPF by doing it on a real kernel: lessons, an editor, a live terminal and a grader.',
};

export const viewport: Viewport = {
  colorScheme: 'light dark',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <ConnectionBanner />
        <header className="site-header">
          <Link href="/" className="site-name">
            bpflab
          </Link>
          <span className="site-tagline">eBPF on a real kernel</span>
          <nav aria-label="Site" className="site-nav">
            <Link href="/">Lessons</Link>
            <Link href="/sandbox">Your sandbox</Link>
          </nav>
        </header>
        <main id="main">{children}</main>
        <footer className="site-footer">
          <p>
            bpflab is open source. Lessons live in <code>content/</code>, labs in <code>labs/</code>.
          </p>
        </footer>
      </body>
    </html>
  );
}
