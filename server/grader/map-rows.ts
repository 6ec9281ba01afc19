/**
 * A map's entries as the page shows them (protocol `RecordedMap`), for Run's maps after the
 * workload and its live snapshots alike: key and value fields formatted as the lab's map checks on
 * that map declare (IPv4 dotted, ports, hex), a per-CPU map's values summed with each CPU's value
 * beside them, and each value's fields as numbers for the page's chart over time.
 */
import { type FieldFormats, integerOf } from '../labs/map-format.js';
import type { LabManifest } from '../labs/schema.js';
import { type RecordedEntry, type RecordedMap, RUN_RECORD_LIMITS } from '../protocol/lab.js';
import type { MapEntry } from './evidence.js';
import { cellsOf, columnsOf } from './map-compare.js';

/** The runner's per-CPU map types (libbpf_bpf_map_type_str). */
const PER_CPU_TYPES: ReadonlySet<string> = new Set([
  'percpu_hash',
  'percpu_array',
  'lru_percpu_hash',
  'percpu_cgroup_storage',
]);

/** What a sum of per-CPU values that are not numbers and differ between CPUs shows. */
export const DIFFERS_PER_CPU = 'differs per CPU';

/** A map as read from the runner: its entries, or its first entries when `truncated`. */
export interface MapRead {
  name: string;
  mapType: string | undefined;
  entries: readonly MapEntry[];
  truncated?: boolean;
}

/**
 * The maps a Run shows, bounded by RUN_RECORD_LIMITS: not read-only data, which holds the
 * program's constants rather than anything it recorded.
 */
export function mapTablesOf(manifest: LabManifest, maps: readonly MapRead[]): RecordedMap[] {
  return maps
    .filter((m) => !m.name.startsWith('.rodata'))
    .slice(0, RUN_RECORD_LIMITS.maps)
    .map((m) => {
      const table = mapRowsOf(
        formatsOf(manifest, m.name),
        m.name,
        m.mapType,
        m.entries,
        RUN_RECORD_LIMITS.entriesPerMap,
      );
      return m.truncated ? { ...table, truncated: true } : table;
    });
}

/**
 * The map's first `shown` entries as rows (totalEntries counts them all). `mapType` is the
 * runner's; a per-CPU map's values are arrays with one element per CPU.
 */
export function mapRowsOf(
  formats: FieldFormats,
  name: string,
  mapType: string | undefined,
  entries: readonly MapEntry[],
  shown: number,
): RecordedMap {
  const rows = entries.slice(0, shown);
  const perCpu = mapType !== undefined && PER_CPU_TYPES.has(mapType);
  const values = rows.map((e) => (perCpu && Array.isArray(e.value) ? sumOverCpus(e.value) : e.value));
  const keyFields = columnsOf(
    rows.map((e) => e.key),
    'key',
  );
  const valueFields = columnsOf(values, 'value');
  const cpus = perCpu ? Math.max(0, ...rows.map((e) => (Array.isArray(e.value) ? e.value.length : 0))) : 0;
  return {
    name,
    keyFields,
    valueFields,
    entries: rows.map((e, i): RecordedEntry => {
      const value = values[i];
      return {
        key: cellsOf(e.key, keyFields, formats),
        value: cellsOf(value, valueFields, formats),
        ...(perCpu && Array.isArray(e.value)
          ? { perCpu: e.value.map((v) => cellsOf(v, valueFields, formats)) }
          : {}),
        numbers: numbersOf(value, valueFields),
      };
    }),
    totalEntries: entries.length,
    ...(perCpu ? { cpus } : {}),
  };
}

/** The field formats every map check on this map declares, together. */
function formatsOf(manifest: LabManifest, map: string): FieldFormats {
  return Object.assign(
    {},
    ...manifest.checks.flatMap((c) => (c.type === 'map' && c.map === map && c.format ? [c.format] : [])),
  );
}

/**
 * One value from each CPU's: numbers added (integers exactly, as the runner writes big ones as
 * decimal strings), structs field by field, anything else kept when every CPU holds the same.
 */
export function sumOverCpus(values: readonly unknown[]): unknown {
  if (values.length > 0 && values.every(isRecord)) {
    const fields = [...new Set(values.flatMap((v) => Object.keys(v)))];
    return Object.fromEntries(fields.map((f) => [f, sumOverCpus(values.map((v) => v[f]))]));
  }
  if (values.every((v) => integerText(v) !== undefined)) {
    const sum = values.reduce<bigint>((total, v) => total + BigInt(integerText(v)!), 0n);
    return Number.isSafeInteger(Number(sum)) ? Number(sum) : sum.toString();
  }
  if (values.every((v) => typeof v === 'number')) return values.reduce<number>((a, v) => a + v, 0);
  const first = JSON.stringify(values[0]);
  return values.every((v) => JSON.stringify(v) === first) ? values[0] : DIFFERS_PER_CPU;
}

/** Each value field as a number (a big integer rounded), or null. */
function numbersOf(value: unknown, fields: readonly string[]): (number | null)[] {
  const parts = isRecord(value) ? fields.map((f) => value[f]) : [value];
  return parts.map((v) => {
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    const text = integerText(v);
    return text === undefined ? null : (integerOf(v) ?? Number(text));
  });
}

/** An integer as decimal text (a JS integer, or the runner's string for one beyond 2^53). */
function integerText(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return String(v);
  return typeof v === 'string' && /^-?\d+$/.test(v) ? v : undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
