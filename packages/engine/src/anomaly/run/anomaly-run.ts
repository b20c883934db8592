import type { EngineContext } from '../../context.ts';
import { EngineError } from '../../errors.ts';
import type { Detection, DetectOptions, SeriesInput } from '../detect/detect.ts';
import { assessImpacts } from '../explain/impact.ts';
import { explainRootCauses } from '../explain/root-cause.ts';
import { resolveAnomalyModel } from '../persist/anomaly-model.ts';
import { explainInputs, newGroups, persistGroups } from '../persist/anomaly-persist.ts';
import { readThresholdSeries } from '../persist/anomaly-thresholds.ts';
import type { AnomalyDraft } from './anomaly-merge.ts';
import { mergeDrafts } from './anomaly-merge.ts';
import { behavioralDrafts } from './behavioral-shifts.ts';
import { firstFullDay, readDataStart } from './data-start.ts';
import { detectionDraft } from './detection-draft.ts';
import { bucketMs, buildIncidentSeries, type IncidentSeries } from './incident-series.ts';
import { patternForestDrafts } from './pattern-forest.ts';
import { DelaySamples } from './sample-calibration.ts';

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
  readonly modelId: string;
  readonly timeWindowStart: Date;
  readonly timeWindowEnd: Date;
  /** Start of the examined range: the history the detectors learn from, never before the data. */
  readonly historyStart: Date;
  readonly seriesAnalyzed: number;
  /** Everything the detectors reported on the examined range, history included. */
  readonly detectionsFound: number;
  /** Of those, detections that end before the window starts: history, not reported. */
  readonly outsideWindow: number;
  /**
   * Detections in the window that failed their re-test on the data behind them (Poisson, KS or
   * binomial at `series_alpha` / points): below the alarm budget, not reported.
   */
  readonly belowAlarmBudget: number;
  /** Detections in the window that passed, before merging and de-duplication. */
  readonly detections: number;
  /** Anomalies the kept detections were merged into (one storm seen on many series is one). */
  readonly anomaliesFound: number;
  readonly anomaliesCreated: number;
  /** Anomalies found that were already stored by an earlier run (same series, overlapping window). */
  readonly duplicatesSkipped: number;
  /** Ids of the anomalies created. */
  readonly createdIds: string[];
}

/** Runs detectors over many series (through the worker pool). */
export type DetectRunner = (series: readonly SeriesInput[], options: DetectOptions) => Promise<Detection[]>;

/**
 * The `run_anomaly_detection` command: builds the incident series over the model's history plus
 * the window, runs the five detector families, keeps detections that overlap the window, merges
 * those describing the same event, explains the new ones (root cause and impact, read before the
 * write) and stores each new anomaly with its explanation and its ANOMALY_DETECTED event.
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
  // History never reaches before the first full day of continuous data: days before any data are
  // unknown, not calm, and an isolated old incident does not stretch the series back to it.
  const dataStart = await readDataStart(context.db, end, config.max_quiet_days);
  const dataFrom = dataStart ? firstFullDay(dataStart).getTime() : end.getTime();
  const historyFrom = new Date(
    Math.min(end.getTime(), Math.max(start.getTime() - config.history_days * 86_400_000, dataFrom)),
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
  let foundCount = 0;
  let seriesFound = 0;
  const families = new Set(config.families);
  const base: DetectOptions = {
    sensitivity: config.sensitivity,
    minHits: config.min_hits,
    suppressionPoints: config.suppression_points,
  };
  const runFamily = async (label: string, list: readonly IncidentSeries[], options: DetectOptions) => {
    if (list.length === 0) return;
    const found = await detect(list, { ...base, ...options });
    foundCount += found.length;
    seriesFound += found.length;
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
  const history = { from: historyFrom, to: end };
  const delays = new DelaySamples(context.db, history);
  for (const { series: s, detection } of candidates) {
    const draft = await detectionDraft(context, s, detection, config, history, delays);
    if (draft) drafts.push(draft);
  }
  const belowBudget = candidates.length - drafts.length;
  progress(
    `${candidates.length} series detections in the window: ${belowBudget} below the alarm budget (not significant at ${config.series_alpha} / points on a re-test of their data), ${drafts.length} kept`,
  );
  if (families.has('PATTERN')) {
    const found = await patternForestDrafts(context, { from: historyFrom, to: end, start }, config);
    progress(`PATTERN isolation forest: ${found.length} windows in the window`);
    foundCount += found.length;
    drafts.push(...found);
  }
  if (families.has('BEHAVIORAL')) {
    const found = await behavioralDrafts(context, { from: historyFrom, to: end, start }, config);
    progress(`BEHAVIORAL: ${found.length} baseline departures`);
    foundCount += found.length;
    drafts.push(...found);
  }
  const groups = await mergeDrafts(drafts);
  progress(`${drafts.length} detections merged into ${groups.length} anomalies`);
  // Explanations are read before the write transaction, for the new groups only: a duplicate is
  // not stored, so explaining it would be wasted work.
  const known = await newGroups(context.db, groups);
  const inputs = await explainInputs(known.fresh);
  const explainRange = { from: historyFrom, to: end, start };
  const causes = await explainRootCauses(context, inputs, explainRange);
  const impacts = await assessImpacts(context, inputs, explainRange);
  progress(`explained ${inputs.length} new anomalies (root cause and impact)`);
  const stored = await persistGroups(
    context.db,
    context.events,
    known.fresh,
    model.id,
    now,
    inputs.map((_, i) => ({ rootCause: causes[i] ?? null, impact: impacts[i] ?? null })),
  );
  const created = stored.created;
  const duplicates = known.duplicates + stored.duplicates;
  progress(
    `${created.length} new anomalies stored, ${duplicates} already known (stored by an earlier run with an overlapping window on the same series)`,
  );
  return {
    modelId: model.id,
    timeWindowStart: start,
    timeWindowEnd: end,
    historyStart: historyFrom,
    seriesAnalyzed: series.length,
    detectionsFound: foundCount,
    outsideWindow: seriesFound - candidates.length,
    belowAlarmBudget: belowBudget,
    detections: drafts.length,
    anomaliesFound: groups.length,
    anomaliesCreated: created.length,
    duplicatesSkipped: duplicates,
    createdIds: created,
  };
}
