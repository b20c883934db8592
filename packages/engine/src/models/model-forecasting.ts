import { EngineError } from '../errors.ts';
import { scoreFolds } from '../forecast/evaluate.ts';
import { naivePeriod } from '../forecast/seasonal-naive.ts';
import { type Algorithm, type Band, fitAndForecast, readSeries, stepMsOf } from './forecasters.ts';
import type { ForecastArtifact } from './model-artifact.ts';
import type { CountSeries } from './model-learners.ts';
import type { ForecastMetrics, ModelPerformanceReport } from './model-performance.ts';
import { compareWithBaseline, forecastScores } from './model-performance.ts';
import type { PredictiveModelRecord } from './model-record.ts';
import { forecastSettingsSchema, splitForecastConfig } from './model-schema.ts';
import type { TrainingEnvironment, TrainingResult } from './training-environment.ts';
import { checkAborted, tooFewSamples, trainingWindow } from './training-environment.ts';

/** Groups a grouped forecaster keeps (the largest by incident count). */
const maxForecastGroups = 20;
/** Groups whose held-out week is scored (the largest). */
const maxEvaluatedGroups = 10;
function settingsOf(model: PredictiveModelRecord) {
  const { settings, algorithm } = splitForecastConfig(model.model_config);
  return { settings: forecastSettingsSchema.parse(settings), config: algorithm };
}

/**
 * INCIDENT_PREDICTION: incident counts per day or hour (overall or per group) over the training
 * window; each group's forecaster is scored on the last 7 days held out (MASE, sMAPE, 95% interval
 * coverage) against seasonal naive, then fitted on the whole window. `training_samples_count` is
 * the number of incidents counted.
 */
export async function trainForecaster(
  model: PredictiveModelRecord,
  env: TrainingEnvironment,
): Promise<TrainingResult> {
  const { settings, config } = settingsOf(model);
  const stepMs = stepMsOf(settings.granularity);
  const window = trainingWindow(model, env.now);
  const steps = Math.floor((window.end.getTime() - window.start.getTime()) / stepMs);
  env.progress(`reading ${settings.granularity} incident counts`);
  const all = await readSeries(env.db, env.learners, settings, env.now, steps);
  const series = all.slice(0, maxForecastGroups);
  const incidents = all.reduce((s, g) => s + g.values.reduce((a, v) => a + v, 0), 0);
  if (incidents < model.min_training_samples)
    throw tooFewSamples(incidents, model.min_training_samples, 'incidents');
  const holdout = settings.granularity === 'day' ? 7 : 7 * 24;
  const season = settings.granularity === 'day' ? 7 : 168;
  if (steps < holdout + 2 * season)
    throw tooFewSamples(steps, holdout + 2 * season, `${settings.granularity} periods`);
  const context = {
    learners: env.learners,
    pool: env.pool,
    granularity: settings.granularity,
    features: model.feature_columns,
    config,
  };
  const algorithm = model.algorithm_type as Algorithm;
  const notes: string[] = [];
  if (all.length > series.length) notes.push(`${all.length - series.length} smaller groups are not forecast`);
  const scored: { model: ForecastMetrics; baseline: ForecastMetrics }[] = [];
  for (const [index, group] of series.slice(0, maxEvaluatedGroups).entries()) {
    checkAborted(env.signal);
    env.progress(
      `evaluating group ${index + 1} of ${Math.min(series.length, maxEvaluatedGroups)} on the last 7 days`,
    );
    const origin = group.values.length - holdout;
    const history = { timestamps: group.timestamps.slice(0, origin), values: group.values.slice(0, origin) };
    const naive = await env.learners.forecast(history, { horizon: holdout, algorithm: 'SEASONAL_NAIVE' });
    const m = naivePeriod(naive.seasonalPeriods);
    const fitted = await fitAndForecast(algorithm, history, holdout, context);
    notes.push(...fitted.notes.map((n) => `${group.group ?? 'all'}: ${n}`));
    try {
      scored.push({
        model: score(group.values, origin, holdout, m, fitted.band),
        baseline: score(group.values, origin, holdout, m, {
          mean: naive.points.map((p) => p.value),
          lower: naive.points.map((p) => p.lower),
          upper: naive.points.map((p) => p.upper),
        }),
      });
    } catch (error) {
      if (!(error instanceof EngineError && error.code === 'INSUFFICIENT_DATA')) throw error;
      notes.push(`${group.group ?? 'all'}: not scored (${error.message})`);
    }
  }
  if (scored.length === 0)
    throw new EngineError(
      'INSUFFICIENT_DATA',
      'no group has a history that can be scored (constant counts)',
      { samples: incidents },
    );
  const metrics = meanMetrics(scored.map((s) => s.model));
  const baseline = meanMetrics(scored.map((s) => s.baseline));
  const groups: ForecastArtifact['groups'][number][] = [];
  for (const group of series) {
    checkAborted(env.signal);
    if (algorithm === 'ARIMA' || algorithm === 'PROPHET') {
      groups.push({ group: group.group, state: null }); // refitted on the latest counts at each prediction
      continue;
    }
    env.progress(`fitting ${group.group ?? 'the overall series'} on the whole window`);
    const fitted = await fitAndForecast(algorithm, group, 1, context);
    groups.push({ group: group.group, state: fitted.state });
  }
  const { beats, verdict } = compareWithBaseline('forecast', metrics, baseline);
  const first = series[0] as CountSeries;
  const origin = first.timestamps.length - holdout;
  const performance: ModelPerformanceReport = {
    task: 'forecast',
    scores: forecastScores(metrics),
    metrics,
    baseline: { name: 'seasonal_naive', metrics: baseline },
    beats_baseline: beats,
    verdict,
    feature_importance: null,
    evaluated_on: {
      train_rows: origin,
      test_rows: holdout,
      train_end: new Date((first.timestamps[origin - 1] ?? 0) + stepMs).toISOString(),
      test_start: new Date(first.timestamps[origin] ?? 0).toISOString(),
      test_end: new Date((first.timestamps.at(-1) ?? 0) + stepMs).toISOString(),
    },
    notes,
  };
  const artifact: ForecastArtifact = {
    kind: 'forecast',
    algorithm,
    settings,
    features: model.feature_columns,
    history_steps: steps,
    groups,
  };
  return { artifact, performance, samples: incidents };
}

function score(values: number[], origin: number, horizon: number, m: number, band: Band): ForecastMetrics {
  const s = scoreFolds(values, [origin], horizon, m, [
    { point: band.mean, lower: band.lower, upper: band.upper },
  ]);
  let mae = 0;
  for (let i = 0; i < horizon; i++) mae += Math.abs((values[origin + i] ?? 0) - (band.mean[i] ?? 0));
  return { mase: s.mase, smape: s.smape, coverage: s.coverage, mae: mae / horizon };
}

function meanMetrics(list: readonly ForecastMetrics[]): ForecastMetrics {
  const mean = (f: (m: ForecastMetrics) => number): number =>
    list.reduce((s, m) => s + f(m), 0) / list.length;
  const covered = list.filter((m) => m.coverage !== null);
  return {
    mase: mean((m) => m.mase),
    smape: mean((m) => m.smape),
    coverage: covered.length ? covered.reduce((s, m) => s + (m.coverage ?? 0), 0) / covered.length : null,
    mae: mean((m) => m.mae),
  };
}
