import type { AnomalyJson } from '../../charts/index.ts';

/** An action on an anomaly's lifecycle, named as its button. */
export type AnomalyAction = 'Acknowledge' | 'Investigate' | 'Confirm' | 'False positive' | 'Resolve';

/**
 * The actions an anomaly in `status` allows, in the order of the buttons: acknowledging and
 * investigating move a DETECTED anomaly to INVESTIGATING; confirming and marking a false positive
 * review a DETECTED or INVESTIGATING one; any but a RESOLVED one can be resolved. Pure.
 */
export function allowedActions(status: string): AnomalyAction[] {
  switch (status) {
    case 'DETECTED':
      return ['Acknowledge', 'Investigate', 'Confirm', 'False positive', 'Resolve'];
    case 'INVESTIGATING':
      return ['Confirm', 'False positive', 'Resolve'];
    case 'RESOLVED':
      return [];
    default:
      return ['Resolve'];
  }
}

/** The lifecycle route and body of an action (`POST /api/analytics/anomaly-detections/{id}/<route>/`). Pure. */
export function actionRequest(
  id: string,
  action: AnomalyAction,
): { path: string; body?: { action_note: string } } {
  const base = `/api/analytics/anomaly-detections/${encodeURIComponent(id)}`;
  switch (action) {
    case 'Acknowledge':
      return { path: `${base}/acknowledge/` };
    case 'Investigate':
      return { path: `${base}/acknowledge/`, body: { action_note: 'Investigation started' } };
    case 'Confirm':
      return { path: `${base}/confirm/` };
    case 'False positive':
      return { path: `${base}/false-positive/` };
    case 'Resolve':
      return { path: `${base}/resolve/` };
  }
}

/** An anomaly as an action returned it, with the time of that change (server clock, ms). */
export interface ChangedAnomaly {
  anomaly: AnomalyJson;
  changedAt: number;
}

/** When an anomaly last changed by an action: its latest acknowledged/reviewed/resolved time. Pure. */
export function changeTime(anomaly: AnomalyJson & Record<string, unknown>): number {
  const times = ['acknowledged_at', 'reviewed_at', 'resolved_at']
    .map((key) => anomaly[key])
    .filter((value): value is string => typeof value === 'string')
    .map((value) => Date.parse(value))
    .filter(Number.isFinite);
  return times.length === 0 ? 0 : Math.max(...times);
}

/**
 * The anomalies to show: the dashboard's, with those changed in this page since the data was
 * computed replaced by what the action returned (the data is cached for the refresh interval). A
 * change older than the data is dropped: the data already has it. Pure.
 */
export function withChanges(
  anomalies: readonly AnomalyJson[],
  changes: ReadonlyMap<string, ChangedAnomaly>,
  lastUpdated: string | undefined,
): AnomalyJson[] {
  const computedAt = lastUpdated ? Date.parse(lastUpdated) : 0;
  return anomalies.map((anomaly) => {
    const change = changes.get(anomaly.id);
    return change && change.changedAt >= computedAt ? change.anomaly : anomaly;
  });
}
