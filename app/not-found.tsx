import type { Metadata } from 'next';
import Link from 'next/link';

export const metadata: Metadata = { title: 'Page not found' };

export default function NotFound() {
  return (
    <section className="status-page" aria-labelledby="not-found-title">
      <p className="status-code">404</p>
      <h1 id="not-found-title">Page not found</h1>
      <p>There is no lesson or page at this address. It may have been renamed.</p>
      <p>
        <Link href="/">See all lessons</Link>
      </p>
    </section>
  );
}
