/**
 * `npm run content:check`: compiles every lesson in content/ and prints each problem as
 * `content/<file>.mdx:line:column: message`. Exits 1 when there is any problem, 2 on a crash.
 *
 * Usage: npm run content:check [-- --root <repository root>]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkContent } from '../app/_lessons/check.js';
import { formatDiagnostic } from '../app/_lessons/diagnostic.js';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { root: { type: 'string' } } });
  const root = path.resolve(values.root ?? path.join(import.meta.dirname, '..'));
  const started = performance.now();
  const report = await checkContent(root);
  const ms = Math.round(performance.now() - started);

  for (const d of report.diagnostics) console.error(formatDiagnostic(d));
  if (report.diagnostics.length > 0) {
    const files = new Set(report.diagnostics.map((d) => d.file)).size;
    console.error(`content:check: ${report.diagnostics.length} problem(s) in ${files} file(s) (${ms} ms)`);
    return 1;
  }
  console.log(`content:check: ${report.lessons} lesson(s) OK (${ms} ms)`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('content:check crashed:', error);
    process.exit(2);
  },
);
