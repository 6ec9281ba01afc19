import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { distribution, notMeasured, planFrom, single, withFloor } from './measure.js';
import { type Figure, markdown, type Report, targetText, verdict, writeReport } from './report.js';

const prompt = {
  id: 'browser.terminal-prompt',
  title: 'lesson page → terminal prompt',
  unit: 'ms',
  target: { stat: 'p95' as const, atMost: 1000 },
  obstacle: 'the page loads Monaco first',
};
const samples = Array.from({ length: 20 }, (_, i) => 900 + 10 * i); // 900 … 1090

function report(figures: Figure[]): Report {
  return {
    date: '2026-12-07T06:00:00.000Z',
    quick: false,
    durationSeconds: 512,
    machine: { cpus: 2, kernel: '6.18.0', node: 'v22.0.0' },
    figures,
  };
}

describe('verdict', () => {
  it('compares the target’s statistic with its bound', () => {
    const figure = distribution(prompt, samples);
    expect(figure.summary?.p95).toBe(1080);
    expect(verdict(figure)).toBe('not met');
    expect(
      verdict(
        distribution(
          prompt,
          samples.map((s) => s - 100),
        ),
      ),
    ).toBe('met');
  });

  it('takes a lower bound for throughput and a single value where there is no series', () => {
    const rate = { id: 't', title: 'flood', unit: 'MB/s', target: { stat: 'value' as const, atLeast: 30 } };
    expect(verdict(single(rate, 31, 10))).toBe('met');
    expect(verdict(single(rate, 29.9, 10, 1))).toBe('not met');
  });

  it('says a figure without a target has none, and one not measured was not', () => {
    expect(verdict(single({ id: 'x', title: 'x', unit: 'ms' }, 1, 1))).toBe('no target');
    expect(verdict(notMeasured(prompt, 'no VM'))).toBe('not measured');
  });
});

describe('targetText', () => {
  it('names the statistic, the bound and the unit', () => {
    expect(targetText({ stat: 'p95', atMost: 1000 }, 'ms')).toBe('p95 ≤ 1000 ms');
    expect(targetText({ stat: 'value', atLeast: 30 }, 'MB/s')).toBe('≥ 30 MB/s');
    expect(targetText({ stat: 'value', atMost: 1.5 }, '×')).toBe('≤ 1.5×');
  });
});

describe('withFloor', () => {
  it('keeps the floor’s p50 and the ratio of the p50s, to hundredths', () => {
    const floor = distribution({ id: 'f', title: 'clang -fsyntax-only', unit: 'ms' }, [130, 131, 132]);
    const compile = withFloor(
      distribution({ id: 'c', title: 'compile', unit: 'ms' }, [180, 185, 190]),
      floor,
    );
    expect(compile.floor).toEqual({ title: 'clang -fsyntax-only', p50: 131, ratio: 1.41 });
  });
});

/** The cells of a table row, trimmed; an escaped pipe stays inside its cell. */
const cellsOf = (line: string) =>
  line
    .slice(2, -2)
    .split(/ (?<!\\)\| /)
    .map((c) => c.trim());

describe('markdown', () => {
  it('has one row per figure with p50/p95/p99, runs, load, target, verdict and what stands in the way', () => {
    const measured = { ...distribution(prompt, samples), loadAverage: 0.42 };
    const table = markdown(
      report([
        measured,
        notMeasured({ id: 'vm.claim', title: 'VM claim', unit: 'ms' }, 'no /dev/kvm | no image'),
      ]),
    );
    const rows = table.split('\n').filter((line) => line.startsWith('| '));
    expect(cellsOf(rows[0]!)).toEqual([
      'figure',
      'p50',
      'p95',
      'p99',
      'runs',
      'load',
      'target',
      'met',
      'floor (ratio)',
      'notes',
    ]);
    expect(cellsOf(rows[2]!)).toEqual([
      'lesson page → terminal prompt (ms)',
      '990',
      '1080',
      '1090',
      '20',
      '0.42',
      'p95 ≤ 1000 ms',
      'not met',
      '',
      'stands in the way: the page loads Monaco first',
    ]);
    // A pipe in a reason would split the cell: it is escaped.
    expect(cellsOf(rows[3]!)).toEqual([
      'VM claim (ms)',
      '—',
      '—',
      '—',
      '0',
      '—',
      '—',
      'not measured',
      '',
      'not measured: no /dev/kvm \\| no image',
    ]);
    expect(table).toContain('0 of 1 targets met; 1 figures not measured.');
  });

  it('pads every column to its widest cell, numbers to the right, as the formatter would', () => {
    const table = markdown(
      report([distribution(prompt, samples), single({ id: 'n', title: 'n', unit: 'x' }, 7, 1)]),
    );
    const rows = table.split('\n').filter((line) => line.startsWith('| '));
    expect(new Set(rows.map((r) => r.length)).size).toBe(1);
    expect(rows[1]).toMatch(/^\| -+ \| -+: \| -+: \| -+: \| -+: \| -+: \| -+ \|/);
    expect(rows[3]).toMatch(/^\| n \(x\) +\| +7 \|/);
  });

  it('puts a single value in the p50 column and says a quick run is not for comparing', () => {
    const bytes = single(
      { id: 'b', title: 'JavaScript', unit: 'KiB', target: { stat: 'value', atMost: 1024 } },
      612.4,
      3,
    );
    const table = markdown({ ...report([bytes]), quick: true });
    const row = table.split('\n').find((line) => line.startsWith('| JavaScript'))!;
    expect(cellsOf(row).slice(0, 5)).toEqual(['JavaScript (KiB)', '612', '—', '—', '3']);
    expect(cellsOf(row).slice(6, 8)).toEqual(['≤ 1024 KiB', 'met']);
    expect(table).toContain('quick mode');
  });
});

describe('writeReport', () => {
  it('writes latest.json with each figure’s verdict and latest.md with the table', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'bench-report-'));
    try {
      await writeReport(report([distribution(prompt, samples)]), dir);
      const json = JSON.parse(await readFile(path.join(dir, 'latest.json'), 'utf8'));
      expect(json.figures[0]).toMatchObject({ id: 'browser.terminal-prompt', runs: 20, verdict: 'not met' });
      expect(json.figures[0].summary).toMatchObject({ p50: 990, p95: 1080, p99: 1090 });
      expect(await readFile(path.join(dir, 'latest.md'), 'utf8')).toContain(
        '| lesson page → terminal prompt (ms) |',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('planFrom', () => {
  it('runs 10 per figure and 30 of cheap ones, fewer in quick mode, VMs unless BENCH_VM=0', () => {
    expect(planFrom({})).toMatchObject({
      quick: false,
      runs: 10,
      cheapRuns: 30,
      learners: 30,
      keys: 1000,
      vm: true,
    });
    expect(planFrom({ BENCH_QUICK: '1', BENCH_VM: '0' })).toMatchObject({ quick: true, runs: 3, vm: false });
  });

  it('names the variable whose value is not 0 or 1', () => {
    expect(() => planFrom({ BENCH_QUICK: 'yes' })).toThrow('BENCH_QUICK must be 0 or 1, got "yes"');
  });
});
