/**
 * Test support: a throwaway repository root with content/ and labs/ holding the given files, so
 * tests exercise the real file reading, catalog and compiler without touching the real course.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface ContentRoot {
  root: string;
  labsDir: string;
  remove(): Promise<void>;
}

/** `files` maps repository-relative paths (`content/01-a.mdx`, `labs/x/lab.yaml`) to their text. */
export async function makeContentRoot(files: Record<string, string>): Promise<ContentRoot> {
  const root = await mkdtemp(path.join(tmpdir(), 'bpflab-content-'));
  await mkdir(path.join(root, 'content'));
  await mkdir(path.join(root, 'labs'));
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), text);
  }
  return { root, labsDir: path.join(root, 'labs'), remove: () => rm(root, { recursive: true, force: true }) };
}

/** A lesson file's text: frontmatter from `fields` (YAML lines) and then `body`. */
export function lesson(fields: string, body = '\n## Start\n\nText.\n'): string {
  return `---\n${fields.trim()}\n---\n${body}`;
}
