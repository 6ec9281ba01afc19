/**
 * Highlighted code blocks as HTML: each `<pre>` shiki made becomes a `<div>` holding that `<pre>`
 * as a string of HTML (React's dangerouslySetInnerHTML), instead of a React element for every
 * token. A lesson's code is most of its elements (610 of 997 in hello-execve), so the page's
 * payload is smaller and hydration, which never looks inside such a div, has a third of the
 * elements to walk: the page becomes interactive, and its lab starts loading, sooner.
 *
 * The HTML is hast-util-to-html's serialization of shiki's tree: every text escaped, the same
 * markup the page had before. Runs after the highlighter (compile.ts).
 */
import type { Element, Parent, Root } from 'hast';
import { toHtml } from 'hast-util-to-html';

/** What MDX compiles to `<div dangerouslySetInnerHTML={{ __html: html }} />`. */
function staticHtml(html: string) {
  const expression = {
    type: 'ObjectExpression',
    properties: [
      {
        type: 'Property',
        kind: 'init',
        method: false,
        shorthand: false,
        computed: false,
        key: { type: 'Identifier', name: '__html' },
        value: { type: 'Literal', value: html },
      },
    ],
  };
  return {
    type: 'mdxJsxFlowElement',
    name: 'div',
    attributes: [
      {
        type: 'mdxJsxAttribute',
        name: 'dangerouslySetInnerHTML',
        value: {
          type: 'mdxJsxAttributeValueExpression',
          value: '',
          data: {
            estree: {
              type: 'Program',
              sourceType: 'module',
              body: [{ type: 'ExpressionStatement', expression }],
            },
          },
        },
      },
    ],
    children: [],
  };
}

/** shiki's `<pre class="shiki …">` (its properties as shiki sets them: `class`, a string). */
function isHighlighted(node: unknown): node is Element {
  const element = node as Element;
  if (element.type !== 'element' || element.tagName !== 'pre') return false;
  const classes = element.properties?.className ?? element.properties?.class;
  const names = Array.isArray(classes) ? classes : String(classes ?? '').split(/\s+/);
  return names.includes('shiki');
}

export function rehypeStaticCode() {
  const walk = (parent: Parent): void => {
    parent.children = parent.children.map((child) => {
      if (isHighlighted(child)) return staticHtml(toHtml(child)) as unknown as Element;
      // Code inside a component (a Callout's) too: MDX's JSX elements have children like elements.
      const inner = child as Partial<Parent>;
      if (Array.isArray(inner.children)) walk(inner as Parent);
      return child;
    });
  };
  return (tree: Root) => walk(tree);
}
