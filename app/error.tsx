'use client';
/**
 * Any failure while rendering a page, such as a lesson that no longer compiles in production. The
 * server log has the details (and content:check the file:line:column); the learner gets a way on.
 */
import Link from 'next/link';

export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <section className="status-page" aria-labelledby="error-title">
      <p className="status-code">Error</p>
      <h1 id="error-title">This page could not be displayed</h1>
      <p>
        Something went wrong on the server while preparing it. The operator can find the details in the server
        log
        {error.digest ? (
          <>
            {' '}
            under <code>{error.digest}</code>
          </>
        ) : null}
        .
      </p>
      <p className="status-actions">
        <button type="button" onClick={reset}>
          Try again
        </button>
        <Link href="/">See all lessons</Link>
      </p>
    </section>
  );
}
