/**
 * Run's live maps: the runner's `maps` snapshots (`--map-every`, asked for only when a Run
 * listens) turned into the rows the page shows (map-rows.ts), and the pacing of their way to the
 * learner's socket: at most LIVE_MAPS_PER_SECOND a second, only the newest kept while waiting,
 * nothing queued, so a big map or a slow socket costs one pending snapshot at most.
 */
import type { LabManifest } from '../labs/schema.js';
import { LIVE_MAPS_PER_SECOND, type LiveMapsEvent, RUN_RECORD_LIMITS } from '../protocol/lab.js';
import { mapTablesOf } from './map-rows.js';
import type { MapsSnapshot } from './runner-protocol.js';

/** What a Run asks the runner for: a snapshot as often as the page may get one, bounded like `recorded`. */
export const LIVE_MAP_ARGS: readonly string[] = [
  '--map-every',
  String(1000 / LIVE_MAPS_PER_SECOND),
  '--map-every-limit',
  String(RUN_RECORD_LIMITS.entriesPerMap),
];

export type LiveMaps = Omit<LiveMapsEvent, 'labId'>;

export function liveMapsOf(manifest: LabManifest, snapshot: MapsSnapshot): LiveMaps {
  return {
    tMs: snapshot.t_ms,
    maps: mapTablesOf(
      manifest,
      snapshot.maps.map((m) => ({
        name: m.name,
        mapType: m.map_type,
        entries: m.entries,
        truncated: m.truncated,
      })),
    ),
  };
}

/**
 * Passes on at most one value per `intervalMs`: one offered sooner waits for the interval's end,
 * replacing any older one still waiting. `stop` drops what waits and ignores later offers.
 */
export class NewestEvery<T> {
  private lastSent = Number.NEGATIVE_INFINITY;
  private waiting: { value: T } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly intervalMs: number,
    private readonly send: (value: T) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  offer(value: T): void {
    if (this.stopped) return;
    const wait = this.lastSent + this.intervalMs - this.now();
    if (wait <= 0 && !this.timer) {
      this.pass(value);
      return;
    }
    this.waiting = { value };
    this.timer ??= setTimeout(() => {
      this.timer = null;
      const next = this.waiting;
      this.waiting = null;
      if (next) this.pass(next.value);
    }, wait);
  }

  stop(): void {
    this.stopped = true;
    this.waiting = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private pass(value: T): void {
    this.lastSent = this.now();
    this.send(value);
  }
}
