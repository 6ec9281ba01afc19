import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabClientEvents } from '../protocol/lab.js';
import { type ClientSocket, startTestPlatform, type TestPlatform } from '../testing/harness.js';
import { PtyDriverDouble } from '../testing/pty-sandbox-double.js';

const LAB = 'hello-execve';
const starter = () =>
  readFile(path.join(import.meta.dirname, '../../labs', LAB, 'starter/hello.bpf.c'), 'utf8');

type Reply<T> = { ok: true; value: T } | { ok: false; error: string };

/** Emits a lab event and resolves with the server's acknowledgement. */
function ask<E extends keyof LabClientEvents>(
  socket: ClientSocket,
  event: E,
  payload: unknown,
): Promise<Reply<unknown>> {
  return new Promise((resolve) => {
    (socket.emit as (e: string, p: unknown, ack: (r: Reply<unknown>) => void) => void)(
      event,
      payload,
      resolve,
    );
  });
}

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
    const reply = await ask(socket, 'lab:open', { labId: LAB });
    expect(reply).toEqual({
      ok: true,
      value: {
        id: LAB,
        title: 'Hello, execve',
        summary: expect.stringContaining('ring-buffer record'),
        files: [{ path: 'hello.bpf.c', readonly: false, content: await starter() }],
        hintCount: 3,
        solutionAvailable: false,
        requires: ['btf', 'tracepoint', 'ringbuf'],
        missing: [],
        progress: null,
      },
    });
  });

  it('autosaves editable files and opens with them next time', async () => {
    expect(await ask(socket, 'lab:save', { labId: LAB, files: { 'hello.bpf.c': '// mine\n' } })).toEqual({
      ok: true,
      value: null,
    });
    const reply = (await ask(socket, 'lab:open', { labId: LAB })) as Reply<{ files: { content: string }[] }>;
    expect(reply.ok && reply.value.files[0]?.content).toBe('// mine\n');
  });

  it('refuses files the lab does not have, and malformed payloads', async () => {
    expect(await ask(socket, 'lab:save', { labId: LAB, files: { '../../etc/passwd': 'x' } })).toEqual({
      ok: false,
      error: 'The lab "hello-execve" has no file "../../etc/passwd"',
    });
    expect(await ask(socket, 'lab:save', { labId: 'Not A Lab', files: {} })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^invalid lab:save payload: labId: not a lab id/),
    });
    expect(await ask(socket, 'lab:open', { labId: 'no-such-lab' })).toEqual({
      ok: false,
      error: 'There is no lab "no-such-lab"',
    });
  });

  it('resets to the starter, and keeps the solution closed before an attempt', async () => {
    const reset = (await ask(socket, 'lab:reset', { labId: LAB })) as Reply<{ content: string }[]>;
    expect(reset.ok && reset.value[0]?.content).toBe(await starter());
    const reopened = (await ask(socket, 'lab:open', { labId: LAB })) as Reply<{
      files: { content: string }[];
    }>;
    expect(reopened.ok && reopened.value.files[0]?.content).toBe(await starter());
    expect(await ask(socket, 'lab:solution', { labId: LAB })).toEqual({
      ok: false,
      error: 'The solution opens after your first Check',
    });
  });

  it('reveals hints one by one, within their number', async () => {
    expect(await ask(socket, 'lab:hint', { labId: LAB, index: 0 })).toMatchObject({
      ok: true,
      value: expect.stringContaining('bpf_ringbuf_reserve'),
    });
    expect(await ask(socket, 'lab:hint', { labId: LAB, index: 3 })).toEqual({
      ok: false,
      error: 'This lab has 3 hints',
    });
  });

  it('does not count a Check the platform could not grade', async () => {
    const reply = (await ask(socket, 'lab:check', {
      labId: LAB,
      files: { 'hello.bpf.c': await starter() },
    })) as Reply<{
      gradable: boolean;
    }>;
    expect(reply).toMatchObject({ ok: true, value: { gradable: false } });
    const opened = (await ask(socket, 'lab:open', { labId: LAB })) as Reply<{ progress: unknown }>;
    expect(opened.ok && opened.value.progress).toBeNull();
  });
});
