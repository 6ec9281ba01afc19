/**
 * Every entry of the verifier explainer's catalogue, triggered on this kernel: each program in
 * fixtures/verifier/ is built with the lab toolchain's flags (lab.mk), loaded by bpflab-runner,
 * and the rejection it gets is explained. The test asserts the entry chosen, the refused
 * instruction and the register the verifier's message names, in words. The uninitialised stack
 * read is loaded without CAP_PERFMON (a loader with it may read uninitialised stack), and the
 * missing kernel BTF is a mount namespace where /sys/kernel/btf/vmlinux is empty.
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTools, compile, type RunnerLine, runToEnd, toolchainUnavailable } from '../../bpf/harness.js';
import { CATALOGUE } from './verifier-catalogue.js';
import { explainRejection } from './verifier-explain.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/verifier/', import.meta.url));
const unavailable = toolchainUnavailable();

interface Case {
  /** The catalogue entry expected; also the fixture's name unless `fixture` says otherwise. */
  entry: string;
  fixture?: string;
  /** The register the message names and the start of its words; absent when the message names none. */
  named?: { register: string; words: string };
  /** The refused instruction's text; absent when the verifier rejects the program as a whole. */
  instruction?: string;
  /** Runs the runner under this prefix. */
  wrap?: (dir: string) => string[];
}

const CASES: Case[] = [
  {
    entry: 'map-value-null',
    instruction: 'r1 = *(u64 *)(r0 +0)',
    named: { register: 'R0', words: 'a map value of map `counts` that may be NULL — check it before use' },
  },
  {
    entry: 'ringbuf-null',
    instruction: '*(u32 *)(r6 +0) = r0',
    named: { register: 'R6', words: 'a ring-buffer record that may be NULL' },
  },
  {
    entry: 'scalar-deref',
    instruction: 'r0 = *(u32 *)(r0 +0)',
    named: { register: 'R0', words: 'a number, not a pointer' },
  },
  { entry: 'r0-unset', instruction: 'exit' },
  { entry: 'gpl-only', instruction: 'call bpf_trace_printk#6' },
  { entry: 'loop', instruction: 'r1 = *(u32 *)(r10 -4)' },
  { entry: 'stack-too-big' },
  {
    entry: 'packet-bounds',
    instruction: 'r1 = *(u16 *)(r1 +12)',
    named: { register: 'R1', words: 'a pointer into the packet, r=0: no bytes proven inside the packet' },
  },
  {
    entry: 'helper-arg',
    instruction: 'call bpf_map_lookup_elem#1',
    named: { register: 'R2', words: 'a number, not a pointer, between 0 and 4294967295' },
  },
  { entry: 'too-complex', instruction: 'r0 &= r7' },
  {
    entry: 'unreleased-reference',
    instruction: 'exit',
  },
  { entry: 'ctx-access', instruction: '*(u64 *)(r1 +16) = r2' },
  {
    entry: 'uninit-stack',
    instruction: 'call bpf_map_update_elem#2',
    named: { register: 'R3', words: 'a pointer into the stack, 16 bytes below the frame pointer' },
    wrap: () => ['setpriv', '--inh-caps=-perfmon,-sys_admin', '--bounding-set=-perfmon,-sys_admin', '--'],
  },
  { entry: 'core-relocation', instruction: '<invalid CO-RE relocation>' },
  {
    entry: 'kernel-btf-missing',
    fixture: 'core-relocation',
    wrap: (dir) => [
      'unshare',
      '--mount',
      '--',
      'sh',
      '-c',
      `mount --bind ${path.join(dir, 'empty')} /sys/kernel/btf/vmlinux && exec "$0" "$@"`,
    ],
  },
];

describe.skipIf(unavailable !== null)(
  `verifier catalogue on this kernel (${unavailable ?? 'available'})`,
  () => {
    let dir: string;

    beforeAll(async () => {
      await buildTools();
      dir = await mkdtemp(path.join(tmpdir(), 'bpflab-verifier-'));
      await writeFile(path.join(dir, 'empty'), '');
      const fixtures = [...new Set(CASES.map((c) => c.fixture ?? c.entry))];
      await Promise.all(
        fixtures.map((f) => copyFile(path.join(FIXTURES, `${f}.bpf.c`), path.join(dir, `${f}.bpf.c`))),
      );
      const built = await Promise.all(fixtures.map((f) => compile(dir, `${f}.bpf.o`)));
      const failed = built.find((b) => b.exitCode !== 0);
      if (failed) throw new Error(`compiling a fixture failed:\n${failed.stderr}`);
    }, 120_000);

    afterAll(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('has a case for every catalogue entry that a program can trigger', () => {
      const general = ['other-null', 'register-unset'];
      expect(CASES.map((c) => c.entry).sort()).toEqual(
        CATALOGUE.map((e) => e.id)
          .filter((id) => !general.includes(id))
          .sort(),
      );
    });

    it.each(CASES)('$entry: the kernel rejects the fixture and the explainer names the entry', async (c) => {
      const fixture = c.fixture ?? c.entry;
      const { exitCode, lines } = await runToEnd(['run', `${fixture}.bpf.o`], {
        cwd: dir,
        ...(c.wrap ? { wrap: c.wrap(dir) } : {}),
      });
      const error = lines.find((l: RunnerLine) => l.type === 'error');
      const verifier = lines.find((l: RunnerLine) => l.type === 'verifier' && !l.accepted);
      expect(exitCode, JSON.stringify(lines)).toBe(66);
      expect(error).toMatchObject({ stage: 'load' });

      const sourceName = `${fixture}.bpf.c`;
      const source = await readFile(path.join(dir, sourceName), 'utf8');
      const explained = explainRejection({
        ...(verifier ? { verifierLog: verifier.log as string } : {}),
        error: error!.message as string,
        sources: new Map([[sourceName, source]]),
      });

      expect(explained?.entry?.id, explained?.message).toBe(c.entry);
      expect(explained?.entry?.fix).not.toBe('');
      expect(explained?.instruction?.text).toBe(c.instruction);
      if (c.instruction !== undefined) {
        // A walked program always shows the frame pointer.
        expect(explained?.registers.find((r) => r.name === 'R10')?.value).toBe('fp0');
      }
      if (c.named) {
        const named = explained?.registers.find((r) => r.named);
        expect(named?.name).toBe(c.named.register);
        expect(named?.words).toContain(c.named.words);
      }
    });
  },
);
