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

  it('pins a dated Debian 12 genericcloud image by digest for both x86_64 and aarch64', () => {
    const debianArch = { x86_64: 'amd64', aarch64: 'arm64' } as const;
    for (const arch of ['x86_64', 'aarch64'] as const) {
      const images = template.images.filter((i) => i.arch === arch);
      expect(images.length).toBeGreaterThan(0);
      for (const image of images) {
        // One dated build (never `latest/`), of this architecture.
        const build = image.location.match(
          /^https:\/\/cloud\.debian\.org\/images\/cloud\/bookworm\/(\d{8}-\d+)\/debian-12-genericcloud-(\w+)-(\d{8}-\d+)\.qcow2$/,
        );
        expect(build, image.location).not.toBeNull();
        expect(build?.[2]).toBe(debianArch[arch]);
        expect(build?.[3]).toBe(build?.[1]);
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
      'bpftool',
      'linux-perf',
      'bpfcc-tools',
      'python3-bpfcc',
      'make',
      'gcc',
    ]) {
      expect(packages).toMatch(new RegExp(`\\s${pkg}\\s`));
    }
    // Booted (Lima): the headers of the running kernel, whatever release the image ships.
    expect(packages).toContain('"linux-headers-$running"');
  });

  it('is the one guest recipe: the vm driver builds its image from the same scripts', async () => {
    const image = await readFile(path.join(LIMA_DIR, 'vm-image.sh'), 'utf8');
    const guest = await readFile(path.join(LIMA_DIR, 'provision/vm-guest.sh'), 'utf8');
    expect(image).toMatch(/chroot "\$1" bash \/tmp\/provision\/packages\.sh/);
    expect(image).toMatch(/chroot "\$1" bash \/tmp\/provision\/vm-guest\.sh/);
    expect(guest).toContain('/usr/local/lib/bpflab/filesystems.sh');
    expect(guest).toMatch(/install .*"\$here\/filesystems\.sh"/);
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
    const checked = await check((t) => t.replace(/\n {4}digest: sha512:3d94c9\S+/, ''));
    expect(checked).toMatchObject({ ok: false, errors: [expect.stringMatching(/images\[0\]\.digest/)] });
  });

  it('refuses a digest that is not a whole sha256 or sha512', async () => {
    const checked = await check((t) => t.replace(/(digest: sha512:3d94c9\S+)\S{64}\n/, '$1\n'));
    expect(checked).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/images\[0\]\.digest: a sha256 or sha512 digest/)],
    });
  });

  it('refuses a provisioning script that does not exist', async () => {
    const checked = await check((t) =>
      t.replace('file: provision/filesystems.sh', 'file: provision/missing.sh'),
    );
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
