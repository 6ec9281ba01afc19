/**
 * Run's maps, one table per map (MapTable), decoded through BTF by the server and formatted as the
 * lab declares: while the workload runs, the newest snapshot (refreshed up to four times a
 * second), then the maps after the workload from the Run's reply. Each entry's first number has a
 * small chart of its readings over the run; a per-CPU map shows values summed, each CPU's on
 * request.
 */
'use client';

import { useState } from 'react';
import type { RecordedMap } from '@/server/protocol/lab';
import styles from './LiveMaps.module.css';
import labStyles from './lab.module.css';
import { type LiveMapRow, type LiveMapsHistory, liveMapViews, secondsText } from './live-maps';
import { MapTable } from './MapTable';
import { sparklinePoints } from './sparkline';

const CHART = { width: 64, height: 16 } as const;

export function LiveMaps({
  labId,
  maps,
  history,
  final,
}: {
  labId: string;
  maps: readonly RecordedMap[];
  history: LiveMapsHistory | undefined;
  /** `maps` are the Run's final ones; otherwise they are the newest snapshot's. */
  final: boolean;
}) {
  const headingId = `lab-${labId}-run-maps`;
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setExpanded((open) => {
      const next = new Set(open);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  return (
    <section className={labStyles.runRecorded} aria-labelledby={headingId}>
      <h5 id={headingId} className={labStyles.subheading}>
        {final ? 'Maps after the workload' : 'Maps while the workload runs'}
      </h5>
      {history && (
        <p className={labStyles.runRecordedCount}>
          {final
            ? `Charts: ${history.snapshots} ${history.snapshots === 1 ? 'reading' : 'readings'} while the workload ran, then the map after it.`
            : `Updated ${history.snapshots} ${history.snapshots === 1 ? 'time' : 'times'}, ${secondsText(history.tMs)} after the programs were attached.`}
        </p>
      )}
      {maps.length === 0 && <p className={labStyles.runRecordedNone}>The program has no maps to show.</p>}
      {liveMapViews(maps, history, final).map((map) => (
        <MapTable
          key={map.name}
          label={`Map ${map.name}`}
          caption={map.caption}
          columns={map.rows.length > 0 ? [...map.columns, ...(map.perCpu ? ['Per CPU'] : [])] : []}
        >
          {map.rows.map((row) => (
            <Row
              key={row.id}
              row={row}
              valueFields={map.valueFields}
              open={expanded.has(row.id)}
              onToggle={map.perCpu ? () => toggle(row.id) : null}
            />
          ))}
        </MapTable>
      ))}
    </section>
  );
}

function Row({
  row,
  valueFields,
  open,
  onToggle,
}: {
  row: LiveMapRow;
  valueFields: readonly string[];
  open: boolean;
  onToggle: (() => void) | null;
}) {
  const keyText = row.cells.slice(0, row.cells.length - valueFields.length).join(' ');
  return (
    <>
      <tr>
        {row.cells.map((cell, j) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: cells follow the columns
          <td key={j}>
            {cell}
            {j === row.chartCell && row.chart && (
              <Sparkline values={row.chart.values} label={row.chart.label} />
            )}
          </td>
        ))}
        {onToggle && (
          <td>
            <button type="button" className={styles.perCpuButton} aria-expanded={open} onClick={onToggle}>
              {open ? 'Hide' : 'Show'} {row.perCpu?.length ?? 0} CPUs
            </button>
          </td>
        )}
      </tr>
      {open && row.perCpu && (
        <tr>
          <td colSpan={row.cells.length + 1}>
            <ul className={styles.perCpuList} aria-label={`Each CPU's value of ${keyText}`}>
              {row.perCpu.map((cells, cpu) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: CPUs are numbered by position
                <li key={cpu}>
                  CPU {cpu}: {valueFields.map((field, k) => `${field} ${cells[k] ?? '—'}`).join(', ')}
                </li>
              ))}
            </ul>
          </td>
        </tr>
      )}
    </>
  );
}

function Sparkline({ values, label }: { values: number[]; label: string }) {
  const { width, height } = CHART;
  return (
    <svg className={styles.sparkline} role="img" aria-label={label} width={width} height={height}>
      <polyline
        points={sparklinePoints(values, width, height - 2)}
        transform="translate(0 1)"
        fill="none"
        stroke="currentColor"
        strokeWidth={1.5}
        strokeLinejoin="round"
      />
    </svg>
  );
}
