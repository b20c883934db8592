import type { EngineContext } from '../context.ts';
import { EngineError } from '../errors.ts';
import type { AnomalyDraft } from './anomaly-merge.ts';
import { mergeDrafts } from './anomaly-merge.ts';
import type { AnomalyModelConfig } from './anomaly-model.ts';
import { resolveAnomalyModel } from './anomaly-model.ts';
import { persistGroups } from './anomaly-persist.ts';
import { readThresholdSeries } from './anomaly-thresholds.ts';
import { describeDetection } from './anomaly-wording.ts';
import { behavioralDrafts } from './behavioral-shifts.ts';
import { calibrateCount } from './count-calibration.ts';
import type { Detection, DetectOptions, SeriesInput } from './detect.ts';
import { bucketMs, buildIncidentSeries, type IncidentSeries } from './incident-series.ts';
import { patternForestDrafts } from './pattern-forest.ts';
import { readRelatedIncidents } from './related-incidents.ts';
import { calibrateSample } from './sample-calibration.ts';

/** Options of {@link runAnomalyDetection}. */
export interface AnomalyRunOptions {
  /** ANOMALY_DETECTION model whose configuration to use; default the system model. */
  readonly modelId?: string;
  /** Hours before `end` in which anomalies are reported; default the model's `window_hours` (24). */
  readonly windowHours?: number;
  /** End of the window (exclusive); default the engine clock's now. */
  readonly end?: Date;
  /** Called with a line of progress at each step (the CLI prints them on stderr). */
  readonly onProgress?: (message: string) => void;
}

/** What a run did. */
export interface AnomalyRunResult {
  readonly model_id: string;
  readonly time_window_start: Date;
  readonly time_window_end: Date;
  readonly series_analyzed: number;
  /** Detections in the window before merging and de-duplication. */
  readonly detections: number;
  readonly anomalies_created: number;
  readonly duplicates_skipped: number;
  /** Ids of the anomalies created. */
  readonly created_ids: string[];
}

/** Runs detectors over many series (through the worker pool). */
export type DetectRunner = (series: readonly SeriesInput[], options: DetectOptions) => Promise<Detection[]>;

const metricNames = {
  incident_count: 'INCIDENT_COUNT',
  mtta_minutes: 'MTTA',
  mttr_hours: 'MTTR',
  escalation_rate: 'ESCALATION_RATE',
  cost: 'COST',
} as const;

/**
 * The `run_anomaly_detection` command: builds the incident series over the model's history plus
 * the window, runs the five detector families, keeps detections that overlap the window, merges
 * those describing the same event, and stores each new anomaly with its ANOMALY_DETECTED event.
 *
 * @throws EngineError VALIDATION_ERROR for a bad window or model; NOT_FOUND for an unknown model.
 */
export async function runAnomalyDetection(
  context: EngineContext,
  detect: DetectRunner,
  options: AnomalyRunOptions = {},
): Promise<AnomalyRunResult> {
  const progress = options.onProgress ?? (() => {});
  const now = context.now();
  const model = await resolveAnomalyModel(context.db, now, options.modelId);
  const config = model.config;
  const windowHours = options.windowHours ?? config.window_hours;
  if (!Number.isInteger(windowHours) || windowHours < 1 || windowHours > 24 * 3660) {
    throw new EngineError('VALIDATION_ERROR', 'time window must be a whole number of hours from 1', {
      field: 'time_window',
      value: windowHours,
    });
  }
  const end = options.end ?? now;
  if (Number.isNaN(end.getTime())) throw new EngineError('VALIDATION_ERROR', 'end is not a valid date');
  const start = new Date(end.getTime() - windowHours * 3_600_000);
  // History never reaches before the first full day of data: days before any data are unknown,
  // not calm, and a day the data starts part-way through would look like a quiet day.
  const first = await context.db.one<{ t: Date | null }>('SELECT min(created_at) AS t FROM incidents');
  const firstFullDay = first?.t ? Math.ceil(first.t.getTime() / 86_400_000) * 86_400_000 : end.getTime();
  const historyFrom = new Date(
    Math.min(end.getTime(), Math.max(start.getTime() - config.history_days * 86_400_000, firstFullDay)),
  );
  progress(`model ${model.id}; window ${start.toISOString()} to ${end.toISOString()}`);

  const series = await buildIncidentSeries(
    context.db,
    { from: historyFrom, to: end },
    config.min_slice_incidents,
  );
  progress(`built ${series.length} series from ${historyFrom.toISOString()}`);
  const inWindow = (d: { start: number; end: number }, width: number) =>
    d.start < end.getTime() && d.end + width > start.getTime();

  const candidates: { series: IncidentSeries; detection: Detection }[] = [];
  const families = new Set(config.families);
  const base: DetectOptions = {
    sensitivity: config.sensitivity,
    minHits: config.min_hits,
    suppressionPoints: config.suppression_points,
  };
  const runFamily = async (label: string, list: readonly IncidentSeries[], options: DetectOptions) => {
    if (list.length === 0) return;
    const found = await detect(list, { ...base, ...options });
    const byKey = new Map(list.map((s) => [s.key, s]));
    let kept = 0;
    for (const detection of found) {
      const s = byKey.get(detection.seriesKey);
      if (s && inWindow(detection, bucketMs[s.granularity])) {
        candidates.push({ series: s, detection });
        kept++;
      }
    }
    progress(`${label}: ${found.length} detections, ${kept} in the window`);
  };
  const hourly = series.filter((s) => s.granularity === 'hour');
  const daily = series.filter((s) => s.granularity === 'day');
  if (families.has('STATISTICAL')) await runFamily('STATISTICAL', series, { methods: ['robust_z', 'gesd'] });
  if (families.has('TEMPORAL')) {
    await runFamily('TEMPORAL hourly', hourly, { methods: ['seasonal_esd'], seasonalPeriods: [24, 168] });
    await runFamily('TEMPORAL daily', daily, { methods: ['seasonal_esd'], seasonalPeriods: [7] });
  }
  if (families.has('PATTERN')) await runFamily('PATTERN level shifts', series, { methods: ['cusum'] });
  if (families.has('THRESHOLD')) {
    for (const t of await readThresholdSeries(context.db, series)) {
      await runFamily(`THRESHOLD ${t.name}`, t.series, t.options);
    }
  }

  const drafts: AnomalyDraft[] = [];
  for (const { series: s, detection } of candidates) {
    const draft = await detectionDraft(context, s, detection, config, { from: historyFrom, to: end });
    if (draft) drafts.push(draft);
  }
  if (families.has('PATTERN')) {
    const found = await patternForestDrafts(context, { from: historyFrom, to: end, start }, config);
    progress(`PATTERN isolation forest: ${found.length} windows in the window`);
    drafts.push(...found);
  }
  if (families.has('BEHAVIORAL')) {
    const found = await behavioralDrafts(context, { from: historyFrom, to: end, start }, config);
    progress(`BEHAVIORAL: ${found.length} baseline departures`);
    drafts.push(...found);
  }
  const groups = mergeDrafts(drafts);
  progress(`${drafts.length} detections merged into ${groups.length} anomalies`);
  const { created, duplicates } = await persistGroups(context.db, context.events, groups, model.id, now);
  progress(`${created.length} new anomalies stored, ${duplicates} already known`);
  return {
    model_id: model.id,
    time_window_start: start,
    time_window_end: end,
    series_analyzed: series.length,
    detections: drafts.length,
    anomalies_created: created.length,
    duplicates_skipped: duplicates,
    created_ids: created,
  };
}

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
async function detectionDraft(
  context: EngineContext,
  s: IncidentSeries,
  d: Detection,
  config: AnomalyModelConfig,
  range: { from: Date; to: Date },
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
