import type { Database } from '../../store/database.ts';

/**
 * The spec's anomaly summary, field for field.
 *
 * - `unresolved_anomalies`: status DETECTED, INVESTIGATING or CONFIRMED (a false positive is
 *   dismissed, not open).
 * - `false_positive_rate`: false positives / reviewed anomalies × 100, one decimal, as a string
 *   (`"8.5"`); reviewed = confirmed or marked false positive, including those resolved since.
 *   `"0.0"` when nothing has been reviewed.
 * - `average_resolution_time`: mean of resolved_at − detected_at over resolved anomalies as
 *   `H:MM:SS` (hours not wrapped into days, rounded to the second); `null` when none is resolved.
 */
export interface AnomalySummary {
  total_anomalies: number;
  critical_anomalies: number;
  high_anomalies: number;
  medium_anomalies: number;
  low_anomalies: number;
  unresolved_anomalies: number;
  false_positive_rate: string;
  average_resolution_time: string | null;
}

/** Computes {@link AnomalySummary} over every stored anomaly in one SQL pass. */
export async function readAnomalySummary(db: Database): Promise<AnomalySummary> {
  const row = await db.one(
    `SELECT count(*) AS total,
       count(*) FILTER (severity = 'CRITICAL') AS critical,
       count(*) FILTER (severity = 'HIGH') AS high,
       count(*) FILTER (severity = 'MEDIUM') AS medium,
       count(*) FILTER (severity = 'LOW') AS low,
       count(*) FILTER (status IN ('DETECTED', 'INVESTIGATING', 'CONFIRMED')) AS unresolved,
       count(*) FILTER (review_outcome = 'FALSE_POSITIVE') AS false_positives,
       count(*) FILTER (review_outcome IS NOT NULL) AS reviewed,
       avg(epoch(resolved_at) - epoch(detected_at)) FILTER (resolved_at IS NOT NULL) AS mean_resolution_s
     FROM anomaly_detections`,
  );
  const n = (key: string) => Number(row?.[key] ?? 0);
  const mean = row?.['mean_resolution_s'];
  return {
    total_anomalies: n('total'),
    critical_anomalies: n('critical'),
    high_anomalies: n('high'),
    medium_anomalies: n('medium'),
    low_anomalies: n('low'),
    unresolved_anomalies: n('unresolved'),
    false_positive_rate: formatPercent(n('reviewed') ? (100 * n('false_positives')) / n('reviewed') : 0),
    average_resolution_time: mean === null || mean === undefined ? null : formatHms(Number(mean)),
  };
}

/** A percentage with one decimal, as the spec writes it (`"8.5"`). */
export function formatPercent(value: number): string {
  return (Math.round(value * 10) / 10).toFixed(1);
}

/** Seconds as `H:MM:SS` (Python's `str(timedelta)` without the day part); rounds to the second. */
export function formatHms(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}
