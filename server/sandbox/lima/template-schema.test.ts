import { access, constants, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLimaTemplate, type LimaTemplate } from './template-schema.js';

const LIMA_DIR = path.resolve(import.meta.dirname, '../../../lima');
const TEMPLATE = path.join(LIMA_DIR, 'bpflab.yaml');

describe('lima/bpflab.yaml (checked against a subset of Lima’s schema)', () => {
  let template: LimaTemplate;
  beforeAll(async () => {
    const checked = await checkLimaTemplate(TEMPLATE);
    if (!checked.ok) throw new Error(checked.errors.join('\n'));
    template = checked.template;
  });

  it('pins an Ubuntu 24.04 image by digest for both x86_64 and aarch64', () => {
    for (const arch of ['x86_64', 'aarch64'] as const) {
      const images = template.images.filter((i) => i.arch === arch);
      expect(images.length).toBeGreaterThan(0);
      for (const image of images) {
        expect(image.location).toMatch(
          /\/noble\/release-\d{8}\/ubuntu-24\.04-server-cloudimg-(amd64|arm64)\.img$/,
        );
      }
    }
  });

  it('runs no containerd and mounts nothing from the host', () => {
    expect(template.containerd).toEqual({ system: false, user: false });
    expect(template.mounts).toEqual([]);
  });

  it('provisions with idempotent scripts from lima/provision that fail loudly', async () => {
    const files = (template.provision ?? []).map((p) => p.file);
    expect(files).toEqual(['provision/packages.sh', 'provision/filesystems.sh']);
    for (const file of files as string[]) {
      const script = path.join(LIMA_DIR, file);
      await access(script, constants.X_OK);
      const text = await readFile(script, 'utf8');
      expect(text.startsWith('#!/bin/bash\n')).toBe(true);
      expect(text).toMatch(/^set -eux -o pipefail$/m);
    }
    const packages = await readFile(path.join(LIMA_DIR, 'provision/packages.sh'), 'utf8');
    for (const pkg of [
      'clang',
      'llvm',
      'libbpf-dev',
      'linux-tools-common',
      'bpfcc-tools',
      'python3-bpfcc',
      'make',
      'gcc',
    ]) {
      expect(packages).toMatch(new RegExp(`\\s${pkg}\\s`));
    }
    expect(packages).toContain('"linux-tools-$kernel" "linux-headers-$kernel"');
  });

  it('gives every readiness probe a hint', () => {
    expect(template.probes?.length).toBeGreaterThan(0);
    for (const probe of template.probes ?? []) expect(probe.hint.length).toBeGreaterThan(20);
  });
});

describe('checkLimaTemplate', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'bpflab-lima-template-'));
    await mkdir(path.join(dir, 'provision'));
    for (const script of ['packages.sh', 'filesystems.sh']) {
      await copyFile(path.join(LIMA_DIR, 'provision', script), path.join(dir, 'provision', script));
    }
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  async function check(edit: (text: string) => string) {
    const file = path.join(dir, 'edited.yaml');
    await writeFile(file, edit(await readFile(TEMPLATE, 'utf8')));
    return checkLimaTemplate(file);
  }

  it('names the line and field of every problem, not just the first', async () => {
    const checked = await check((t) =>
      t.replace('memory: 2GiB', 'memory: lots').replace('cpus: 2', 'cpus: 2\nmemroy: 2GiB'),
    );
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.errors).toHaveLength(2);
    expect(checked.errors.some((e) => /edited\.yaml:\d+:\d+ memory: a size/.test(e))).toBe(true);
    expect(checked.errors.some((e) => /edited\.yaml:\d+:\d+ .*memroy/.test(e))).toBe(true);
  });

  it('refuses an image without a digest', async () => {
    const checked = await check((t) => t.replace(/\n {4}digest: sha256:f1652d\S+/, ''));
    expect(checked).toMatchObject({ ok: false, errors: [expect.stringMatching(/images\[0\]\.digest/)] });
  });

  it('refuses a provisioning script that does not exist', async () => {
    const checked = await check((t) => t.replace('provision/filesystems.sh', 'provision/missing.sh'));
    expect(checked).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/missing\.sh: no such script/)],
    });
  });

  it('reports YAML syntax errors with their line', async () => {
    const checked = await check((t) =>
      t.replace('containerd:\n  system: false', 'containerd:\n  system: [false'),
    );
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.errors[0]).toMatch(/edited\.yaml:\d+:\d+ /);
  });
});
