/**
 * What a Run's reply shows of the program's records (protocol `RunRecorded`): its first
 * ring-buffer records as JSON, and each map after the workload as rows (map-rows.ts: fields in
 * the lab's formats, per-CPU values summed and per CPU). Bounded by
 * RUN_RECORD_LIMITS, so a program that fills a 10 000-entry map does not flood the page.
 */
import type { LabManifest } from '../labs/schema.js';
import { RUN_RECORD_LIMITS, type RunRecorded } from '../protocol/lab.js';
import type { RunEvidence } from './evidence.js';
import { mapTablesOf } from './map-rows.js';

export function recordedOf(manifest: LabManifest, run: RunEvidence): RunRecorded {
  const maps = mapTablesOf(
    manifest,
    [...run.maps].map(([name, entries]) => ({ name, mapType: run.mapTypes?.get(name), entries })),
  );
  return {
    events: run.events.slice(0, RUN_RECORD_LIMITS.events).map((e) => cut(JSON.stringify(e))),
    eventCount: run.events.length,
    maps,
  };
}

/** A record's JSON, cut at RUN_RECORD_LIMITS.eventChars (a record may hold a 4 KiB buffer). */
function cut(json: string): string {
  return json.length > RUN_RECORD_LIMITS.eventChars
    ? `${json.slice(0, RUN_RECORD_LIMITS.eventChars)}…`
    : json;
}
