import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from './diagnostic.js';
import { parseLessonFrontmatter } from './frontmatter.js';

const FILE = 'content/03-x.mdx';
const errors = (source: string) => parseLessonFrontmatter(FILE, source).diagnostics.map(formatDiagnostic);

describe('parseLessonFrontmatter', () => {
  it('accepts a complete block and fills the optional lists', () => {
    const parsed = parseLessonFrontmatter(
      FILE,
      '---\ntitle: X\nsummary: S\norder: 3\nminutes: 10\n---\n# Body\n',
    );
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.frontmatter).toEqual({
      title: 'X',
      summary: 'S',
      order: 3,
      minutes: 10,
      labs: [],
      requires: [],
    });
  });

  it('blanks the frontmatter lines so body positions stay file positions', () => {
    const source = '---\ntitle: X\nsummary: S\norder: 3\nminutes: 10\n---\n# Body\n';
    const { body } = parseLessonFrontmatter(FILE, source);
    expect(body.split('\n')).toHaveLength(source.split('\n').length);
    expect(body.split('\n')[6]).toBe('# Body');
    expect(body.split('\n').slice(0, 6).join('')).toBe('');
  });

  it('points a wrongly typed value at its line and column', () => {
    expect(errors('---\ntitle: X\nsummary: S\norder: three\nminutes: 10\n---\n')).toEqual([
      'content/03-x.mdx:4:8: frontmatter `order`: Invalid input: expected number, received string',
    ]);
  });

  it('points an unknown kernel feature at the list element', () => {
    const [line] = errors(
      '---\ntitle: X\nsummary: S\norder: 3\nminutes: 10\nrequires: [btf, kprobes]\n---\n',
    );
    expect(line).toMatch(
      /^content\/03-x\.mdx:6:17: frontmatter `requires\.1`: Invalid option: expected one of /,
    );
  });

  it('names each unknown field at its key', () => {
    expect(errors('---\ntitle: X\ncolour: red\nsummary: S\norder: 3\nminutes: 10\nlevel: 2\n---\n')).toEqual([
      expect.stringMatching(/^content\/03-x\.mdx:3:1: frontmatter: unknown field `colour`/),
      expect.stringMatching(/^content\/03-x\.mdx:7:1: frontmatter: unknown field `level`/),
    ]);
  });

  it('reports every missing field, at the start of the file', () => {
    expect(errors('---\ntitle: X\n---\n')).toEqual([
      'content/03-x.mdx:1:1: frontmatter `summary`: Invalid input: expected string, received undefined',
      'content/03-x.mdx:1:1: frontmatter `order`: Invalid input: expected number, received undefined',
      'content/03-x.mdx:1:1: frontmatter `minutes`: Invalid input: expected number, received undefined',
    ]);
  });

  it('locates YAML syntax errors in the file', () => {
    const [line] = errors('---\ntitle: X\nsummary: [unclosed\norder: 3\n---\n');
    expect(line).toMatch(/^content\/03-x\.mdx:\d+:\d+: frontmatter YAML: /);
    expect(Number(line?.split(':')[1])).toBeGreaterThanOrEqual(3);
  });

  it('rejects a lab id that is not a lab id', () => {
    expect(errors('---\ntitle: X\nsummary: S\norder: 3\nminutes: 10\nlabs: [Hello_Execve]\n---\n')).toEqual([
      'content/03-x.mdx:6:8: frontmatter `labs.0`: not a lab id',
    ]);
  });

  it('explains a missing or unclosed block', () => {
    expect(errors('# Just a heading\n')).toEqual([
      expect.stringMatching(/^content\/03-x\.mdx:1:1: missing frontmatter/),
    ]);
    expect(errors('---\ntitle: X\n# no closing fence\n')).toEqual([
      expect.stringMatching(/^content\/03-x\.mdx:1:1: frontmatter is not closed/),
    ]);
  });

  it('locates fields for checks made elsewhere', () => {
    const parsed = parseLessonFrontmatter(
      FILE,
      '---\ntitle: X\nsummary: S\norder: 3\nminutes: 10\nlabs:\n  - a\n  - b\n---\n',
    );
    expect(parsed.locate(['labs', 1])).toEqual({ line: 8, column: 5 });
    expect(parsed.locate(['order'])).toEqual({ line: 4, column: 8 });
    expect(parsed.locate(['nothing'])).toEqual({ line: 1, column: 1 });
  });
});
