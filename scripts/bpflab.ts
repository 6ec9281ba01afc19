/**
 * The bpflab command line, `npx bpflab <command>` from the repository root:
 *
 *   npx bpflab validate [--driver local|vm] [ids…]
 *                                every lab (or the named ones) in one sandbox: manifest and files,
 *                                the solution scores full marks, the starter does not, nothing is
 *                                left loaded; labs whose kernel needs are missing are skipped.
 *                                local (default): this host's kernel; vm: a QEMU VM with the
 *                                guest kernel (built and booted as the vm driver does)
 *   npx bpflab doctor            checks this host before serving: kernel features, toolchain,
 *                                tracefs, cgroups, capabilities, Chromium, QEMU/KVM, limactl;
 *                                each line ok / warn / fail with what to fix; exit 1 on a fail
 *   npx bpflab schema            regenerate labs/lab.schema.json and the lab.yaml reference of the
 *                                authoring lesson from the zod schema
 *   npx bpflab new lab <id> [--lesson <slug>]
 *                                a commented lab in labs/<id>/ that validates as it stands, embedded
 *                                in the lesson <slug> (a new lesson <id> when none is named, or when
 *                                <slug> does not exist yet)
 *   npx bpflab new lesson <slug> a commented lesson, content/NN-<slug>.mdx, the next in the course
 *
 * validate runs as root in a throwaway data directory, so it never touches a running server's
 * sandboxes. Exit status: 0 when nothing failed, 1 otherwise, 2 on
 * bad usage or a machine that cannot grade at all.
 */
import { access, chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../server/config.js';
import { probeHost } from '../server/doctor/host-probe.js';
import { exitCode, formatVerdict, verdicts } from '../server/doctor/verdicts.js';
import { Grader } from '../server/grader/grader.js';
import { LAB_SCHEMA_FILE, labJsonSchemaText } from '../server/labs/json-schema.js';
import { listLabIds, repoLabPaths } from '../server/labs/loader.js';
import {
  AUTHORING_LESSON_FILE,
  manifestReference,
  withReference,
} from '../server/labs/manifest-reference.js';
import {
  linkLabIntoLesson,
  type NewFile,
  newLab,
  newLesson,
  nextLessonFileName,
} from '../server/labs/scaffold.js';
import { type LabVerdict, validateLab } from '../server/labs/validate.js';
import { LAB_ID_PATTERN } from '../server/protocol/lab-id.js';
import { parseLessonFileName } from '../server/protocol/lesson-files.js';
import { createDriver } from '../server/sandbox/index.js';
import { hostRunner } from '../server/sandbox/tools-tree.js';

const root = path.resolve(import.meta.dirname, '..');
const paths = repoLabPaths(root);
const RUNNER = hostRunner(root);

const USAGE = `usage: npx bpflab validate [--driver local|vm] [lab-id…]
       npx bpflab doctor
       npx bpflab schema
       npx bpflab new lab <id> [--lesson <slug>]
       npx bpflab new lesson <slug>`;

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === 'schema' && args.length === 0) {
    await writeFile(path.join(root, LAB_SCHEMA_FILE), labJsonSchemaText());
    console.log(`wrote ${LAB_SCHEMA_FILE}`);
    const lesson = path.join(root, AUTHORING_LESSON_FILE);
    await writeFile(lesson, withReference(await readFile(lesson, 'utf8'), manifestReference()));
    console.log(`wrote the lab.yaml reference in ${AUTHORING_LESSON_FILE}`);
    return 0;
  }
  if (command === 'doctor' && args.length === 0) {
    const all = verdicts(await probeHost(root));
    for (const verdict of all) console.log(formatVerdict(verdict));
    return exitCode(all);
  }
  if (command === 'new') {
    const [kind, name, flag, lesson, ...rest] = args;
    if (kind === 'lesson' && name && flag === undefined) return createLesson(name);
    if (
      kind === 'lab' &&
      name &&
      (flag === undefined || (flag === '--lesson' && lesson && rest.length === 0))
    )
      return createLab(name, lesson);
    console.error(USAGE);
    return 2;
  }
  if (command === 'validate') {
    const [flag, driver, ...ids] = args;
    if (flag !== '--driver') return validate('local', args);
    if (driver === 'local' || driver === 'vm') return validate(driver, ids);
    console.error(USAGE);
    return 2;
  }
  console.error(USAGE);
  return 2;
}

async function validate(driverName: 'local' | 'vm', requested: string[]): Promise<number> {
  const known = await listLabIds(paths.labsDir);
  const ids = requested.length > 0 ? requested : known;
  const unknown = ids.filter((id) => !known.includes(id));
  if (unknown.length > 0) {
    console.error(`bpflab: no such lab: ${unknown.join(', ')} (labs: ${known.join(', ')})`);
    return 2;
  }
  if (
    !(await access(RUNNER).then(
      () => true,
      () => false,
    ))
  ) {
    console.error('bpflab: the lab toolchain is not built; run `make -C bpf` first');
    return 2;
  }

  const dataDir = await mkdtemp(path.join(tmpdir(), 'bpflab-validate-'));
  // One VM, booted on demand: a warm spare would only compete with the grading for the CPU.
  const config = loadConfig({
    ...process.env,
    BPFLAB_DRIVER: driverName,
    BPFLAB_DATA_DIR: dataDir,
    BPFLAB_VM_POOL: '0',
  });
  const grader = new Grader();
  const driver = await createDriver(config, root);
  const verdicts: LabVerdict[] = [];
  try {
    const sandbox = await driver.create({ sessionId: 'bpflab-validate' });
    const features = await sandbox.features();
    console.log(
      `bpflab validate: ${driverName} sandbox, kernel ${features.kernelRelease} (${features.arch}), clang ${features.clang ?? 'missing'}\n`,
    );
    console.log(row('LAB', 'RESULT', 'SOLUTION', 'STARTER', 'TIME'));
    for (const id of ids) {
      const verdict = await validateLab(id, { paths, sandbox, features, grader });
      verdicts.push(verdict);
      console.log(
        row(
          id,
          verdict.result,
          score(verdict.solution),
          score(verdict.starter),
          `${(verdict.ms / 1000).toFixed(1)} s`,
        ),
      );
      for (const problem of verdict.problems) console.log(`    ${problem.split('\n').join('\n    ')}`);
    }
  } finally {
    await grader.close();
    await driver.shutdown();
    await rm(dataDir, { recursive: true, force: true });
  }
  const count = (r: LabVerdict['result']) => verdicts.filter((v) => v.result === r).length;
  console.log(`\n${count('ok')} ok, ${count('failed')} failed, ${count('skipped')} skipped`);
  return count('failed') > 0 ? 1 : 0;
}

/** Lesson file names in content/, by slug. */
async function lessonFiles(): Promise<Map<string, string>> {
  const names = await readdir(paths.contentDir).catch(() => [] as string[]);
  return new Map(
    names.flatMap((n) => {
      const parsed = parseLessonFileName(n);
      return parsed ? [[parsed.slug, n] as const] : [];
    }),
  );
}

async function createLesson(slug: string, labs: string[] = []): Promise<number> {
  if (!LAB_ID_PATTERN.test(slug)) {
    console.error(`bpflab: "${slug}" is not a lesson slug: lowercase letters, digits and dashes`);
    return 2;
  }
  const existing = await lessonFiles();
  if (existing.has(slug)) {
    console.error(`bpflab: content/${existing.get(slug)} already exists`);
    return 1;
  }
  const file = newLesson(nextLessonFileName([...existing.values()], slug), labs);
  await writeNew([file]);
  console.log(
    `Preview it with \`make dev\` at http://localhost:3000/lessons/${slug}; check it with \`npm run content:check\`.`,
  );
  return 0;
}

async function createLab(id: string, lesson = id): Promise<number> {
  if (!LAB_ID_PATTERN.test(id)) {
    console.error(`bpflab: "${id}" is not a lab id: lowercase letters, digits and dashes, at most 64`);
    return 2;
  }
  if ((await listLabIds(paths.labsDir)).includes(id)) {
    console.error(`bpflab: labs/${id} already exists`);
    return 1;
  }
  const lessonFile = (await lessonFiles()).get(lesson);
  if (lessonFile === undefined) {
    const made = await createLesson(lesson, [id]);
    if (made !== 0) return made;
  } else {
    const file = path.join(paths.contentDir, lessonFile);
    await writeFile(file, linkLabIntoLesson(await readFile(file, 'utf8'), id));
    console.log(`embedded in content/${lessonFile}`);
  }
  await writeNew(newLab(id, lesson));
  console.log(
    `Validate it with \`npx bpflab validate ${id}\` (root): the solution scores full marks, the starter does not.`,
  );
  return 0;
}

/** Creates each file, never over an existing one. */
async function writeNew(files: NewFile[]): Promise<void> {
  for (const f of files) {
    const target = path.join(root, f.path);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, f.content, { flag: 'wx' });
    if (f.executable) await chmod(target, 0o755);
    console.log(`created ${f.path}`);
  }
}

function row(...cells: string[]): string {
  const widths = [26, 9, 10, 10, 8];
  return cells
    .map((c, i) => c.padEnd(widths[i] ?? 0))
    .join(' ')
    .trimEnd();
}

function score(s: LabVerdict['solution']): string {
  if (!s) return '-';
  return s.gradable ? `${s.score}/${s.maxScore}` : 'ungraded';
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error('bpflab:', error);
    process.exitCode = 2;
  },
);
