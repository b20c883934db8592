import type { EngineContext } from '../../context.ts';
import type { Detection } from '../detect/detect.ts';
import type { AnomalyModelConfig } from '../persist/anomaly-model.ts';
import type { AnomalyDraft } from './anomaly-merge.ts';
import { describeDetection } from './anomaly-wording.ts';
import { calibrateCount } from './count-calibration.ts';
import { bucketMs, type IncidentSeries } from './incident-series.ts';
import { readRelatedIncidents } from './related-incidents.ts';
import { calibrateSample, type DelaySamples } from './sample-calibration.ts';

const metricNames = {
  incident_count: 'INCIDENT_COUNT',
  mtta_minutes: 'MTTA',
  mttr_hours: 'MTTR',
  escalation_rate: 'ESCALATION_RATE',
  cost: 'COST',
} as const;

/** Rank of a series for merging: per-service before per-category, hourly before daily. */
function seriesRank(s: IncidentSeries): number {
  const slice = s.slice === 'service' || s.slice === 'team' ? 0 : s.slice === 'all' ? 2 : 1;
  return (s.metric === 'incident_count' ? 0 : 6) + slice * 2 + (s.granularity === 'hour' ? 0 : 1);
}

/**
 * Turns one detection into a draft record: window in buckets, related incidents, and for counts
 * a Poisson test of the window total against a seasonal baseline (`calibrateCount`; Bonferroni
 * over the series' points) that both filters and calibrates confidence as 1 − p; the record's
 * expected value and band are then the baseline's. Daily MTTA, MTTR and escalation-rate detections
 * are re-tested on their incidents (`calibrateSample`) under the same corrected level. Returns `undefined` for a count detection that fails the test.
 * User thresholds are not second-guessed: a THRESHOLD detection is kept as the detector gave it.
 */
export async function detectionDraft(
  context: EngineContext,
  s: IncidentSeries,
  d: Detection,
  config: AnomalyModelConfig,
  range: { from: Date; to: Date },
  delays?: DelaySamples,
): Promise<AnomalyDraft | undefined> {
  const width = bucketMs[s.granularity];
  const windowStart = d.start;
  const windowEnd = d.end + width;
  let confidence = d.confidence;
  let pValue = d.pValue;
  let observed = d.observed;
  let lower = d.lower;
  let upper = d.upper;
  let expected = d.expected;
  if (s.metric === 'incident_count' && d.anomalyType !== 'THRESHOLD') {
    const from = Math.round((d.start - (s.timestamps[0] ?? 0)) / width);
    const to = Math.round((d.end - (s.timestamps[0] ?? 0)) / width);
    const c = calibrateCount(s.timestamps, s.values, from, to, s.granularity);
    if (c.pValue > config.series_alpha / Math.max(1, s.values.length)) return undefined;
    confidence = 1 - c.pValue;
    pValue = c.pValue;
    observed = c.observed;
    expected = c.expected;
    lower = c.lower;
    upper = c.upper;
  }
  let method: string = d.method;
  if (s.metric !== 'incident_count' && s.metric !== 'cost' && d.anomalyType !== 'THRESHOLD') {
    const c = await calibrateSample(
      context.db,
      s.metric,
      { start: new Date(windowStart), end: new Date(windowEnd) },
      range,
      delays,
    );
    if (!c || c.pValue > config.series_alpha / Math.max(1, s.values.length)) return undefined;
    confidence = 1 - c.pValue;
    pValue = c.pValue;
    observed = c.observed;
    expected = c.expected;
    lower = c.lower;
    upper = c.upper;
    method = `${d.method}+${c.method}`;
  }
  const related = await readRelatedIncidents(
    context.db,
    s.slice,
    s.sliceValue,
    new Date(windowStart),
    new Date(windowEnd),
  );
  return {
    anomalyType: d.anomalyType,
    seriesKey: s.key,
    rank: seriesRank(s),
    score: d.score,
    threshold: d.threshold,
    confidence,
    windowStart,
    windowEnd,
    relatedIncidents: related.ids,
    affectedServices: s.slice === 'service' && s.sliceValue ? [s.sliceValue] : related.services,
    affectedMetrics: [metricNames[s.metric]],
    description: describeDetection(s, observed, lower, upper, windowStart, windowEnd),
    impact: {
      criticalCount: related.criticalCount,
      highCount: related.highCount,
      affectedUsers: related.affectedUsers,
    },
    metadata: {
      method,
      observed,
      expected,
      detector_expected: d.expected,
      lower,
      upper,
      peak_timestamp: new Date(d.peakTimestamp).toISOString(),
      ...(pValue === undefined ? {} : { p_value: pValue }),
      point_count: d.pointCount,
      granularity: s.granularity,
      metric: s.metric,
      slice: s.slice,
      slice_value: s.sliceValue,
      detector_settings: { sensitivity: config.sensitivity, min_hits: config.min_hits },
    },
  };
}
