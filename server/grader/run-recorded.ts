/**
 * What a Run's reply shows of the program's records (protocol `RunRecorded`): its first
 * ring-buffer records as JSON, and each map after the workload as a table whose fields are
 * formatted as the lab's map checks on that map declare (IPv4 dotted, ports, hex). Bounded by
 * RUN_RECORD_LIMITS, so a program that fills a 10 000-entry map does not flood the page.
 */
import type { FieldFormats } from '../labs/map-format.js';
import type { LabManifest } from '../labs/schema.js';
import { type RecordedMap, RUN_RECORD_LIMITS, type RunRecorded } from '../protocol/lab.js';
import type { RunEvidence } from './evidence.js';
import { cellsOf, columnsOf } from './map-compare.js';

export function recordedOf(manifest: LabManifest, run: RunEvidence): RunRecorded {
  const maps = [...run.maps]
    // Read-only data holds the program's constants, not anything it recorded.
    .filter(([name]) => !name.startsWith('.rodata'))
    .slice(0, RUN_RECORD_LIMITS.maps)
    .map(([name, entries]): RecordedMap => {
      const shown = entries.slice(0, RUN_RECORD_LIMITS.entriesPerMap);
      const formats = formatsOf(manifest, name);
      const keyFields = columnsOf(
        shown.map((e) => e.key),
        'key',
      );
      const valueFields = columnsOf(
        shown.map((e) => e.value),
        'value',
      );
      return {
        name,
        keyFields,
        valueFields,
        entries: shown.map((e) => ({
          key: cellsOf(e.key, keyFields, formats),
          value: cellsOf(e.value, valueFields, formats),
        })),
        totalEntries: entries.length,
      };
    });
  return {
    events: run.events.slice(0, RUN_RECORD_LIMITS.events).map((e) => cut(JSON.stringify(e))),
    eventCount: run.events.length,
    maps,
  };
}

/** The field formats every map check on this map declares, together. */
function formatsOf(manifest: LabManifest, map: string): FieldFormats {
  return Object.assign(
    {},
    ...manifest.checks.flatMap((c) => (c.type === 'map' && c.map === map && c.format ? [c.format] : [])),
  );
}

/** A record's JSON, cut at RUN_RECORD_LIMITS.eventChars (a record may hold a 4 KiB buffer). */
function cut(json: string): string {
  return json.length > RUN_RECORD_LIMITS.eventChars
    ? `${json.slice(0, RUN_RECORD_LIMITS.eventChars)}…`
    : json;
}
