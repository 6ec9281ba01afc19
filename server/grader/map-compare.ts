/**
 * Compares a dumped map with a map check's expected entries. Keys must be equal; values match
 * field by field (only the fields the lab lists), numbers within the check's tolerance. A failed
 * check gets a diff (protocol `MapDiff`): every expected entry beside what the map held, the map's
 * other entries, fields formatted as the lab declares (`format`), and the common mistakes
 * recognised by comparison, each with a note for the learner: a key stored with a field's bytes
 * swapped (no bpf_ntohs / bpf_ntohl), counts that are an exact multiple or fraction of the
 * expected, counts one off.
 */
import {
  type FieldFormats,
  formatWidth,
  integerOf,
  isNetworkOrder,
  readEntryPart,
  showFormatted,
  swapBytes,
} from '../labs/map-format.js';
import type { CheckOf } from '../labs/schema.js';
import type { MapDiff, MapDiffCell, MapDiffRow } from '../protocol/lab.js';
import type { MapEntry } from './evidence.js';

/** Rows a diff carries at most, and of them rows for entries the check does not expect. */
const MAX_ROWS = 60;
const MAX_EXTRA_ROWS = 20;

export interface MapVerdict {
  status: 'passed' | 'failed';
  expected: string;
  actual?: string;
  mapDiff?: MapDiff;
}

export function compareMap(check: CheckOf<'map'>, entries: readonly MapEntry[]): MapVerdict {
  const formats = check.format ?? {};
  // Expected values may be written in their field's format (`saddr: 127.0.1.1`): read them as the map holds them.
  const wanted: MapEntry[] = check.entries.map((e) => ({
    key: readEntryPart(e.key, 'key', formats).value,
    value: readEntryPart(e.value, 'value', formats).value,
  }));
  const table = new EntryTable(wanted, formats);
  const tolerance = check.tolerance;

  const taken = new Set<number>();
  const rows: MapDiffRow[] = [];
  const missing: number[] = [];
  wanted.forEach((want, i) => {
    const j = entries.findIndex((e, j) => !taken.has(j) && sameKey(e.key, want.key));
    if (j < 0) {
      missing.push(i);
      return;
    }
    taken.add(j);
    rows[i] = table.row(want, entries[j]!, valueNote(want.value, entries[j]!.value, tolerance));
  });
  const others = entries.flatMap((_, j) => (taken.has(j) ? [] : [j]));
  for (const i of missing) {
    const want = wanted[i]!;
    const pair = others
      .map((j) => ({ j, swapped: swappedFields(want.key, entries[j]!.key, formats) }))
      .find((p) => p.swapped !== null);
    if (!pair?.swapped) {
      rows[i] = table.row(want, null);
      continue;
    }
    others.splice(others.indexOf(pair.j), 1);
    const found = entries[pair.j]!;
    const swapped = pair.swapped;
    const note = [swapNote(swapped, formats), valueNote(want.value, found.value, tolerance)];
    rows[i] = { ...table.row(want, found, undefined), kind: 'wrong', note: note.filter(Boolean).join('. ') };
  }

  const summary = `${check.map}: ${wanted.map((e) => table.text(e)).join(', ')}${tolerance > 0 ? ` (± ${tolerance})` : ''}${check.exhaustive ? ', and nothing else' : ''}`;
  const failed = rows.some((r) => r.kind !== 'ok') || (check.exhaustive && others.length > 0);
  if (!failed) return { status: 'passed', expected: summary };

  // The map's other entries fail an exhaustive check; otherwise they are shown only where an
  // expected entry is missing, as what the program stored instead.
  const showOthers = check.exhaustive || rows.some((r) => r.kind === 'missing');
  const extraRows = showOthers ? others.map((j) => table.row(null, entries[j]!)) : [];
  const shownExtra = extraRows.slice(0, MAX_EXTRA_ROWS);
  const allRows = [...rows, ...shownExtra];
  const mapDiff: MapDiff = {
    map: check.map,
    keyFields: table.keyFields,
    valueFields: table.valueFields,
    rows: allRows.slice(0, MAX_ROWS),
    omittedRows: extraRows.length - shownExtra.length + Math.max(0, allRows.length - MAX_ROWS),
    totalEntries: entries.length,
    exhaustive: check.exhaustive,
  };
  return { status: 'failed', expected: summary, actual: diffText(mapDiff, table), mapDiff };
}

/** The diff in words, one line per entry that is not as expected. */
function diffText(diff: MapDiff, table: EntryTable): string {
  if (diff.totalEntries === 0) return `${diff.map} is empty: the program stored nothing in it.`;
  const expectedRows = diff.rows.filter((r) => r.kind !== 'extra');
  const matching = expectedRows.filter((r) => r.kind === 'ok').length;
  const lines = [
    `${diff.map} holds ${plural(diff.totalEntries, 'entry', 'entries')}; ${matching} of ${expectedRows.length} expected match.`,
  ];
  for (const row of diff.rows) {
    const mine = table.cellsText(row, 'actual');
    const theirs = table.cellsText(row, 'expected');
    const note = row.note ? `: ${row.note}` : '';
    if (row.kind === 'missing') lines.push(`missing ${theirs}`);
    else if (row.kind === 'extra')
      lines.push(`${diff.exhaustive ? 'unexpected' : 'also in the map:'} ${mine}`);
    else if (row.kind === 'wrong') lines.push(`${mine}, expected ${theirs}${note}`);
  }
  if (diff.omittedRows > 0) lines.push(`… and ${plural(diff.omittedRows, 'more entry', 'more entries')}`);
  return lines.join('\n');
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * The columns of a set of keys or values: the fields of those that are objects, in order of
 * first appearance, or the one field `key` / `value` when they are plain.
 */
export function columnsOf(parts: readonly unknown[], whole: 'key' | 'value'): string[] {
  const fields = new Set<string>();
  for (const p of parts) if (isObject(p)) for (const f of Object.keys(p)) fields.add(f);
  return fields.size > 0 ? [...fields] : [whole];
}

/** A key or value as one cell per column, each formatted as declared; a field it lacks is "—". */
export function cellsOf(v: unknown, fields: readonly string[], formats: FieldFormats): string[] {
  if (!isObject(v))
    return fields.length === 1 ? [showFormatted(v, formats[fields[0]!])] : fields.map(() => '—');
  return fields.map((f) => (f in v ? showFormatted(v[f], formats[f]) : '—'));
}

/** The expected entries' columns, and their rows, cells and text. */
class EntryTable {
  readonly keyFields: string[];
  readonly valueFields: string[];

  constructor(
    wanted: readonly MapEntry[],
    private readonly formats: FieldFormats,
  ) {
    this.keyFields = columnsOf(
      wanted.map((e) => e.key),
      'key',
    );
    this.valueFields = columnsOf(
      wanted.map((e) => e.value),
      'value',
    );
  }

  /** An expected entry beside what the map holds for it (null: nothing), or an entry not expected. */
  row(want: MapEntry | null, found: MapEntry | null, note?: string): MapDiffRow {
    const kind = !want ? 'extra' : !found ? 'missing' : note === undefined ? 'ok' : 'wrong';
    return {
      kind,
      key: this.cells(want?.key, found?.key, this.keyFields),
      value: this.cells(want?.value, found?.value, this.valueFields),
      ...(note ? { note } : {}),
    };
  }

  /** `{saddr: 127.0.1.1, sport: 9001} → 40` */
  text(entry: MapEntry): string {
    return this.cellsText(
      {
        key: this.cells(entry.key, undefined, this.keyFields),
        value: this.cells(entry.value, undefined, this.valueFields),
      },
      'expected',
    );
  }

  cellsText(row: Pick<MapDiffRow, 'key' | 'value'>, side: keyof MapDiffCell): string {
    const part = (cells: MapDiffCell[], fields: string[], whole: string) =>
      fields.length === 1 && fields[0] === whole
        ? (cells[0]?.[side] ?? '—')
        : `{${fields.map((f, i) => `${f}: ${cells[i]?.[side] ?? '—'}`).join(', ')}}`;
    return `${part(row.key, this.keyFields, 'key')} → ${part(row.value, this.valueFields, 'value')}`;
  }

  private cells(want: unknown, found: unknown, fields: string[]): MapDiffCell[] {
    const expected = want === undefined ? undefined : cellsOf(want, fields, this.formats);
    const actual = found === undefined ? undefined : cellsOf(found, fields, this.formats);
    return fields.map((_, i) => ({
      ...(expected ? { expected: expected[i]! } : {}),
      ...(actual ? { actual: actual[i]! } : {}),
    }));
  }
}

/** A key field that holds the expected number with its bytes swapped. */
interface SwappedField {
  field: string;
  expected: number;
  actual: number;
  width: 2 | 4;
}

/**
 * The fields of `actual` that are those of `wanted` byte-swapped, when every other field equals
 * the expected one (a plain key is the field `key`); null when the keys differ otherwise.
 */
function swappedFields(wanted: unknown, actual: unknown, formats: FieldFormats): SwappedField[] | null {
  if (!isObject(wanted)) {
    const s = swapped('key', wanted, actual, formats);
    return s ? [s] : null;
  }
  if (!isObject(actual) || Object.keys(actual).length !== Object.keys(wanted).length) return null;
  const found: SwappedField[] = [];
  for (const [field, w] of Object.entries(wanted)) {
    if (matches(actual[field], w, 0)) continue;
    const s = swapped(field, w, actual[field], formats);
    if (!s) return null;
    found.push(s);
  }
  return found.length > 0 ? found : null;
}

function swapped(
  field: string,
  wanted: unknown,
  actual: unknown,
  formats: FieldFormats,
): SwappedField | null {
  const e = integerOf(wanted);
  const a = integerOf(actual);
  if (e === undefined || a === undefined || e === a || e < 0 || a < 0) return null;
  // A declared port or address has its width; an undeclared field is tried as 16 and 32 bits.
  const declared = formatWidth(formats[field]);
  for (const width of declared ? [declared] : ([2, 4] as const)) {
    const max = width === 2 ? 0xffff : 0xffffffff;
    if (e <= max && a <= max && swapBytes(e, width) === a) return { field, expected: e, actual: a, width };
  }
  return null;
}

/** "sport 10531 is 9001 with its two bytes swapped: …, convert with bpf_ntohs" */
function swapNote(fields: SwappedField[], formats: FieldFormats): string {
  const what = fields
    .map((s) => {
      const name = s.field === 'key' ? 'the key' : s.field;
      const order = s.width === 2 ? 'its two bytes swapped' : 'its four bytes in reverse order';
      return `${name} ${showFormatted(s.actual, formats[s.field])} is ${showFormatted(s.expected, formats[s.field])} with ${order}`;
    })
    .join('; ');
  const keptInNetworkOrder = fields.filter((s) => isNetworkOrder(formats[s.field]));
  const converted = fields.filter((s) => !isNetworkOrder(formats[s.field]));
  const helpers = [...new Set(converted.map((s) => (s.width === 2 ? 'bpf_ntohs' : 'bpf_ntohl')))];
  const advice = [
    converted.length > 0 &&
      `packet headers are in network byte order, and this lab stores ${names(converted)} in host order: convert with ${helpers.join(' and ')}`,
    keptInNetworkOrder.length > 0 &&
      `this lab keeps ${names(keptInNetworkOrder)} in network byte order, as in the packet: store ${keptInNetworkOrder.length === 1 ? 'it' : 'them'} without converting`,
  ].filter(Boolean);
  return `Stored under the wrong key: ${what}. ${capitalise(advice.join('; '))}`;
}

function names(fields: SwappedField[]): string {
  return fields.map((s) => (s.field === 'key' ? 'the key' : s.field)).join(' and ');
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * What a wrong value (or a value's numeric field) has in common with the expected one: an exact
 * multiple, an exact fraction, one off. `undefined` when the value matches.
 */
function valueNote(wanted: unknown, actual: unknown, tolerance: number): string | undefined {
  if (matches(actual, wanted, tolerance)) return undefined;
  if (isObject(wanted) && isObject(actual)) {
    const notes = Object.entries(wanted).flatMap(([field, w]) => {
      if (matches(actual[field], w, tolerance)) return [];
      const note = numberNote(integerOf(w), integerOf(actual[field]));
      return note ? [`${field}: ${note}`] : [];
    });
    return notes.join('; ');
  }
  return numberNote(integerOf(wanted), integerOf(actual)) ?? '';
}

function numberNote(e: number | undefined, a: number | undefined): string | undefined {
  if (e === undefined || a === undefined || e === a) return undefined;
  if (e > 0 && a > e && a % e === 0) {
    const k = a / e;
    return k === 2
      ? 'exactly twice the expected count: is every packet counted twice?'
      : `exactly ${k} times the expected count: is every packet counted ${k} times?`;
  }
  if (a > 0 && e > a && e % a === 0) {
    const k = e / a;
    return k === 2 ? 'exactly half the expected count' : `exactly 1/${k} of the expected count`;
  }
  if (a === e - 1) return 'one less than expected: is the packet that creates the entry counted too?';
  if (a === e + 1) return 'one more than expected: is the first packet counted twice?';
  return undefined;
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
