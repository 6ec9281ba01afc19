import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClientSocket, startTestPlatform, type TestPlatform } from '../testing/harness.js';
import { PtyDriverDouble } from '../testing/pty-sandbox-double.js';

const LAB = 'hello-execve';
const starter = () =>
  readFile(path.join(import.meta.dirname, '../../labs', LAB, 'starter/hello.bpf.c'), 'utf8');

// Lab events without a kernel: the sandbox is a test double that runs no commands, so a Check
// here can only end as a platform fault. Grading itself is covered by events.itest.ts.
describe('lab socket events (sandbox test double)', () => {
  let site: TestPlatform;
  let socket: ClientSocket;
  beforeAll(async () => {
    site = await startTestPlatform({ driver: new PtyDriverDouble() });
    socket = await site.connect({ cookie: await site.newLearner(), origin: site.origin });
  });
  afterAll(() => site.close());

  it('opens a lab with the starter files, its hints counted, no solution yet, nothing missing', async () => {
    const reply = await socket.emitWithAck('lab:open', { labId: LAB });
    expect(reply).toEqual({
      ok: true,
      value: {
        id: LAB,
        title: 'Hello, execve',
        summary: expect.stringContaining('ring-buffer record'),
        files: [{ path: 'hello.bpf.c', readonly: false, content: await starter() }],
        hintCount: 3,
        labTimeMs: 15_000,
        solutionAvailable: false,
        requires: ['btf', 'tracepoint', 'ringbuf'],
        missing: [],
        otherDriver: null,
        progress: null,
      },
    });
  });

  it('autosaves editable files and opens with them next time', async () => {
    expect(
      await socket.emitWithAck('lab:save', { labId: LAB, files: { 'hello.bpf.c': '// mine\n' } }),
    ).toEqual({
      ok: true,
      value: null,
    });
    const reply = await socket.emitWithAck('lab:open', { labId: LAB });
    expect(reply.ok && reply.value.files[0]?.content).toBe('// mine\n');
  });

  it('refuses files the lab does not have, and malformed payloads', async () => {
    expect(await socket.emitWithAck('lab:save', { labId: LAB, files: { '../../etc/passwd': 'x' } })).toEqual({
      ok: false,
      error: 'The lab "hello-execve" has no file "../../etc/passwd"',
    });
    expect(await socket.emitWithAck('lab:save', { labId: 'Not A Lab', files: {} })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^invalid lab:save payload: labId: not a lab id/),
    });
    expect(await socket.emitWithAck('lab:open', { labId: 'no-such-lab' })).toEqual({
      ok: false,
      error: 'There is no lab "no-such-lab"',
    });
  });

  it('resets to the starter, and keeps the solution closed before an attempt', async () => {
    const reset = await socket.emitWithAck('lab:reset', { labId: LAB });
    expect(reset.ok && reset.value[0]?.content).toBe(await starter());
    const reopened = await socket.emitWithAck('lab:open', { labId: LAB });
    expect(reopened.ok && reopened.value.files[0]?.content).toBe(await starter());
    expect(await socket.emitWithAck('lab:solution', { labId: LAB })).toEqual({
      ok: false,
      error: 'The solution opens after your first Check',
    });
  });

  it('reveals hints one by one, within their number', async () => {
    expect(await socket.emitWithAck('lab:hint', { labId: LAB, index: 0 })).toMatchObject({
      ok: true,
      value: expect.stringContaining('bpf_ringbuf_reserve'),
    });
    expect(await socket.emitWithAck('lab:hint', { labId: LAB, index: 3 })).toEqual({
      ok: false,
      error: 'This lab has 3 hints',
    });
  });

  it('does not count a Check the platform could not grade', async () => {
    const reply = await socket.emitWithAck('lab:check', {
      labId: LAB,
      files: { 'hello.bpf.c': await starter() },
    });
    expect(reply).toMatchObject({
      ok: true,
      value: { grade: { gradable: false }, progress: null, solutionAvailable: false },
    });
    const opened = await socket.emitWithAck('lab:open', { labId: LAB });
    expect(opened.ok && opened.value.progress).toBeNull();
  });
});
