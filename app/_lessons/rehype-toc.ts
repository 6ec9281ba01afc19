/**
 * Collects the table of contents from the compiled lesson: every h2 and h3 with the id that
 * rehype-slug gave it (so it must run after rehype-slug). h1 is the page title, from frontmatter.
 */

export interface TocEntry {
  depth: 2 | 3;
  /** The heading's id attribute; the link target is `#${id}`. */
  id: string;
  text: string;
}

/** The parts of hast nodes this reads. */
interface HastNode {
  type: string;
  tagName?: string;
  value?: string;
  properties?: { id?: unknown };
  children?: HastNode[];
}

function textOf(node: HastNode): string {
  if (node.type === 'text') return node.value ?? '';
  return (node.children ?? []).map(textOf).join('');
}

/** `sink` receives the entries in document order. */
export function rehypeToc(sink: TocEntry[]) {
  const visit = (node: HastNode): void => {
    if (node.type === 'element' && (node.tagName === 'h2' || node.tagName === 'h3')) {
      const id = node.properties?.id;
      if (typeof id === 'string') {
        sink.push({ depth: node.tagName === 'h2' ? 2 : 3, id, text: textOf(node).trim() });
      }
      return;
    }
    for (const child of node.children ?? []) visit(child);
  };
  return (tree: unknown) => visit(tree as HastNode);
}
