/**
 * A sparkline's geometry and words, for the small charts of Run's live maps (LiveMaps.tsx): the
 * points of an SVG polyline for a series of numbers, newest at the right, and the sentence that
 * names it for assistive technology. Pure, so the chart is drawn without a chart library.
 */

/** The polyline's `points` for `values` in a `width` × `height` box, or '' for none. */
export function sparklinePoints(values: readonly number[], width: number, height: number): string {
  if (values.length === 0) return '';
  // Counts are read against zero: a count going from 90 to 99 is drawn as nearly flat, not a climb.
  const low = Math.min(0, ...values);
  const high = Math.max(...values);
  const span = high - low;
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const y = (v: number) => (span === 0 ? height / 2 : height - ((v - low) / span) * height);
  const points = values.map((v, i) => `${round(i * step)},${round(y(v))}`);
  // One value is a flat line across the box rather than a dot.
  return values.length === 1
    ? `0,${round(y(values[0]!))} ${width},${round(y(values[0]!))}`
    : points.join(' ');
}

/** "flows 127.0.1.1 … over the run: 3, rising to 97 (6 readings)" */
export function sparklineLabel(what: string, values: readonly number[]): string {
  if (values.length === 0) return `${what}: no readings yet`;
  const first = values[0]!;
  const last = values.at(-1)!;
  const readings = `${values.length} ${values.length === 1 ? 'reading' : 'readings'}`;
  const trend =
    last > first
      ? `${first}, rising to ${last}`
      : last < first
        ? `${first}, falling to ${last}`
        : `${last}, unchanged`;
  return `${what} over the run: ${trend} (${readings})`;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
