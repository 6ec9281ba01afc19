/**
 * Compiles one lesson: frontmatter, MDX (mdx-bundler, i.e. esbuild + the MDX compiler), heading
 * ids, GitHub-flavoured Markdown (tables, autolinks), table of contents, highlighting, and the static checks. Bad content is a value: the result
 * lists every problem found, each with file:line:column; only a broken toolchain throws.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Message } from 'esbuild';
import { bundleMDX } from 'mdx-bundler';
import rehypeSlug from 'rehype-slug';
import remarkGfm from 'remark-gfm';
import { LESSON_COMPONENTS } from './component-names.js';
import {
  type ContentDiagnostic,
  diagnostic,
  FILE_START,
  type Position,
  sortDiagnostics,
} from './diagnostic.js';
import { type LessonFrontmatter, parseLessonFrontmatter } from './frontmatter.js';
import { rehypeHighlight } from './highlight.js';
import { rehypeStaticCode } from './rehype-static-code.js';
import { rehypeToc, type TocEntry } from './rehype-toc.js';
import { remarkLessonChecks } from './remark-lesson-checks.js';

export interface LessonSource {
  /** Repository-relative path, used in every message (`content/03-hello-execve.mdx`). */
  file: string;
  source: string;
  /** The labs/ folder; `<Lab id="x">` needs labs/x/lab.yaml. */
  labsDir: string;
}

export type LessonCompileResult =
  | {
      ok: true;
      frontmatter: LessonFrontmatter;
      /** mdx-bundler output: the body of a function returning the module's exports. */
      code: string;
      toc: TocEntry[];
      /** The lab manifests the lesson embeds; the result is stale when one appears or vanishes. */
      labManifests: string[];
    }
  | {
      ok: false;
      diagnostics: ContentDiagnostic[];
      /** As above: a missing lab.yaml that appears later makes this result stale. */
      labManifests: string[];
    };

export async function compileLesson({ file, source, labsDir }: LessonSource): Promise<LessonCompileResult> {
  const matter = parseLessonFrontmatter(file, source);
  const problems = [...matter.diagnostics];
  const report = (at: Position, message: string) => problems.push(diagnostic(file, at, message));
  const embedded: { id: string; at: Position }[] = [];
  const toc: TocEntry[] = [];
  const highlight = await rehypeHighlight();

  let code: string | null = null;
  try {
    const bundled = await bundleMDX({
      source: matter.body,
      mdxOptions(options) {
        // Frontmatter is parsed above (with positions), so mdx-bundler's own handling is replaced.
        options.remarkPlugins = [
          remarkGfm,
          [
            remarkLessonChecks,
            {
              components: LESSON_COMPONENTS,
              report,
              onLab: (id: string, at: Position) => embedded.push({ id, at }),
            },
          ],
        ];
        options.rehypePlugins = [rehypeSlug, [rehypeToc, toc], highlight, rehypeStaticCode];
        return options;
      },
      esbuildOptions: (options) => ({ ...options, logLevel: 'silent' }),
    });
    code = bundled.code;
  } catch (error) {
    const messages = buildErrors(error);
    if (!messages) throw new Error(`compiling ${file} failed unexpectedly`, { cause: error });
    for (const message of messages) problems.push(fromEsbuild(file, message));
  }

  const declared = matter.frontmatter?.labs;
  for (const { id, at } of embedded) {
    if (!existsSync(manifestPath(labsDir, id)))
      report(at, `<Lab id="${id}">: there is no labs/${id}/lab.yaml`);
    if (declared && !declared.includes(id))
      report(at, `<Lab id="${id}"> is not listed in the frontmatter \`labs\``);
  }
  // Only a body that compiled has told us every lab it embeds.
  if (declared && code !== null) {
    declared.forEach((id, i) => {
      if (!embedded.some((e) => e.id === id)) {
        report(
          matter.locate(['labs', i]),
          `frontmatter \`labs\` lists "${id}" but no <Lab id="${id}" /> embeds it`,
        );
      }
    });
  }

  const labManifests = [...new Set(embedded.map((e) => manifestPath(labsDir, e.id)))];
  if (problems.length > 0 || code === null || !matter.frontmatter) {
    return { ok: false, diagnostics: sortDiagnostics(problems), labManifests };
  }
  return { ok: true, frontmatter: matter.frontmatter, code, toc, labManifests };
}

/** Where lab `id`'s manifest is. */
export function manifestPath(labsDir: string, id: string): string {
  return path.join(labsDir, id, 'lab.yaml');
}

/** The messages of an esbuild build failure, or null when `error` is something else. */
function buildErrors(error: unknown): Message[] | null {
  if (error instanceof Error && 'errors' in error && Array.isArray(error.errors))
    return error.errors as Message[];
  return null;
}

/** The MDX compiler's message (via @mdx-js/esbuild's `detail`) reads better than esbuild's wrapper. */
function fromEsbuild(file: string, message: Message): ContentDiagnostic {
  const cause = (
    message.detail as { cause?: { reason?: unknown; cause?: { message?: unknown } } } | undefined
  )?.cause;
  let text = typeof cause?.reason === 'string' ? cause.reason : message.text;
  if (typeof cause?.cause?.message === 'string') text = `${text}: ${cause.cause.message}`;
  const location = message.location;
  // esbuild columns are 0-based.
  const at =
    location && location.line > 0 ? { line: location.line, column: location.column + 1 } : FILE_START;
  return diagnostic(file, at, text);
}
