/**
 * Lesson frontmatter: the YAML block at the top of `content/NN-slug.mdx`, validated by one zod
 * schema. YAML is parsed with a line counter so that every problem, whether bad YAML or a field
 * zod rejects, points at the line and column of the offending key or value in the .mdx file.
 */
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { z } from 'zod';
import { KernelFeature } from '../../server/protocol/kernel-features.js';
import { LabId } from '../../server/protocol/lab-id.js';
import { type ContentDiagnostic, diagnostic, FILE_START, type Position } from './diagnostic.js';

export const LessonFrontmatter = z.strictObject({
  title: z.string().trim().min(1).describe('Page heading and the name in the lesson list.'),
  summary: z.string().trim().min(1).max(300).describe('One or two sentences for the lesson list.'),
  order: z
    .number()
    .int()
    .min(1)
    .max(99)
    .describe('Position in the course; equals the file name prefix (`03-hello-execve.mdx` has order 3).'),
  labs: z
    .array(LabId)
    .default([])
    .describe('Labs the lesson embeds with <Lab id="…" />, each with a labs/<id>/lab.yaml.'),
  requires: z
    .array(KernelFeature)
    .default([])
    .describe("Kernel features the lesson's labs need; shown to the learner before they start."),
  minutes: z.number().int().min(1).max(240).describe('Estimated minutes to work through the lesson.'),
});
export type LessonFrontmatter = z.infer<typeof LessonFrontmatter>;

export interface ParsedFrontmatter {
  /** null when missing or invalid; `diagnostics` then says why. */
  frontmatter: LessonFrontmatter | null;
  diagnostics: ContentDiagnostic[];
  /**
   * The MDX body with every frontmatter line blanked rather than removed, so that positions the
   * MDX compiler reports are positions in the original file.
   */
  body: string;
  /** Where a frontmatter field (or array element) sits in the file; the file start if absent. */
  locate(path: readonly PropertyKey[]): Position;
}

const FENCE = '---';

/** Parse and validate the frontmatter of one lesson; never throws for bad content. */
export function parseLessonFrontmatter(file: string, source: string): ParsedFrontmatter {
  const lines = source.split('\n');
  const atStart = () => FILE_START;
  if (lines[0]?.trimEnd() !== FENCE) {
    return {
      frontmatter: null,
      body: source,
      locate: atStart,
      diagnostics: [
        diagnostic(
          file,
          FILE_START,
          'missing frontmatter: a lesson starts with a `---` YAML block (title, summary, order, minutes)',
        ),
      ],
    };
  }
  const close = lines.findIndex((line, i) => i > 0 && line.trimEnd() === FENCE);
  if (close === -1) {
    return {
      frontmatter: null,
      body: '',
      locate: atStart,
      diagnostics: [diagnostic(file, FILE_START, 'frontmatter is not closed: add a `---` line after it')],
    };
  }

  const body = lines.map((line, i) => (i <= close ? '' : line)).join('\n');
  const lineCounter = new LineCounter();
  const doc = parseDocument(lines.slice(1, close).join('\n'), { lineCounter, prettyErrors: false });
  // The YAML text starts on the file's second line, after the opening fence.
  const toFile = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: line + 1, column: col };
  };

  const locate = (path: readonly PropertyKey[], keyOnly = false): Position => {
    let node: unknown = doc.contents;
    let at: Position | null = null;
    for (const [depth, key] of path.entries()) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
        if (!pair) return at ?? FILE_START;
        const keyNode = pair.key as Node;
        const value = pair.value as Node | null;
        const last = depth === path.length - 1;
        const target = keyOnly && last ? keyNode : value?.range ? value : keyNode;
        at = target.range ? toFile(target.range[0]) : at;
        node = value;
      } else if (isSeq(node) && typeof key === 'number') {
        const item = node.items[key] as Node | undefined;
        if (!item?.range) return at ?? FILE_START;
        at = toFile(item.range[0]);
        node = item;
      } else {
        return at ?? FILE_START;
      }
    }
    return at ?? FILE_START;
  };

  if (doc.errors.length > 0) {
    return {
      frontmatter: null,
      body,
      locate,
      diagnostics: doc.errors.map((e) =>
        diagnostic(file, toFile(e.pos[0]), `frontmatter YAML: ${e.message}`),
      ),
    };
  }

  const parsed = LessonFrontmatter.safeParse(doc.toJS() ?? {});
  if (parsed.success) return { frontmatter: parsed.data, body, locate, diagnostics: [] };

  const diagnostics = parsed.error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) =>
        diagnostic(
          file,
          locate([...issue.path, key], true),
          `frontmatter: unknown field \`${key}\` (expected: ${Object.keys(LessonFrontmatter.shape).join(', ')})`,
        ),
      );
    }
    const field = issue.path.length > 0 ? `\`${issue.path.join('.')}\`` : 'block';
    return [diagnostic(file, locate(issue.path), `frontmatter ${field}: ${issue.message}`)];
  });
  return { frontmatter: null, body, locate, diagnostics };
}
