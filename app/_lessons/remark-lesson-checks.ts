/**
 * Static checks on a lesson's MDX tree, run inside the compile so that they see exactly what the
 * compiler sees. They catch, with positions, what would otherwise fail only when a learner opens
 * the page: a component the registry does not provide, a <Lab> without a literal id, a <Run>
 * without a literal one-line command, an import (lessons get their components from the registry, which keeps the compile cache keyed
 * by the lesson file alone), and a code fence in a language the highlighter does not ship.
 */
import type { Position } from './diagnostic.js';
import { CODE_LANGUAGES, isCodeLanguage } from './highlight.js';

/** The parts of mdast / mdast-util-mdx nodes these checks read. */
interface MdastNode {
  type: string;
  children?: MdastNode[];
  position?: { start: { line: number; column: number } };
  /** JSX elements: `Lab`, `Foo.Bar`, or null for a fragment. */
  name?: string | null;
  attributes?: { type: string; name?: string; value?: unknown }[];
  /** Code blocks. */
  lang?: string | null;
  /** Text and inline code. */
  value?: string;
}

export interface LessonCheckOptions {
  /** Components lessons may use (the keys of the MDX component registry). */
  components: readonly string[];
  report(at: Position, message: string): void;
  /** Called for each <Lab> with a literal id; compile.ts checks it against frontmatter and labs/. */
  onLab(id: string, at: Position): void;
}

const JSX_ELEMENTS = new Set(['mdxJsxFlowElement', 'mdxJsxTextElement']);

export function remarkLessonChecks(options: LessonCheckOptions) {
  const known = new Set(options.components);
  const knownList = [...known].map((c) => `<${c}>`).join(', ');

  const visit = (node: MdastNode): void => {
    const at = node.position?.start ?? { line: 1, column: 1 };
    if (JSX_ELEMENTS.has(node.type) && node.name) checkElement(node, node.name, at);
    if (node.type === 'mdxjsEsm') {
      options.report(at, `lessons cannot import or export; use a component from the registry (${knownList})`);
    }
    if (node.type === 'code' && node.lang && !isCodeLanguage(node.lang)) {
      options.report(
        at,
        `unknown code block language \`${node.lang}\` (highlighted languages: ${CODE_LANGUAGES.join(', ')})`,
      );
    }
    if (!node.children) return;
    for (const child of node.children) visit(child);
    // Reported above; dropped so that esbuild does not fail again resolving the import, at a
    // position in its generated code rather than in the lesson.
    node.children = node.children.filter((child) => child.type !== 'mdxjsEsm');
  };

  const checkElement = (node: MdastNode, name: string, at: Position): void => {
    // Lowercase names are HTML elements; capitalized or dotted names are components.
    const root = name.split('.')[0] ?? name;
    if (!/^[A-Z]/.test(root) && !name.includes('.')) return;
    if (!known.has(root)) {
      options.report(at, `unknown component <${name}>: lessons may use ${knownList}`);
      return;
    }
    if (name === 'Lab') {
      const id = literalAttribute(node, 'id');
      if (id) options.onLab(id, at);
      else options.report(at, '<Lab> needs a literal id, e.g. <Lab id="hello-execve" />');
    }
    if (name === 'Run') {
      const cmd = literalAttribute(node, 'cmd');
      if (!cmd?.trim())
        options.report(at, '<Run> needs a literal, non-empty cmd, e.g. <Run cmd="uname -r" />');
      else if (cmd.includes('\n'))
        options.report(at, '<Run> cmd must be one command line (Run types it and presses Enter)');
    }
  };

  return (tree: unknown) => visit(tree as MdastNode);
}

/** The value of a JSX attribute written as a string literal (`id="x"`), or null (absent, `{expr}`). */
function literalAttribute(node: MdastNode, name: string): string | null {
  const attribute = node.attributes?.find((a) => a.type === 'mdxJsxAttribute' && a.name === name);
  return typeof attribute?.value === 'string' && attribute.value.length > 0 ? attribute.value : null;
}
