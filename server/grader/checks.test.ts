import { describe, expect, it } from 'vitest';
import { Check } from '../labs/schema.js';
import { evaluateChecks, type ScriptRunner } from './checks.js';
import type { Evidence, ScriptOutcome } from './evidence.js';

const NONCE = 'k3x9q2ab';
const NONCES = { text: NONCE, number: 24680 };
const checks = (list: unknown[]) => list.map((c) => Check.parse(c));
const noScripts: ScriptRunner = async () => {
  throw new Error('no script expected');
};

const loaded: Evidence = {
  build: { ok: true },
  load: {
    ok: true,
    programs: [{ name: 'handle_execve', type: 'tracepoint', section: 'tp/syscalls/sys_enter_execve' }],
    maps: ['events', 'counts', 'stats'],
  },
  run: {
    events: [
      { pid: 10, comm: `hx-${NONCE}-1` },
      { pid: 11, comm: `hx-${NONCE}-2` },
      { pid: 11, comm: `hx-${NONCE}-2` },
      { pid: 12, comm: 'hx-otherrun-1' },
      { pid: 13, comm: 'bash' },
    ],
    trace: [`exec hx-${NONCE}-1`, 'exec bash'],
    iter: [`task 4242 hx-${NONCE}-1`, 'task 1 systemd'],
    maps: new Map([
      [
        'counts',
        [
          { key: `vn-${NONCE}`, value: 3 },
          { key: 'bash', value: 17 },
        ],
      ],
      ['stats', [{ key: { cpu: 0, kind: 1 }, value: { packets: '1000', bytes: 64000 } }]],
    ]),
  },
};

describe('evaluateChecks', () => {
  it('skips dependants of a failed check and checks whose stage never ran, giving partial credit', async () => {
    const failedBuild: Evidence = {
      build: { ok: false, error: 'x.bpf.c:3:1: error: expected expression' },
      load: null,
      run: null,
    };
    const results = await evaluateChecks(
      checks([
        { id: 'compile', title: 'Compiles', type: 'compile', points: 2, feedback: 'Read the first error.' },
        { id: 'load', title: 'Loads', type: 'load', needs: ['compile'] },
        { id: 'out', title: 'Reports', type: 'output', source: 'trace', match: { contains: 'x' } },
      ]),
      failedBuild,
      NONCES,
      noScripts,
    );
    expect(results).toEqual([
      {
        id: 'compile',
        title: 'Compiles',
        status: 'failed',
        points: 0,
        maxPoints: 2,
        expected: 'builds without errors',
        actual: 'x.bpf.c:3:1: error: expected expression',
        feedback: 'Read the first error.',
      },
      {
        id: 'load',
        title: 'Loads',
        status: 'skipped',
        points: 0,
        maxPoints: 1,
        actual: 'not run: “Compiles” did not pass',
      },
      {
        id: 'out',
        title: 'Reports',
        status: 'skipped',
        points: 0,
        maxPoints: 1,
        actual: 'not run: the program did not compile',
      },
    ]);
  });

  it('evaluates a prerequisite listed later before its dependant', async () => {
    const [first] = await evaluateChecks(
      checks([
        {
          id: 'out',
          title: 'Reports',
          type: 'output',
          source: 'trace',
          match: { contains: 'exec' },
          needs: ['load'],
        },
        { id: 'load', title: 'Loads', type: 'load', programs: [{ type: 'kprobe' }] },
      ]),
      loaded,
      NONCES,
      noScripts,
    );
    expect(first?.status).toBe('skipped');
  });

  it('load: passes with the expected program and reports what was loaded otherwise', async () => {
    const [ok, wrong] = await evaluateChecks(
      checks([
        {
          id: 'a',
          title: 'A',
          type: 'load',
          programs: [{ type: 'tracepoint', section: 'tp/syscalls/sys_enter_execve' }],
        },
        { id: 'b', title: 'B', type: 'load', programs: [{ section: 'tp/syscalls/sys_exit_execve' }] },
      ]),
      loaded,
      NONCES,
      noScripts,
    );
    expect(ok?.status).toBe('passed');
    expect(wrong).toMatchObject({
      status: 'failed',
      expected: 'programs: tp/syscalls/sys_exit_execve',
      actual: 'loaded: handle_execve (tracepoint at tp/syscalls/sys_enter_execve)',
    });
  });

  it('load: a section spelled another way libbpf treats alike passes (tracepoint/ for tp/)', async () => {
    const [alias] = await evaluateChecks(
      checks([
        {
          id: 'a',
          title: 'A',
          type: 'load',
          programs: [{ type: 'tracepoint', section: 'tracepoint/syscalls/sys_enter_execve' }],
        },
      ]),
      loaded,
      NONCES,
      noScripts,
    );
    expect(alias?.status).toBe('passed');
  });

  it('load: a verifier rejection is the actual', async () => {
    const [r] = await evaluateChecks(
      checks([{ id: 'a', title: 'A', type: 'load' }]),
      {
        build: { ok: true },
        load: { ok: false, programs: [], error: "R0 invalid mem access 'map_value_or_null'" },
        run: null,
      },
      NONCES,
      noScripts,
    );
    expect(r).toMatchObject({ status: 'failed', actual: "R0 invalid mem access 'map_value_or_null'" });
  });

  it("output: an iterator's lines are matched like trace lines, and named so when they fail", async () => {
    const [found, absent] = await evaluateChecks(
      checks([
        {
          id: 'i',
          title: 'I',
          type: 'output',
          source: 'iter',
          match: { regex: '^task \\d+ hx-{{nonce}}-1$' },
        },
        { id: 'x', title: 'X', type: 'output', source: 'iter', match: { contains: 'hx-{{nonce}}-9' } },
      ]),
      loaded,
      NONCES,
      noScripts,
    );
    expect(found?.status).toBe('passed');
    expect(absent).toMatchObject({
      status: 'failed',
      expected: `at least 1 iterator lines contain “hx-${NONCE}-9”`,
      actual: `none of 2 iterator lines matched; for example:\n  task 4242 hx-${NONCE}-1\n  task 1 systemd`,
    });
  });

  it('output: counts events by field with the nonce, distinct or not', async () => {
    const results = await evaluateChecks(
      checks([
        {
          id: 'd',
          title: 'D',
          type: 'output',
          source: 'ringbuf',
          field: 'comm',
          match: { regex: '^hx-{{nonce}}-\\d$' },
          count: { exact: 2, distinct: true },
        },
        {
          id: 'n',
          title: 'N',
          type: 'output',
          source: 'ringbuf',
          field: 'comm',
          match: { regex: '^hx-{{nonce}}-\\d$' },
          count: { exact: 2 },
        },
        {
          id: 'w',
          title: 'W',
          type: 'output',
          source: 'ringbuf',
          match: { contains: '"pid":11' },
          count: { min: 1, max: 2 },
        },
        { id: 't', title: 'T', type: 'output', source: 'trace', match: { contains: 'hx-{{nonce}}' } },
      ]),
      loaded,
      NONCES,
      noScripts,
    );
    expect(results.map((r) => r.status)).toEqual(['passed', 'failed', 'passed', 'passed']);
    expect(results[1]).toMatchObject({
      expected: `exactly 2 events whose comm match /^hx-${NONCE}-\\d$/`,
      actual: `3 matched:\n  hx-${NONCE}-1\n  hx-${NONCE}-2`,
    });
  });

  it('output: with nothing emitted, says so and why the workload ended', async () => {
    const [r] = await evaluateChecks(
      checks([{ id: 'o', title: 'O', type: 'output', source: 'ringbuf', match: { contains: 'x' } }]),
      {
        ...loaded,
        run: {
          events: [],
          trace: [],
          iter: [],
          maps: new Map(),
          workloadProblem: 'the workload did not finish within 10 s',
        },
      },
      NONCES,
      noScripts,
    );
    expect(r?.actual).toBe('no events at all (the workload did not finish within 10 s)');
  });

  it('map: equal, within tolerance, field by field, exhaustive', async () => {
    const results = await evaluateChecks(
      checks([
        { id: 'eq', title: 'eq', type: 'map', map: 'counts', entries: [{ key: 'vn-{{nonce}}', value: 3 }] },
        {
          id: 'tol',
          title: 'tol',
          type: 'map',
          map: 'counts',
          tolerance: 2,
          entries: [{ key: 'bash', value: 15 }],
        },
        {
          id: 'off',
          title: 'off',
          type: 'map',
          map: 'counts',
          tolerance: 1,
          entries: [{ key: 'bash', value: 15 }],
        },
        {
          id: 'obj',
          title: 'obj',
          type: 'map',
          map: 'stats',
          entries: [{ key: { cpu: 0, kind: 1 }, value: { packets: 1000 } }],
        },
        {
          id: 'all',
          title: 'all',
          type: 'map',
          map: 'counts',
          exhaustive: true,
          entries: [{ key: 'vn-{{nonce}}', value: 3 }],
        },
        { id: 'none', title: 'none', type: 'map', map: 'nope', entries: [{ key: 1, value: 1 }] },
      ]),
      loaded,
      NONCES,
      noScripts,
    );
    expect(results.map((r) => r.status)).toEqual([
      'passed',
      'passed',
      'failed',
      'passed',
      'failed',
      'failed',
    ]);
    expect(results[2]?.actual).toBe(
      'counts holds 2 entries; 0 of 1 expected match.\nbash → 17, expected bash → 15',
    );
    expect(results[4]?.actual).toBe('counts holds 2 entries; 1 of 1 expected match.\nunexpected bash → 17');
    expect(results[4]?.mapDiff?.rows.map((r) => r.kind)).toEqual(['ok', 'extra']);
    expect(results[5]).toMatchObject({
      expected: 'a map named "nope"',
      actual: 'the program has no map "nope"; its maps are: events, counts, stats',
    });
  });

  it("map: {{nonce_number}} in an entry is this run's number, equal to the number the map holds", async () => {
    const byPort: Evidence = {
      ...loaded,
      load: { ok: true, programs: [], maps: ['by_port', 'flows'] },
      run: {
        events: [],
        trace: [],
        iter: [],
        maps: new Map([
          [
            'by_port',
            [
              { key: NONCES.number, value: 3 },
              { key: 24681, value: 9 },
            ],
          ],
          ['flows', [{ key: { dport: NONCES.number, proto: 17 }, value: { packets: '3' } }]],
        ]),
      },
    };
    const mapCheck = (id: string, map: string, entry: object, format?: object) => ({
      id,
      title: id,
      type: 'map',
      map,
      entries: [entry],
      ...(format ? { format } : {}),
    });
    const results = await evaluateChecks(
      checks([
        mapCheck('plain', 'by_port', { key: '{{nonce_number}}', value: 3 }),
        mapCheck('port', 'by_port', { key: '{{nonce_number}}', value: 3 }, { key: 'port' }),
        mapCheck('field', 'flows', { key: { dport: '{{nonce_number}}', proto: 17 }, value: { packets: 3 } }),
        mapCheck('value', 'by_port', { key: 24681, value: '{{nonce_number}}' }),
      ]),
      byPort,
      NONCES,
      noScripts,
    );
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['plain', 'passed'],
      ['port', 'passed'],
      ['field', 'passed'],
      ['value', 'failed'],
    ]);
    expect(results[1]?.expected).toBe('by_port: 24680 → 3');
    expect(results[3]?.actual).toBe(
      'by_port holds 2 entries; 0 of 1 expected match.\n24681 → 9, expected 24681 → 24680',
    );
  });

  it('script: exit 0 passes; FAIL: lines become the actual; timeouts are named', async () => {
    const outcomes: ScriptOutcome[] = [
      { exitCode: 0, timedOut: false, stdout: '', stderr: '' },
      {
        exitCode: 1,
        timedOut: false,
        stdout: 'checking\nFAIL: pid 0 in event 3\nFAIL: comm empty\n',
        stderr: '',
      },
      { exitCode: null, timedOut: true, stdout: '', stderr: '' },
    ];
    const results = await evaluateChecks(
      checks(
        [1, 2, 3].map((n) => ({ id: `s${n}`, title: 'S', type: 'script', run: 'check.sh', timeoutMs: 2000 })),
      ),
      loaded,
      NONCES,
      async () => outcomes.shift()!,
    );
    expect(results.map((r) => [r.status, r.actual])).toEqual([
      ['passed', undefined],
      ['failed', 'pid 0 in event 3\ncomm empty'],
      ['failed', 'the check script did not finish within 2 s'],
    ]);
    expect(results[1]?.expected).toBe('check.sh finds nothing wrong (exits 0)');
  });

  it('script: a lab without attach has its scripts run right after the build', async () => {
    const builtOnly: Evidence = { build: { ok: true }, load: null, run: null };
    const results = await evaluateChecks(
      checks([
        { id: 'compile', title: 'Builds', type: 'compile' },
        { id: 'runs', title: 'Loader runs', type: 'script', run: 'run.sh', needs: ['compile'] },
      ]),
      builtOnly,
      NONCES,
      async () => ({ exitCode: 0, timedOut: false, stdout: '', stderr: '' }),
    );
    expect(results.map((r) => r.status)).toEqual(['passed', 'passed']);
  });
});
