/**
 * Program checks: one loaded program judged on what the kernel reports about it after the run —
 * its type, where it is attached, its size after the verifier's rewrites, the instructions the
 * verifier processed to accept it, how often it ran and how long a run took on average. A failure
 * names each number that is out of bounds beside its bound, in the learner's words.
 */
import type { CheckOf } from '../labs/schema.js';
import type { CheckResult } from '../protocol/lab.js';
import type { Evidence, ProgramStats } from './evidence.js';
import { sameSection } from './sections.js';

type Verdict = Pick<CheckResult, 'status' | 'expected' | 'actual'>;
type Bounds = { min?: number | undefined; max?: number | undefined };

/** What was asked and what was found, for one fact of the program. */
interface Finding {
  expected: string;
  actual: string;
  ok: boolean;
}

export function programVerdict(check: CheckOf<'program'>, e: Evidence): Verdict {
  const programs = e.run?.programs ?? [];
  const program = programs.find((p) => p.name === check.program);
  const findings = program ? judgeProgram(check, program) : [];
  const expected = findings.map((f) => f.expected).join('; ') || `a program named ${check.program}`;
  if (!program) {
    const loaded = programs.map((p) => p.name).join(', ') || 'none';
    return {
      status: 'failed',
      expected,
      actual: `no program named ${check.program} was loaded; the kernel reported: ${loaded}`,
    };
  }
  const failed = findings.filter((f) => !f.ok);
  return failed.length === 0
    ? { status: 'passed', expected, actual: findings.map((f) => f.actual).join('; ') }
    : { status: 'failed', expected, actual: failed.map((f) => f.actual).join('\n') };
}

function judgeProgram(check: CheckOf<'program'>, p: ProgramStats): Finding[] {
  const findings: Finding[] = [];
  const name = check.program;
  if (check.progType !== undefined) {
    findings.push({
      expected: `${name} is a ${check.progType} program`,
      actual: `${name} is a ${p.type} program`,
      ok: p.type === check.progType,
    });
  }
  if (check.attach !== undefined) {
    findings.push({
      expected: `attached to ${check.attach}`,
      actual:
        p.target === undefined
          ? `${name} was not attached (section ${p.section})`
          : `${name} is attached to ${p.target} (section ${p.section})`,
      ok: p.target === check.attach || sameSection(p.section, check.attach),
    });
  }
  if (check.instructions !== undefined) {
    findings.push(
      counted(
        check.instructions,
        p.instructions,
        (n) => `${name} is ${n} instructions long as the kernel runs it (after the verifier's rewrites)`,
        'instructions',
      ),
    );
  }
  if (check.processedInstructions !== undefined) {
    const bounds = check.processedInstructions;
    findings.push(
      p.processedInstructions === null
        ? {
            expected: `${boundsInWords(bounds)} processed instructions`,
            actual: 'the kernel did not say how many instructions the verifier processed',
            ok: false,
          }
        : counted(
            bounds,
            p.processedInstructions,
            (n) => `your program took ${n} processed instructions`,
            'processed instructions',
          ),
    );
  }
  if (check.runCount !== undefined) {
    const runs = (check.runCount.max ?? check.runCount.min) === 1 ? 'run' : 'runs';
    findings.push(
      p.statsEnabled
        ? counted(check.runCount, p.runCount, (n) => `${name} ran ${times(n)} during the workload`, runs)
        : notCounted(`${boundsInWords(check.runCount)} ${runs}`),
    );
  }
  if (check.averageRunNs !== undefined) {
    const bounds = check.averageRunNs;
    const expected = `${boundsInWords(bounds)} ns per run on average`;
    if (!p.statsEnabled) findings.push(notCounted(expected));
    else if (p.runCount === 0)
      findings.push({
        expected,
        actual: `${name} never ran during the workload, so it has no average run time`,
        ok: false,
      });
    else {
      const average = Math.round(p.runTimeNs / p.runCount);
      findings.push(
        counted(
          bounds,
          average,
          (n) => `${name} took ${n} ns per run on average over ${p.runCount} runs`,
          'ns',
        ),
      );
    }
  }
  return findings;
}

/**
 * A number against its bounds: "your program took 412 processed instructions; the budget is at
 * most 300 processed instructions" (a lower bound is what "the lab asks for").
 */
function counted(bounds: Bounds, n: number, saying: (n: number) => string, unit: string): Finding {
  const ok = (bounds.min === undefined || n >= bounds.min) && (bounds.max === undefined || n <= bounds.max);
  const budget = `${boundsInWords(bounds)} ${unit}`;
  const bound = bounds.min === undefined ? 'the budget is' : 'the lab asks for';
  return { expected: budget, actual: ok ? saying(n) : `${saying(n)}; ${bound} ${budget}`, ok };
}

function notCounted(expected: string): Finding {
  return {
    expected,
    actual:
      'the kernel did not count runs: its run statistics (kernel.bpf_stats_enabled) could not be turned on for this run',
    ok: false,
  };
}

export function boundsInWords(b: Bounds): string {
  if (b.min !== undefined && b.max !== undefined) return `between ${b.min} and ${b.max}`;
  return b.max !== undefined ? `at most ${b.max}` : `at least ${b.min}`;
}

function times(n: number): string {
  return n === 1 ? 'once' : `${n} times`;
}
