/**
 * Development only: a lesson that does not compile shows its problems, each with the source
 * line it points at, instead of the page. Production shows the error page instead (error.tsx).
 */
import type { ContentDiagnostic } from '@/app/_lessons/diagnostic';

export function ContentErrors({
  title,
  headingLevel: Heading = 'h1',
  diagnostics,
  source,
}: {
  title: string;
  /** h1 in place of a page, h2 within one. */
  headingLevel?: 'h1' | 'h2';
  diagnostics: readonly ContentDiagnostic[];
  /** The file's text, to quote the lines the problems point at; omit for problems across files. */
  source?: string;
}) {
  const lines = source?.split('\n');
  return (
    <section className="content-errors" aria-labelledby="content-errors-title">
      <Heading id="content-errors-title">{title}</Heading>
      <p>
        Fix these in the file and reload; <code>npm run content:check</code> prints the same list.
      </p>
      <ol>
        {diagnostics.map((d, i) => {
          const line = lines?.[d.line - 1];
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: the list is rendered once, never reordered.
            <li key={i}>
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
                  <span aria-hidden="true">{caret(d.line, line, d.column)}</span>
                </pre>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

/** A `^` under the column, keeping the line's tabs so that it lines up under tab-indented code. */
function caret(lineNumber: number, line: string, column: number): string {
  const gutter = ' '.repeat(`${lineNumber} | `.length);
  return `${gutter}${line.slice(0, Math.max(0, column - 1)).replace(/[^\t]/g, ' ')}^`;
}
