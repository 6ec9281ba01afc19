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
 *   npx bpflab schema            regenerate labs/lab.schema.json from the zod schema
 *
 * validate runs as root in a throwaway data directory, so it never touches a running server's
 * sandboxes. Exit status: 0 when nothing failed, 1 otherwise, 2 on
 * bad usage or a machine that cannot grade at all.
 */
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../server/config.js';
import { probeHost } from '../server/doctor/host-probe.js';
import { exitCode, formatVerdict, verdicts } from '../server/doctor/verdicts.js';
import { Grader } from '../server/grader/grader.js';
import { LAB_SCHEMA_FILE, labJsonSchemaText } from '../server/labs/json-schema.js';
import { listLabIds, repoLabPaths } from '../server/labs/loader.js';
import { type LabVerdict, validateLab } from '../server/labs/validate.js';
import { createDriver } from '../server/sandbox/index.js';
import { hostRunner } from '../server/sandbox/tools-tree.js';

const root = path.resolve(import.meta.dirname, '..');
const paths = repoLabPaths(root);
const RUNNER = hostRunner(root);

const USAGE = `usage: npx bpflab validate [--driver local|vm] [lab-id…]
       npx bpflab doctor
       npx bpflab schema`;

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === 'schema' && args.length === 0) {
    await writeFile(path.join(root, LAB_SCHEMA_FILE), labJsonSchemaText());
    console.log(`wrote ${LAB_SCHEMA_FILE}`);
    return 0;
  }
  if (command === 'doctor' && args.length === 0) {
    const all = verdicts(await probeHost(root));
    for (const verdict of all) console.log(formatVerdict(verdict));
    return exitCode(all);
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
