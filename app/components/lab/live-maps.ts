/**
 * Run's maps as the page keeps and shows them (LiveMaps.tsx): the newest `lab:maps` snapshot with
 * each entry's charted number over the run, and the tables built from it, or from the Run's
 * final maps once its reply came (their numbers end each chart). Pure, for the reducer and tests.
 */
import type { LiveMapsEvent, RecordedEntry, RecordedMap } from '@/server/protocol/lab';
import { recordedMapView } from './results';
import { sparklineLabel } from './sparkline';

/** Readings a chart keeps, the oldest dropped first: a minute at four a second. */
export const MAX_READINGS = 240;

export interface LiveMapsHistory {
  /** The newest snapshot's maps. */
  maps: RecordedMap[];
  /** When it was taken, after the programs were attached. */
  tMs: number;
  /** Snapshots received this Run. */
  snapshots: number;
  /** Each entry's charted number over the run, by seriesId. */
  readings: Record<string, number[]>;
}

export function withSnapshot(
  history: LiveMapsHistory | undefined,
  event: Pick<LiveMapsEvent, 'tMs' | 'maps'>,
): LiveMapsHistory {
  const readings = { ...(history?.readings ?? {}) };
  for (const map of event.maps) {
    for (const entry of map.entries) {
      const n = chartedNumber(entry);
      if (n === null) continue;
      const id = seriesId(map.name, entry.key);
      readings[id] = [...(readings[id] ?? []), n].slice(-MAX_READINGS);
    }
  }
  return { maps: event.maps, tMs: event.tMs, snapshots: (history?.snapshots ?? 0) + 1, readings };
}

export interface LiveMapRow {
  id: string;
  cells: string[];
  /** Which cell holds the chart (the first number of the value), or -1. */
  chartCell: number;
  chart: { values: number[]; label: string } | null;
  /** Per-CPU maps: each CPU's value cells. */
  perCpu: string[][] | null;
}

export interface LiveMapView {
  name: string;
  caption: string;
  columns: string[];
  /** Value column names, for per-CPU rows. */
  valueFields: string[];
  perCpu: boolean;
  rows: LiveMapRow[];
}

/**
 * The tables to show: `maps` (a snapshot's, or the Run's final ones with `final`) with each
 * entry's readings so far, the final maps' numbers added as their last reading.
 */
export function liveMapViews(
  maps: readonly RecordedMap[],
  history: LiveMapsHistory | undefined,
  final: boolean,
): LiveMapView[] {
  return maps.map((map) => {
    const table = recordedMapView(map);
    const perCpu = map.cpus !== undefined;
    return {
      name: map.name,
      caption: perCpu ? `${table.caption} Values summed over ${map.cpus} CPUs.` : table.caption,
      columns: table.columns,
      valueFields: map.valueFields,
      perCpu,
      rows: map.entries.map((entry, i): LiveMapRow => {
        const id = seriesId(map.name, entry.key);
        const charted = chartedField(entry);
        const now = chartedNumber(entry);
        const readings = history?.readings[id] ?? [];
        const values = final && now !== null ? [...readings, now] : readings;
        const what = `${map.valueFields[charted] ?? 'value'} of ${entry.key.join(' ')}`;
        return {
          id,
          cells: table.rows[i]!,
          chartCell: charted < 0 ? -1 : map.keyFields.length + charted,
          chart: charted < 0 || values.length === 0 ? null : { values, label: sparklineLabel(what, values) },
          perCpu: entry.perCpu ?? null,
        };
      }),
    };
  });
}

/** "42.5 s" style seconds for the status line. */
export function secondsText(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function seriesId(map: string, key: readonly string[]): string {
  return JSON.stringify([map, ...key]);
}

function chartedField(entry: RecordedEntry): number {
  return entry.numbers?.findIndex((n) => n !== null) ?? -1;
}

function chartedNumber(entry: RecordedEntry): number | null {
  const i = chartedField(entry);
  return i < 0 ? null : (entry.numbers?.[i] ?? null);
}
