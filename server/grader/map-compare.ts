/**
 * Compares a dumped map with a map check's expected entries. Keys must be equal; values match
 * field by field (only the fields the lab lists), numbers within the check's tolerance.
 */
import type { CheckOf } from '../labs/schema.js';
import type { MapEntry } from './evidence.js';

export interface MapVerdict {
  status: 'passed' | 'failed';
  expected: string;
  actual?: string;
}

export function compareMap(check: CheckOf<'map'>, entries: readonly MapEntry[]): MapVerdict {
  const expected = check.entries.map((e) => `${show(e.key)} → ${show(e.value)}`);
  const problems: string[] = [];
  for (const want of check.entries) {
    const found = entries.find((e) => sameKey(e.key, want.key));
    if (!found) problems.push(`${show(want.key)} is missing`);
    else if (!matches(found.value, want.value, check.tolerance)) {
      problems.push(`${show(want.key)} → ${show(found.value)}`);
    }
  }
  if (check.exhaustive) {
    const extra = entries.filter((e) => !check.entries.some((want) => sameKey(e.key, want.key)));
    for (const e of extra.slice(0, 5)) problems.push(`unexpected ${show(e.key)} → ${show(e.value)}`);
    if (extra.length > 5) problems.push(`… and ${extra.length - 5} more unexpected entries`);
  }
  const tolerance = check.tolerance > 0 ? ` (± ${check.tolerance})` : '';
  const summary = `${check.map}: ${expected.join(', ')}${tolerance}${check.exhaustive ? ', and nothing else' : ''}`;
  return problems.length === 0
    ? { status: 'passed', expected: summary }
    : { status: 'failed', expected: summary, actual: problems.join('\n') };
}

/** Keys compare exactly; a number and its decimal string are the same key (BTF dumps big ints as strings). */
function sameKey(actual: unknown, wanted: unknown): boolean {
  return matches(actual, wanted, 0) && (isObject(wanted) ? sameFields(actual, wanted) : true);
}

function sameFields(actual: unknown, wanted: Record<string, unknown>): boolean {
  return isObject(actual) && Object.keys(actual).length === Object.keys(wanted).length;
}

function matches(actual: unknown, wanted: unknown, tolerance: number): boolean {
  const a = numeric(actual);
  const w = numeric(wanted);
  if (a !== undefined && w !== undefined) return Math.abs(a - w) <= tolerance;
  if (Array.isArray(wanted)) {
    return (
      Array.isArray(actual) &&
      actual.length === wanted.length &&
      wanted.every((w, i) => matches(actual[i], w, tolerance))
    );
  }
  if (isObject(wanted)) {
    return isObject(actual) && Object.entries(wanted).every(([k, w]) => matches(actual[k], w, tolerance));
  }
  return actual === wanted;
}

function numeric(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  return undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function show(v: unknown): string {
  return typeof v === 'string' ? `"${v}"` : JSON.stringify(v);
}
