import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lessonFeatures, readLabHeaders } from './lab-requirements';
import { type ContentRoot, makeContentRoot } from './test-content-root';

describe('the kernel features of a lesson and its labs', () => {
  let content: ContentRoot;
  beforeAll(async () => {
    content = await makeContentRoot({
      'labs/tracer/lab.yaml': 'id: tracer\ntitle: T\nrequires: [btf, tracepoint, ringbuf]\n',
      'labs/bcc/lab.yaml': 'id: bcc\ntitle: B\nrequires: [bcc, kprobe, kernel_headers]\n',
      'labs/plain/lab.yaml': 'id: plain\ntitle: P\n',
      'labs/typo/lab.yaml': 'id: typo\nrequires: [kprobes]\n',
      'labs/broken/lab.yaml': 'requires: [btf\n',
    });
  });
  afterAll(() => content.remove());

  it("reads each lab's title and requires from its manifest, no features when it lists none", async () => {
    expect(await readLabHeaders(content.labsDir, ['tracer', 'bcc', 'plain'])).toEqual([
      { title: 'T', requires: ['btf', 'tracepoint', 'ringbuf'] },
      { title: 'B', requires: ['bcc', 'kprobe', 'kernel_headers'] },
      { title: 'P', requires: [] },
    ]);
  });

  it('adds nothing for a manifest that is missing, not YAML, or names an unknown feature', async () => {
    const nothing = { title: null, requires: [] };
    expect(await readLabHeaders(content.labsDir, ['gone', 'broken', 'typo'])).toEqual([
      nothing,
      nothing,
      nothing,
    ]);
  });

  it("lists the lesson's own features first, then each lab's not yet listed, once", () => {
    expect(
      lessonFeatures(
        ['btf', 'tracepoint', 'ringbuf'],
        [
          ['btf', 'tracepoint', 'ringbuf'],
          ['bcc', 'kprobe', 'kernel_headers'],
        ],
      ),
    ).toEqual(['btf', 'tracepoint', 'ringbuf', 'bcc', 'kprobe', 'kernel_headers']);
  });
});
