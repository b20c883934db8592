/**
 * The table `bench/incident-point-reads.ts` prints: one row a measure, the side without the index,
 * the side with it, and the gain: the cost without over the cost with (reads a second: with over
 * without), so above 1 means the index helped and below 1 that it cost.
 */
import type { PerOperation, SideResult } from './measure.ts';

/** A number with three significant digits (at least the units), as the results tables print them. */
export function figure(value: number): string {
  if (!Number.isFinite(value)) return '—';
  if (Math.abs(value) >= 100) return value.toFixed(0);
  return value.toPrecision(3);
}

/** `without / with` as `12.3x`, or `—` when either is missing or the divisor is 0. */
export function ratio(without: number | undefined, withIndex: number | undefined): string {
  if (without === undefined || withIndex === undefined || withIndex === 0) return '—';
  return `${figure(without / withIndex)}x`;
}

function operation(label: string, a: PerOperation, b: PerOperation): string[] {
  const rows = [
    `| ${label}: CPU ms each (${a.count}) | ${figure(a.cpuMs)} | ${figure(b.cpuMs)} | ${ratio(a.cpuMs, b.cpuMs)} |`,
    `| ${label}: wall ms each | ${figure(a.wallMs)} | ${figure(b.wallMs)} | ${ratio(a.wallMs, b.wallMs)} |`,
  ];
  if (a.p99WallMs !== undefined && b.p99WallMs !== undefined) {
    rows.push(
      `| ${label}: p99 wall ms | ${figure(a.p99WallMs)} | ${figure(b.p99WallMs)} | ${ratio(a.p99WallMs, b.p99WallMs)} |`,
    );
  }
  return rows;
}

/** The Markdown table of both sides (see the file's header). */
export function resultTable(without: SideResult, withIndex: SideResult): string {
  const a = without;
  const b = withIndex;
  const row = (label: string, x: number, y: number) =>
    `| ${label} | ${figure(x)} | ${figure(y)} | ${ratio(x, y)} |`;
  return [
    `| ${a.incidents} incidents | without the index | with the index | gain |`,
    '| --- | --- | --- | --- |',
    `| point read's scan (EXPLAIN ANALYZE) | ${a.pointReadScan} | ${b.pointReadScan} | |`,
    ...operation('cold read', a.coldRead, b.coldRead),
    ...operation('warm read (answer cache)', a.warmRead, b.warmRead),
    ...operation(
      `cold reads, ${a.concurrentRead.callers} callers at once`,
      a.concurrentRead,
      b.concurrentRead,
    ),
    `| cold reads, callers at once: reads a second | ${figure(a.concurrentRead.perSecond)} | ${figure(
      b.concurrentRead.perSecond,
    )} | ${ratio(b.concurrentRead.perSecond, a.concurrentRead.perSecond)} |`,
    ...operation('update by id', a.update, b.update),
    ...operation('delete by id', a.delete, b.delete),
    row(`upsert of ${a.upsert.rows} known rows (ingest): wall ms`, a.upsert.wallMs, b.upsert.wallMs),
    row('upsert: CPU ms', a.upsert.cpuMs, b.upsert.cpuMs),
    row('ingest into the empty table: wall ms', a.ingest.wallMs, b.ingest.wallMs),
    row('ingest: CPU ms', a.ingest.cpuMs, b.ingest.cpuMs),
    row('ingest: peak RSS MB (open + ingest)', a.ingest.peakRssMb, b.ingest.peakRssMb),
    row('file MB after the checkpoint', a.fileMb, b.fileMb),
    row('reopen: wall ms', a.openWallMs, b.openWallMs),
    row('first read after reopening: wall ms', a.firstReadWallMs, b.firstReadWallMs),
    row('peak RSS MB of the side', a.peakRssMb, b.peakRssMb),
    `| building the index on the ingested rows (migration 8 on an existing database): wall ms / CPU ms | ${
      a.createIndex ? `${figure(a.createIndex.wallMs)} / ${figure(a.createIndex.cpuMs)}` : '—'
    } | | |`,
  ].join('\n');
}
