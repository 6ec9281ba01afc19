/** The `attach` fields for libbpf-style code: what a lab's author gets told when one is wrong. */
import { describe, expect, it } from 'vitest';
import { LabManifest } from './schema.js';

const lab = (attach: Record<string, unknown>) => ({
  id: 'x',
  title: 'X',
  summary: 'X.',
  lesson: 'x',
  files: [{ path: 'x.bpf.c' }],
  build: { bpf: ['x.bpf.c'] },
  attach: { object: 'x.bpf.o', ...attach },
  checks: [{ id: 'c', title: 'C', type: 'compile' }],
});

/** Each problem as `path: message`. */
function problems(attach: Record<string, unknown>): string[] {
  const parsed = LabManifest.safeParse(lab(attach));
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('attach', () => {
  it('takes bare-uprobe and USDT targets, rodata and an event type as libbpf-style code needs them', () => {
    expect(
      problems({
        uprobeBinary: './app',
        uprobeFunction: 'handle+4',
        usdt: 'app:request',
        eventType: 'event',
        rodata: { min_duration_ns: 1000000, verbose: true, comm: 'hx-{{nonce}}', port: '{{nonce_number}}' },
      }),
    ).toEqual([]);
  });

  it('names the field of each mistake', () => {
    expect(problems({ uprobeFunction: 'malloc', usdt: 'libc:setjmp' })).toEqual([
      'attach.uprobeFunction: needs `uprobeBinary`, the binary or library the probe is in',
      'attach.usdt: needs `uprobeBinary`, the binary or library the probe is in',
    ]);
    expect(problems({ eventType: 'struct event' })).toEqual([
      "attach.eventType: must be a C identifier: the struct's name, without `struct`",
    ]);
    expect(problems({ uprobeBinary: './app', usdt: 'request' })).toEqual([
      'attach.usdt: must be `provider:name`',
    ]);
    expect(problems({ rodata: { 'min-pid': 1 } })).toEqual([
      'attach.rodata.min-pid: must be the name of a `const volatile` global',
    ]);
    expect(problems({ rodata: { port: '{{nonce_no}}' } })).toEqual([
      "attach.rodata.port: {{nonce_no}} is not a placeholder the grader replaces: write {{nonce}} (the run nonce, text) or {{nonce_number}} (the run's number)",
    ]);
  });
});

describe('output check patterns', () => {
  const output = (match: Record<string, string>) =>
    LabManifest.safeParse({
      ...lab({}),
      checks: [{ id: 'o', title: 'O', type: 'output', source: 'trace', match }],
    });

  it('take both placeholders, and name one the grader would leave as written', () => {
    expect(output({ regex: '^hx-{{nonce}} to port {{nonce_number}}$' }).success).toBe(true);
    expect(output({ contains: 'port {{nonce_number}}' }).success).toBe(true);
    expect(output({ contains: 'hx-{{NONCE}}' }).error?.issues).toEqual([
      expect.objectContaining({
        path: ['checks', 0, 'match', 'contains'],
        message:
          "{{NONCE}} is not a placeholder the grader replaces: write {{nonce}} (the run nonce, text) or {{nonce_number}} (the run's number)",
      }),
    ]);
  });
});
