/**
 * Reads `labs/<id>/lab.yaml`: parses the YAML keeping node positions, validates it with the zod
 * schema, then checks what the schema cannot see (files on disk, the lesson, the folder name).
 * Every problem is reported, each as `labs/<id>/lab.yaml:line:col: field.path: message`.
 */
import { constants } from 'node:fs';
import { access, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { CONTENT_DIR, LABS_DIR, parseLessonFileName } from '../protocol/lesson-files.js';
import { LabManifest } from './schema.js';
import { formatFieldPath, locate } from './yaml-locate.js';

export const MANIFEST = 'lab.yaml';
export const SCHEMA_COMMENT = '# yaml-language-server: $schema=../lab.schema.json';

export interface Lab {
  id: string;
  /** Absolute path of the lab folder. */
  dir: string;
  manifest: LabManifest;
}

export interface LabProblem {
  /** The manifest, relative to the repository root. */
  file: string;
  line: number;
  column: number;
  /** Field path such as `checks[2].needs[0]`, or `(root)`. */
  field: string;
  message: string;
}

export type LabLoadResult = { ok: true; lab: Lab } | { ok: false; id: string; problems: LabProblem[] };

export interface LabPaths {
  /** Repository root; problem file names are relative to it. */
  root: string;
  labsDir: string;
  /** Lessons (`content/*.mdx`); a lab's `lesson` must name one. */
  contentDir: string;
}

/** The labs and lessons of the repository at `root`. */
export function repoLabPaths(root: string): LabPaths {
  return { root, labsDir: path.join(root, LABS_DIR), contentDir: path.join(root, CONTENT_DIR) };
}

export function formatProblem(p: LabProblem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.field}: ${p.message}`;
}

/** Lab ids: the folders of `labsDir` that hold a lab.yaml, sorted. */
export async function listLabIds(labsDir: string): Promise<string[]> {
  const entries = await readdir(labsDir, { withFileTypes: true });
  const ids: string[] = [];
  for (const e of entries) {
    if (e.isDirectory() && (await exists(path.join(labsDir, e.name, MANIFEST)))) ids.push(e.name);
  }
  return ids.sort();
}

export async function loadLab(id: string, paths: LabPaths): Promise<LabLoadResult> {
  const dir = path.join(paths.labsDir, id);
  const file = path.join(dir, MANIFEST);
  const shownFile = path.relative(paths.root, file);
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such lab' : String(error);
    return fail(id, [{ file: shownFile, line: 1, column: 1, field: '(file)', message: reason }]);
  }

  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    return fail(
      id,
      doc.errors.map((e) => {
        const { line, col } = lines.linePos(e.pos[0]);
        return { file: shownFile, line, column: col, field: '(yaml)', message: e.message.split('\n')[0]! };
      }),
    );
  }

  const problems: LabProblem[] = [];
  const at = (fieldPath: readonly PropertyKey[], message: string, key?: string) => {
    const { line, column } = locate(doc, lines, fieldPath, key);
    const field = formatFieldPath(key === undefined ? fieldPath : [...fieldPath, key]);
    problems.push({ file: shownFile, line, column, field, message });
  };

  if (!source.startsWith(SCHEMA_COMMENT)) {
    problems.push({
      file: shownFile,
      line: 1,
      column: 1,
      field: '(file)',
      message: `must start with \`${SCHEMA_COMMENT}\` so editors complete and check it`,
    });
  }
  const parsed = LabManifest.safeParse(doc.toJS());
  if (!parsed.success) {
    for (const issue of parsed.error.issues) reportIssue(issue, at);
    return fail(id, problems);
  }
  const manifest = parsed.data;
  await checkAgainstDisk(manifest, id, dir, paths.contentDir, at);
  return problems.length > 0 ? fail(id, problems) : { ok: true, lab: { id, dir, manifest } };
}

type At = (fieldPath: readonly PropertyKey[], message: string, key?: string) => void;

function reportIssue(issue: z.core.$ZodIssue, at: At): void {
  if (issue.code === 'unrecognized_keys') {
    for (const key of issue.keys) at(issue.path, 'unknown field', key);
    return;
  }
  at(issue.path, issue.message);
}

async function checkAgainstDisk(
  manifest: LabManifest,
  id: string,
  dir: string,
  contentDir: string,
  at: At,
): Promise<void> {
  if (manifest.id !== id) at(['id'], `must equal the folder name "${id}"`);
  for (const [i, f] of manifest.files.entries()) {
    if (!(await exists(path.join(dir, 'starter', f.path))))
      at(['files', i, 'path'], `starter/${f.path} is missing`);
    const inSolution = await exists(path.join(dir, 'solution', f.path));
    // A read-only file is the lab's, not the answer's: it is always read from starter/, so a
    // second copy in solution/ could only drift from the one learners and graders see.
    if (f.readonly && inSolution)
      at(
        ['files', i, 'path'],
        `solution/${f.path} is never used: read-only files come from starter/; remove it`,
      );
    if (!f.readonly && !inSolution) at(['files', i, 'path'], `solution/${f.path} is missing`);
  }
  for (const [i, p] of manifest.support.entries()) {
    if (!(await exists(path.join(dir, p)))) at(['support', i], `${p} is missing`);
  }
  for (const [i, c] of manifest.checks.entries()) {
    if (c.type !== 'script') continue;
    const script = path.join(dir, c.run);
    if (!(await exists(script))) at(['checks', i, 'run'], `${c.run} is missing`);
    else if (!(await isExecutable(script))) at(['checks', i, 'run'], `${c.run} is not executable (chmod +x)`);
  }
  if (manifest.workload) {
    // The workload is a file of the lab (copied in through `support`) or a program it builds.
    const program = manifest.workload.run[0]!;
    const inLab = program.startsWith('./') ? program.slice(2) : undefined;
    const built = manifest.build.userspace.some((u) => u.output === inLab);
    if (inLab !== undefined && !built && !manifest.support.includes(inLab)) {
      at(
        ['workload', 'run', 0],
        `${inLab} is neither listed in \`support\` nor built by \`build.userspace\`: list the file in \`support\`, or add its source to \`build.userspace\``,
      );
    }
  }
  if (!(await lessonSlugs(contentDir)).has(manifest.lesson)) {
    at(['lesson'], `no lesson "${manifest.lesson}" in ${path.basename(contentDir)}/`);
  }
}

/** Lesson slugs, named the way the lesson catalog names them (`content/03-<slug>.mdx`). */
async function lessonSlugs(contentDir: string): Promise<Set<string>> {
  const names = await readdir(contentDir).catch(() => [] as string[]);
  return new Set(names.flatMap((n) => parseLessonFileName(n)?.slug ?? []));
}

function fail(id: string, problems: LabProblem[]): LabLoadResult {
  return { ok: false, id, problems };
}

async function exists(p: string): Promise<boolean> {
  return access(p).then(
    () => true,
    () => false,
  );
}

async function isExecutable(p: string): Promise<boolean> {
  const s = await stat(p);
  return (
    s.isFile() &&
    (await access(p, constants.X_OK).then(
      () => true,
      () => false,
    ))
  );
}
