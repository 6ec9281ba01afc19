/**
 * The CO-RE report on this kernel: the runner's {"type":"core"} line for programs built here,
 * read by coreReportOf, gives the offsets bpftool reads from the kernel's own BTF; a field no
 * kernel has is reported as absent (bpf_core_field_exists) or poisoned (the verifier then rejects
 * the program), an anonymous struct as a relocation libbpf gave up on; and a Check of the
 * core-no-headers lab carries the report in its grade, also when the verifier rejects the program.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTools, compile, RUNNER, runToEnd, toolchainUnavailable } from '../../bpf/harness.js';
import { loadLab, repoLabPaths } from '../labs/loader.js';
import type { CoreRelocation } from '../protocol/core-report.js';
import { cannotRunLocalDriver, REPO_ROOT, startTestDriver } from '../sandbox/local/itest-support.js';
import type { Sandbox } from '../sandbox/types.js';
import { coreReportOf } from './core-report.js';
import { Grader } from './grader.js';

const exec = promisify(execFile);
const FIXTURES = path.join(import.meta.dirname, 'fixtures', 'core');
const skipReason = toolchainUnavailable() ?? cannotRunLocalDriver();

/** Byte offsets of a struct's members in this kernel's BTF, as `bpftool btf dump` prints them. */
async function kernelOffsets(struct: string): Promise<Map<string, number>> {
  const { stdout } = await exec('bpftool', ['btf', 'dump', 'file', '/sys/kernel/btf/vmlinux'], {
    maxBuffer: 256 << 20,
  });
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => new RegExp(`^\\[\\d+\\] STRUCT '${struct}' `).test(l));
  const offsets = new Map<string, number>();
  for (const line of lines.slice(start + 1)) {
    const m = /^\s+'(\w+)' type_id=\d+ bits_offset=(\d+)/.exec(line);
    if (!m) break;
    offsets.set(m[1]!, Number(m[2]) / 8);
  }
  return offsets;
}

/** Builds fixtures/core/<name>.bpf.c as the grader does and runs it once; returns the report and how it ended. */
const loads = new Map<string, ReturnType<typeof buildAndLoad>>();
const loadFixture = (name: string) => {
  if (!loads.has(name)) loads.set(name, buildAndLoad(name));
  return loads.get(name)!;
};

async function buildAndLoad(name: string) {
  const dir = await mkdtemp(path.join(tmpdir(), 'bpflab-core-'));
  try {
    await copyFile(path.join(FIXTURES, `${name}.bpf.c`), path.join(dir, `${name}.bpf.c`));
    const built = await compile(dir, `${name}.bpf.o`);
    expect(built.stderr).toBe('');
    const run = await runToEnd(['run', `${name}.bpf.o`], { cwd: dir });
    const core = run.lines.find((l) => l.type === 'core');
    return {
      exitCode: run.exitCode,
      lines: run.lines,
      report: core ? coreReportOf(core.lines, core.omitted) : undefined,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const find = (relocations: CoreRelocation[] | undefined, access: string, kind: string) =>
  relocations?.find((r) => r.access === access && r.kind === kind);

describe.skipIf(skipReason !== null)(
  `CO-RE report on this kernel${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    let taskStruct: Map<string, number>;

    beforeAll(async () => {
      await buildTools();
      taskStruct = await kernelOffsets('task_struct');
      expect(existsSync(RUNNER)).toBe(true);
    });

    it('reports the offsets of task_struct fields that bpftool reads from the kernel BTF', async () => {
      const { exitCode, report } = await loadFixture('core-applied');
      expect(exitCode).toBe(0);
      for (const field of ['tgid', 'real_parent']) {
        const relo = find(report?.relocations, `struct task_struct.${field}`, 'byte_off');
        expect(relo, field).toMatchObject({ status: 'applied', kernelType: 'struct task_struct' });
        expect(relo?.kernelValue).toBe(taskStruct.get(field));
        expect(relo?.explanation).toBe(
          `At byte ${taskStruct.get(field)} of \`struct task_struct\` on this kernel (as in the object).`,
        );
      }
    });

    it('reports a made-up field as absent where bpf_core_field_exists guards it, and the program loads', async () => {
      const { exitCode, report } = await loadFixture('core-applied');
      expect(exitCode).toBe(0);
      const access = 'struct task_struct___made_up.pid_before_2_6';
      expect(find(report?.relocations, access, 'field_exists')).toMatchObject({
        status: 'applied',
        objectValue: 1,
        kernelValue: 0,
      });
      expect(find(report?.relocations, access, 'byte_off')?.status).toBe('poisoned');
    });

    it('reports an unguarded read of a made-up field as poisoned, and the verifier rejects the program', async () => {
      const { exitCode, lines, report } = await loadFixture('core-missing-field');
      expect(exitCode).toBe(66);
      expect(lines.find((l) => l.type === 'error')?.message).toMatch(/failed to resolve CO-RE relocation/);
      expect(
        find(report?.relocations, 'struct task_struct___made_up.pid_before_2_6', 'byte_off'),
      ).toMatchObject({
        status: 'poisoned',
        explanation: expect.stringMatching(
          /^On this kernel, `struct task_struct` has no field `pid_before_2_6`/,
        ),
      });
      expect(find(report?.relocations, 'struct task_struct.tgid', 'byte_off')?.kernelValue).toBe(
        taskStruct.get('tgid'),
      );
    });

    it('reports a relocation libbpf gave up on once, though the runner tried to load twice', async () => {
      const { exitCode, report } = await loadFixture('core-anonymous');
      expect(exitCode).toBe(66);
      expect(report?.relocations).toEqual([
        expect.objectContaining({
          program: 'read_anonymous',
          access: 'struct (anonymous)',
          status: 'failed',
        }),
      ]);
    });

    describe('in a grade', () => {
      let env: Awaited<ReturnType<typeof startTestDriver>>;
      let sandbox: Sandbox;
      const grader = new Grader();
      const paths = repoLabPaths(REPO_ROOT);

      beforeAll(async () => {
        env = await startTestDriver();
        sandbox = await env.driver.create({ sessionId: 'core-report' });
      });

      afterAll(async () => {
        await grader.close();
        await env?.close();
      });

      async function check(edit: (code: string) => string) {
        const loaded = await loadLab('core-no-headers', paths);
        if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
        const code = await readFile(
          path.join(paths.labsDir, 'core-no-headers', 'solution', 'parent.bpf.c'),
          'utf8',
        );
        return grader.grade({ lab: loaded.lab, files: { 'parent.bpf.c': edit(code) }, sandbox });
      }

      it("carries the solution's relocations with this kernel's offsets", async () => {
        const grade = await check((code) => code);
        expect(grade.score).toBe(grade.maxScore);
        const relocations = grade.core?.relocations;
        expect(find(relocations, 'struct task_struct.real_parent', 'byte_off')?.kernelValue).toBe(
          taskStruct.get('real_parent'),
        );
        expect(find(relocations, 'struct task_struct.tgid', 'byte_off')?.kernelValue).toBe(
          taskStruct.get('tgid'),
        );
        expect(find(relocations, 'struct task_struct.comm', 'byte_off')?.kernelValue).toBe(
          taskStruct.get('comm'),
        );
        expect(relocations?.every((r) => r.program === 'report_exec' && r.status === 'applied')).toBe(true);
      });

      it('says which relocation the verifier rejected the program for', async () => {
        const grade = await check((code) =>
          code
            .replace(
              '#define COMM_LEN 16',
              '#define COMM_LEN 16\nstruct task_struct___old { int pid_old; } __attribute__((preserve_access_index));',
            )
            .replace(
              'e->ppid = BPF_CORE_READ(task, real_parent, tgid);',
              'e->ppid = BPF_CORE_READ((struct task_struct___old *)task, pid_old);',
            ),
        );
        expect(grade.checks.find((c) => c.id === 'loads')?.status).toBe('failed');
        expect(find(grade.core?.relocations, 'struct task_struct___old.pid_old', 'byte_off')).toMatchObject({
          program: 'report_exec',
          status: 'poisoned',
          explanation: expect.stringMatching(
            /^On this kernel, `struct task_struct` has no field `pid_old`: libbpf replaced/,
          ),
        });
      });
    });
  },
);
