import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatProblem, type LabPaths, listLabIds, loadLab, SCHEMA_COMMENT } from './loader.js';

let root: string;
let paths: LabPaths;

const GOOD = `${SCHEMA_COMMENT}
id: demo
title: Demo
summary: A demo lab.
lesson: hello-execve
files:
  - path: demo.bpf.c
support:
  - workload.sh
build:
  bpf: [demo.bpf.c]
attach:
  object: demo.bpf.o
workload:
  run: [./workload.sh]
checks:
  - id: compile
    title: Compiles
    type: compile
  - id: judge
    title: Judged
    type: script
    run: judge.sh
    needs: [compile]
`;

async function lab(id: string, manifest: string, files: Record<string, string> = {}) {
  const dir = path.join(paths.labsDir, id);
  const all = {
    'starter/demo.bpf.c': '',
    'solution/demo.bpf.c': '',
    'workload.sh': '#!/bin/sh\n',
    'judge.sh': '#!/bin/sh\n',
    ...files,
  };
  for (const [name, content] of Object.entries(all)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  await chmod(path.join(dir, 'judge.sh'), 0o755).catch(() => {});
  await writeFile(path.join(dir, 'lab.yaml'), manifest);
}

async function problems(id: string): Promise<string[]> {
  const r = await loadLab(id, paths);
  return r.ok ? [] : r.problems.map(formatProblem);
}

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'bpflab-loader-'));
  paths = { root, labsDir: path.join(root, 'labs'), contentDir: path.join(root, 'content') };
  await mkdir(paths.contentDir, { recursive: true });
  await writeFile(path.join(paths.contentDir, '03-hello-execve.mdx'), '---\ntitle: x\n---\n');
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('loadLab', () => {
  it('loads a valid lab with defaults applied', async () => {
    await lab('demo', GOOD);
    const r = await loadLab('demo', paths);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.lab.manifest.checks[0]).toMatchObject({ points: 1, needs: [] });
    expect(r.lab.manifest.showSolution).toBe('after-attempt');
    expect(await listLabIds(paths.labsDir)).toEqual(['demo']);
  });

  it('reports every schema error at its line and column with the field path', async () => {
    const bad = GOOD.replace('title: Demo\n', '')
      .replace('    type: compile\n', '    type: compile\n    points: -1\n    colour: red\n')
      .replace('    needs: [compile]', '    needs: [compile, nope]');
    await lab('demo', bad);
    expect(await problems('demo')).toEqual([
      'labs/demo/lab.yaml:2:1: title: Invalid input: expected string, received undefined',
      'labs/demo/lab.yaml:19:13: checks[0].points: Too small: expected number to be >=0',
      'labs/demo/lab.yaml:20:5: checks[0].colour: unknown field',
    ]);
  });

  it('reports cross-field errors once the structure is right', async () => {
    await lab(
      'demo',
      GOOD.replace('    needs: [compile]', '    needs: [compile, nope]').replace(
        'object: demo.bpf.o',
        'object: other.bpf.o',
      ),
    );
    expect(await problems('demo')).toEqual([
      'labs/demo/lab.yaml:13:11: attach.object: must be one of the built objects: demo.bpf.o',
      'labs/demo/lab.yaml:24:22: checks[1].needs[1]: no check has id "nope"',
    ]);
  });

  it('reports user-space programs that bpf/lab.mk cannot build or whose skeleton is not built', async () => {
    await lab(
      'demo',
      GOOD.replace(
        '  bpf: [demo.bpf.c]\n',
        '  bpf: [demo.bpf.c]\n  userspace:\n    - { source: workload.sh, output: loader }\n    - { source: gfx.c, output: gfx.so, skeletonOf: x.bpf.o }\n',
      ),
    );
    expect(await problems('demo')).toEqual([
      'labs/demo/lab.yaml:13:17: build.userspace[0].source: must end in `.c`',
      'labs/demo/lab.yaml:13:38: build.userspace[0].output: bpf/lab.mk builds `x` or `libx.so` from `x.c`',
      'labs/demo/lab.yaml:14:32: build.userspace[1].output: bpf/lab.mk builds `x` or `libx.so` from `x.c`',
      'labs/demo/lab.yaml:14:17: build.userspace[1].source: "gfx.c" is neither in `files` nor in `support`',
      'labs/demo/lab.yaml:14:52: build.userspace[1].skeletonOf: must be one of the built objects: demo.bpf.o',
    ]);
  });

  it('runs a workload the lab ships or builds, and names the two ways when it is neither', async () => {
    const building = GOOD.replace(
      'support:\n  - workload.sh\n',
      'support:\n  - workload.sh\n  - drive.c\n',
    ).replace(
      '  bpf: [demo.bpf.c]\n',
      '  bpf: [demo.bpf.c]\n  userspace:\n    - { source: drive.c, output: drive }\n',
    );
    await lab('demo', building.replace('run: [./workload.sh]', 'run: [./drive, --fast]'), { 'drive.c': '' });
    expect(await problems('demo')).toEqual([]);

    await lab('demo', GOOD.replace('run: [./workload.sh]', 'run: [./drive]'));
    expect(await problems('demo')).toEqual([
      'labs/demo/lab.yaml:15:9: workload.run[0]: drive is neither listed in `support` nor built by `build.userspace`: list the file in `support`, or add its source to `build.userspace`',
    ]);
  });

  it('reports a dependency cycle', async () => {
    await lab('demo', GOOD.replace('    type: compile\n', '    type: compile\n    needs: [judge]\n'));
    expect(await problems('demo')).toEqual([
      'labs/demo/lab.yaml:20:12: checks[0].needs: `needs` form a cycle: compile → judge → compile',
    ]);
  });

  it('checks the folder name, files on disk, the script bit and the lesson', async () => {
    await lab('other', GOOD.replace('lesson: hello-execve', 'lesson: no-such-lesson'));
    await rm(path.join(paths.labsDir, 'other', 'solution'), { recursive: true });
    await chmod(path.join(paths.labsDir, 'other', 'judge.sh'), 0o644);
    await rm(path.join(paths.labsDir, 'other', 'workload.sh'));
    expect(await problems('other')).toEqual([
      'labs/other/lab.yaml:2:5: id: must equal the folder name "other"',
      'labs/other/lab.yaml:7:11: files[0].path: solution/demo.bpf.c is missing',
      'labs/other/lab.yaml:9:5: support[0]: workload.sh is missing',
      'labs/other/lab.yaml:23:10: checks[1].run: judge.sh is not executable (chmod +x)',
      'labs/other/lab.yaml:5:9: lesson: no lesson "no-such-lesson" in content/',
    ]);
  });

  it('takes read-only files from starter/ alone and refuses a stray solution copy', async () => {
    const withHeader = GOOD.replace(
      '  - path: demo.bpf.c\n',
      '  - path: demo.bpf.c\n  - path: demo.h\n    readonly: true\n',
    );
    await lab('demo', withHeader, { 'starter/demo.h': '' });
    expect(await problems('demo')).toEqual([]);
    await lab('demo', withHeader, { 'starter/demo.h': '', 'solution/demo.h': '' });
    expect(await problems('demo')).toEqual([
      'labs/demo/lab.yaml:8:11: files[1].path: solution/demo.h is never used: read-only files come from starter/; remove it',
    ]);
  });

  it('reports YAML syntax errors with their position, and a missing schema comment', async () => {
    await lab('demo', 'id: demo\ntitle: [unclosed\n');
    const found = await problems('demo');
    expect(found[0]).toMatch(/^labs\/demo\/lab\.yaml:\d+:\d+: \(yaml\): /);
    await lab('demo', GOOD.replace(`${SCHEMA_COMMENT}\n`, ''));
    expect(await problems('demo')).toEqual([
      `labs/demo/lab.yaml:1:1: (file): must start with \`${SCHEMA_COMMENT}\` so editors complete and check it`,
    ]);
  });

  it('names an unknown lab', async () => {
    expect(await problems('ghost')).toEqual(['labs/ghost/lab.yaml:1:1: (file): no such lab']);
  });
});
