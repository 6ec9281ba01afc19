import { createElement, type ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileLesson } from './compile.js';
import { formatDiagnostic } from './diagnostic.js';
import { lessonComponent } from './mdx-runtime.js';
import { type ContentRoot, lesson, makeContentRoot } from './test-content-root.js';

const FILE = 'content/03-x.mdx';
const HEADER = 'title: X\nsummary: S\norder: 3\nminutes: 10';

let tree: ContentRoot;
beforeAll(async () => {
  tree = await makeContentRoot({ 'labs/hello-execve/lab.yaml': 'id: hello-execve\n' });
});
afterAll(() => tree.remove());

async function compile(source: string) {
  return compileLesson({ file: FILE, source, labsDir: tree.labsDir });
}

/** Stands in for the Callout component: the code block inside it must become HTML as well. */
const Callout = ({ children }: { children: ReactNode }) => createElement('aside', null, children);

/** The text of some HTML as a browser shows it: tags dropped, character references decoded. */
function textOf(html: string): string {
  const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', '#39': "'" };
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)))
    .replace(/&(lt|gt|amp|quot|#39);/g, (_, name: string) => named[name]!);
}

async function problems(source: string): Promise<string[]> {
  const result = await compile(source);
  return result.ok ? [] : result.diagnostics.map(formatDiagnostic);
}

// The first compile loads shiki's grammars; allow for a busy machine.
describe('compileLesson', { timeout: 20_000 }, () => {
  it('compiles a lesson with its table of contents and highlighted code', async () => {
    const result = await compile(
      lesson(
        `${HEADER}\nlabs: [hello-execve]`,
        '\n## Attach a tracepoint\n\n### The `SEC` macro\n\n```c\nint x = 1;\n```\n\n<Lab id="hello-execve" />\n\n<Callout type="tip">Try it.</Callout>\n',
      ),
    );
    if (!result.ok) throw new Error(result.diagnostics.map(formatDiagnostic).join('\n'));
    expect(result.toc).toEqual([
      { depth: 2, id: 'attach-a-tracepoint', text: 'Attach a tracepoint' },
      { depth: 3, id: 'the-sec-macro', text: 'The SEC macro' },
    ]);
    // shiki's dual-theme output: colours as CSS variables on each token.
    expect(result.code).toContain('--shiki-light');
    expect(result.code).toContain('--shiki-dark');
    expect(result.frontmatter.labs).toEqual(['hello-execve']);
    expect(result.labManifests).toEqual([`${tree.labsDir}/hello-execve/lab.yaml`]);
  });

  it('renders each code block as shiki’s HTML in one element, in a component’s body too', async () => {
    const result = await compile(
      lesson(
        HEADER,
        '\n```c\nif (a < b && c) return "</pre>";\n```\n\n<Callout type="tip">\n\n```bash\nmake && echo ok\n```\n\n</Callout>\n',
      ),
    );
    if (!result.ok) throw new Error(result.diagnostics.map(formatDiagnostic).join('\n'));
    const Content = lessonComponent(result.code);
    const html = renderToStaticMarkup(createElement(Content, { components: { Callout } }));
    const blocks = [
      ...html.matchAll(/<div><pre class="shiki[^"]*"[^>]*><code>([\s\S]*?)<\/code><\/pre><\/div>/g),
    ];
    expect(blocks).toHaveLength(2);
    // The code's own text, escaped, token by token as shiki coloured it.
    expect(textOf(blocks[0]![1]!)).toBe('if (a < b && c) return "</pre>";');
    expect(blocks[0]![1]).toMatch(
      /<span style="--shiki-light:#[0-9A-Fa-f]{6};--shiki-dark:#[0-9A-Fa-f]{6}">if<\/span>/,
    );
    expect(html).toMatch(
      /<aside><div><pre class="shiki[^"]*"[^>]*><code>[\s\S]*make[\s\S]*<\/code><\/pre><\/div><\/aside>/,
    );
    // One string per block in the compiled lesson, not a React element per token.
    expect(result.code).not.toContain('--shiki-light":');
  });

  it('names an unknown component at its position and lists the known ones', async () => {
    expect(
      await problems(lesson(HEADER, '\n## A\n\nSee <Quiz answer="b" /> below.\n\n<Diagram.Box />\n')),
    ).toEqual([
      'content/03-x.mdx:10:5: unknown component <Quiz>: lessons may use <Callout>, <KernelNote>, <Lab>, <Run>',
      'content/03-x.mdx:12:1: unknown component <Diagram.Box>: lessons may use <Callout>, <KernelNote>, <Lab>, <Run>',
    ]);
  });

  it('allows plain HTML elements', async () => {
    expect(
      await problems(lesson(HEADER, '\n<details>\n<summary>More</summary>\n\nText.\n</details>\n')),
    ).toEqual([]);
  });

  it('reports an MDX syntax error with file, line and column', async () => {
    expect(await problems(lesson(HEADER, '\n## A\n\nText with <Callout type="note" unclosed\n'))).toEqual([
      expect.stringMatching(/^content\/03-x\.mdx:10:40: Unexpected end of file in attribute name/),
    ]);
  });

  it('checks every <Lab> against labs/ and the frontmatter, in both directions', async () => {
    expect(
      await problems(
        lesson(
          `${HEADER}\nlabs: [hello-execve, listed-only]`,
          '\n<Lab id="ghost" />\n\n<Lab />\n\n<Lab id={name} />\n',
        ),
      ),
    ).toEqual([
      'content/03-x.mdx:6:8: frontmatter `labs` lists "hello-execve" but no <Lab id="hello-execve" /> embeds it',
      'content/03-x.mdx:6:22: frontmatter `labs` lists "listed-only" but no <Lab id="listed-only" /> embeds it',
      'content/03-x.mdx:9:1: <Lab id="ghost">: there is no labs/ghost/lab.yaml',
      'content/03-x.mdx:9:1: <Lab id="ghost"> is not listed in the frontmatter `labs`',
      'content/03-x.mdx:11:1: <Lab> needs a literal id, e.g. <Lab id="hello-execve" />',
      'content/03-x.mdx:13:1: <Lab> needs a literal id, e.g. <Lab id="hello-execve" />',
    ]);
  });

  it('accepts a <Run> with a command, and names each <Run> without a usable one at its line', async () => {
    expect(
      await problems(
        lesson(HEADER, '\n<Run cmd="uname -r" />\n\n<Run cmd="ls /sys">The **BTF** files</Run>\n'),
      ),
    ).toEqual([]);
    expect(
      await problems(
        lesson(
          HEADER,
          '\n<Run />\n\n<Run cmd="" />\n\n<Run cmd="  " />\n\n<Run cmd={command} />\n\n<Run cmd="ls\nid" />\n',
        ),
      ),
    ).toEqual([
      'content/03-x.mdx:8:1: <Run> needs a literal, non-empty cmd, e.g. <Run cmd="uname -r" />',
      'content/03-x.mdx:10:1: <Run> needs a literal, non-empty cmd, e.g. <Run cmd="uname -r" />',
      'content/03-x.mdx:12:1: <Run> needs a literal, non-empty cmd, e.g. <Run cmd="uname -r" />',
      'content/03-x.mdx:14:1: <Run> needs a literal, non-empty cmd, e.g. <Run cmd="uname -r" />',
      'content/03-x.mdx:16:1: <Run> cmd must be one command line (Run types it and presses Enter)',
    ]);
  });

  it('rejects imports, which would escape the registry and the compile cache', async () => {
    expect(await problems(lesson(HEADER, "\nimport Chart from './chart.js'\n\n## A\n"))).toEqual([
      'content/03-x.mdx:8:1: lessons cannot import or export; use a component from the registry (<Callout>, <KernelNote>, <Lab>, <Run>)',
    ]);
  });

  it('rejects a code block in a language the highlighter does not ship', async () => {
    expect(await problems(lesson(HEADER, '\n```rust\nfn main() {}\n```\n\n```console\n$ ls\n```\n'))).toEqual(
      [
        'content/03-x.mdx:8:1: unknown code block language `rust` (highlighted languages: c, bash, sh, console, yaml, python, json, makefile, diff, text)',
      ],
    );
  });

  it('renders a pipe table as a table', async () => {
    const result = await compile(
      lesson(HEADER, '\n| a | `b` |\n|---|:---:|\n| 1 | 2 |\n\nA | sentence | with pipes.\n'),
    );
    if (!result.ok) throw new Error(result.diagnostics.map(formatDiagnostic).join('\n'));
    expect(result.code).toMatch(/_components\.table|"table"/);
    expect(result.code).toMatch(/_components\.th|"th"/);
  });

  it('reports frontmatter and body problems together', async () => {
    expect(await problems(lesson('title: X\nsummary: S\norder: 3\nminutes: lots', '\n<Quiz />\n'))).toEqual([
      'content/03-x.mdx:5:10: frontmatter `minutes`: Invalid input: expected number, received string',
      'content/03-x.mdx:8:1: unknown component <Quiz>: lessons may use <Callout>, <KernelNote>, <Lab>, <Run>',
    ]);
  });
});
