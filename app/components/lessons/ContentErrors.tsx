/**
 * Development only: a lesson that does not compile shows its problems, each with the source
 * line it points at, instead of the page. Production shows the error page instead (error.tsx).
 */
import type { ContentDiagnostic } from '@/app/_lessons/diagnostic';
import { formatDiagnostic } from '@/app/_lessons/diagnostic';

export function ContentErrors({
  title,
  diagnostics,
  source,
}: {
  title: string;
  diagnostics: readonly ContentDiagnostic[];
  /** The file's text, to quote the lines the problems point at; omit for problems across files. */
  source?: string;
}) {
  const lines = source?.split('\n');
  return (
    <section className="content-errors" aria-labelledby="content-errors-title">
      <h1 id="content-errors-title">{title}</h1>
      <p>
        Fix these in the file and reload; <code>npm run content:check</code> prints the same list.
      </p>
      <ol>
        {diagnostics.map((d) => {
          const line = lines?.[d.line - 1];
          return (
            <li key={formatDiagnostic(d)}>
              <p>
                <code className="content-errors-where">
                  {d.file}:{d.line}:{d.column}
                </code>{' '}
                {d.message}
              </p>
              {line !== undefined && (
                <pre className="content-errors-source">
                  <span className="content-errors-lineno">{d.line} | </span>
                  {line}
                  {'\n'}
                  <span aria-hidden="true">{`${' '.repeat(String(d.line).length + 3 + Math.max(0, d.column - 1))}^`}</span>
                </pre>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
