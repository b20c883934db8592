import type { AnomalyDetection } from '../../packages/engine/src/anomaly/persist/anomaly-record.ts';
import type { PlantedAnomaly } from '../../packages/engine/src/synth/index.ts';

/** How stored anomalies score against planted ones. */
export interface PlantedEvaluation {
  readonly recall: number;
  readonly precision: number;
  /** Per planted anomaly: whether it was found and by which anomaly ids. */
  readonly planted: { kind: string; target: string; start: string; found: string[] }[];
  /** Anomalies that match nothing planted. */
  readonly unmatched: AnomalyDetection[];
}

/**
 * Matching rule: an anomaly finds a planted one when its window [time_window_start,
 * time_window_end) overlaps the planted window [start, end) and it is on the planted service or
 * team: the service is among its `affected_services`, or (planted team) the anomaly's slice is that
 * team. Recall = planted anomalies found / planted; precision = anomalies that find at least one
 * planted anomaly / anomalies.
 */
export function evaluatePlanted(
  planted: readonly PlantedAnomaly[],
  anomalies: readonly AnomalyDetection[],
): PlantedEvaluation {
  const matches = (p: PlantedAnomaly, a: AnomalyDetection) => {
    const overlaps =
      a.time_window_start.getTime() < p.end.getTime() && a.time_window_end.getTime() > p.start.getTime();
    if (!overlaps) return false;
    if (p.service && a.affected_services.includes(p.service)) return true;
    return p.team !== null && a.metadata['slice'] === 'team' && a.metadata['slice_value'] === p.team;
  };
  const rows = planted.map((p) => ({
    kind: p.kind,
    target: p.service ?? `team ${p.team}`,
    start: p.start.toISOString(),
    found: anomalies.filter((a) => matches(p, a)).map((a) => a.id),
  }));
  const unmatched = anomalies.filter((a) => !planted.some((p) => matches(p, a)));
  return {
    recall: planted.length ? rows.filter((r) => r.found.length > 0).length / planted.length : 1,
    precision: anomalies.length ? (anomalies.length - unmatched.length) / anomalies.length : 1,
    planted: rows,
    unmatched,
  };
}
