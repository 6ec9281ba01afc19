import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatProblem, loadLab } from './loader.js';
import { linkLabIntoLesson, type NewFile, newLab, newLesson, nextLessonFileName } from './scaffold.js';

let root: string | undefined;
afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

async function writeAll(files: NewFile[]): Promise<string> {
  root = await mkdtemp(path.join(tmpdir(), 'bpflab-scaffold-'));
  for (const f of files) {
    const target = path.join(root, f.path);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, f.content);
    if (f.executable) await chmod(target, 0o755);
  }
  return root;
}

describe('new lesson', () => {
  it('takes the number after the last lesson', () => {
    expect(nextLessonFileName(['01-a.mdx', '10-perf-events.mdx', 'README.md'], 'authoring')).toBe(
      '11-authoring.mdx',
    );
    expect(nextLessonFileName([], 'first')).toBe('01-first.mdx');
    expect(() => nextLessonFileName(['99-last.mdx'], 'more')).toThrow(/01 to 99/);
  });

  it('writes every frontmatter field and embeds its labs', () => {
    const { path: file, content } = newLesson('11-maps-deep-dive.mdx', ['map-lab']);
    expect(file).toBe('content/11-maps-deep-dive.mdx');
    expect(content).toMatch(/^---\ntitle: "Maps deep dive"\nsummary: .+\norder: 11\nlabs: \[map-lab\]\n/);
    expect(content).toContain('<Lab id="map-lab" />');
  });
});

describe('linking a lab into a lesson', () => {
  const lesson = '---\ntitle: T\norder: 3\nlabs: [a]\nminutes: 5\n---\n\nText.\n';

  it('adds it to `labs:` and embeds it once', () => {
    const linked = linkLabIntoLesson(lesson, 'b');
    expect(linked).toMatch(/\nlabs: \[a, b\]\n/);
    expect(linked.match(/<Lab id="b" \/>/g)).toHaveLength(1);
    expect(linkLabIntoLesson(linked, 'b')).toBe(linked);
  });

  it('adds `labs:` to a lesson that had none, and refuses a list it cannot edit safely', () => {
    expect(linkLabIntoLesson('---\ntitle: T\n---\nBody\n', 'x')).toMatch(
      /^---\ntitle: T\nlabs: \[x\]\n---\n/,
    );
    expect(() => linkLabIntoLesson('---\nlabs:\n  - a\n---\n', 'x')).toThrow(/one line/);
  });
});

describe('new lab', () => {
  it('loads without a problem beside its lesson, with a starter, a solution and an executable workload', async () => {
    const dir = await writeAll([...newLab('my-first-lab', 'my-lesson'), newLesson('01-my-lesson.mdx', [])]);
    const result = await loadLab('my-first-lab', {
      root: dir,
      labsDir: path.join(dir, 'labs'),
      contentDir: path.join(dir, 'content'),
    });
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([]);
    if (!result.ok) return;
    expect(result.lab.manifest.files.map((f) => f.path)).toEqual(['my_first_lab.bpf.c']);
    expect(result.lab.manifest.lesson).toBe('my-lesson');
  });

  it('differs between starter and solution only where the TODO is', () => {
    const files = newLab('x', 'y');
    const starter = files.find((f) => f.path.includes('/starter/'))!.content.split('\n');
    const solution = files.find((f) => f.path.includes('/solution/'))!.content.split('\n');
    const differing = starter.filter((line, i) => line !== solution[i]);
    expect(differing).toEqual([expect.stringContaining('TODO')]);
  });
});
