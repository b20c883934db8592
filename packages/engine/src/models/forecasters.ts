import { EngineError } from '../errors.ts';
import type { Database } from '../store/database.ts';
import type { WorkerPool } from '../workers/pool.ts';
import type { TabularRow, TrainedModel } from './learn/types.ts';
import type { ForecastArtifact } from './model-artifact.ts';
import type { CountSeries, LstmState, ModelLearners } from './model-learners.ts';
import { tooFewSamples } from './training-environment.ts';

/**
 * The count forecasters of INCIDENT_PREDICTION: fitting and forecasting one series with each
 * algorithm, reading the count series, and forecasting with a stored forecaster.
 */

/** The forecast of one group: per step its start (ISO 8601), the mean and a 95% interval. */
export interface ForecastPrediction {
  group: string | null;
  timestamps: string[];
  mean: number[];
  lower: number[];
  upper: number[];
}

export type Algorithm = ForecastArtifact['algorithm'];
export type Series = { timestamps: number[]; values: number[] };
export type Band = { mean: number[]; lower: number[]; upper: number[] };

/** Points of history the lag features of a recursive forecast read (covers lag_168 and a week's rolling window). */
const recursionTail = 400;
export const stepMsOf = (granularity: 'day' | 'hour'): number =>
  granularity === 'day' ? 86_400_000 : 3_600_000;
/** The count target the tree and network forecasters learn. */
const countTarget = 'incident_count';

/** Fits the forecaster of `algorithm` on `history` and forecasts `horizon` steps; returns the state kept. */
export async function fitAndForecast(
  algorithm: Algorithm,
  history: Series,
  horizon: number,
  context: {
    learners: ModelLearners;
    pool: WorkerPool;
    granularity: 'day' | 'hour';
    features: readonly string[];
    config: Record<string, unknown>;
  },
  state?: TrainedModel | LstmState | null,
): Promise<{ band: Band; state: TrainedModel | LstmState | null; notes: string[] }> {
  if (algorithm === 'ARIMA' || algorithm === 'PROPHET') {
    const result = await context.learners.forecast(history, { horizon, algorithm }, context.pool);
    const band = {
      mean: result.points.map((p) => p.value),
      lower: result.points.map((p) => p.lower),
      upper: result.points.map((p) => p.upper),
    };
    return {
      band,
      state: null,
      notes: result.fallback
        ? [`${result.fallback.from} fell back to ${result.fallback.to}: ${result.fallback.reason}`]
        : [],
    };
  }
  if (algorithm === 'LSTM') {
    const c = context.config;
    const lstm =
      (state as LstmState | null | undefined) ??
      (await context.learners.trainLstm(
        history.values,
        {
          ...(c['lookback'] === undefined ? {} : { lookback: c['lookback'] }),
          ...(c['units'] === undefined ? {} : { units: c['units'] }),
          ...(c['epochs'] === undefined ? {} : { epochs: c['epochs'] }),
          ...(c['learning_rate'] === undefined ? {} : { learningRate: c['learning_rate'] }),
          seed: 1,
        },
        context.pool,
      ));
    const f = await context.learners.forecastLstm(lstm, history.values, horizon, context.pool);
    return { band: clampBand(f), state: lstm, notes: [] };
  }
  const model =
    (state as TrainedModel | null | undefined) ?? (await trainLagModel(algorithm, history, context));
  return { band: await recursiveForecast(model, history, horizon, context), state: model, notes: [] };
}

function clampBand(band: Band): Band {
  return {
    mean: band.mean.map((v) => Math.max(0, v)),
    lower: band.lower.map((v) => Math.max(0, v)),
    upper: band.upper.map((v) => Math.max(0, v)),
  };
}

/** Trains a tree or network regressor on the lag, rolling and calendar rows of a count series. */
async function trainLagModel(
  algorithm: 'RANDOM_FOREST' | 'XGBOOST' | 'NEURAL_NETWORK',
  history: Series,
  context: {
    learners: ModelLearners;
    pool: WorkerPool;
    granularity: 'day' | 'hour';
    features: readonly string[];
    config: Record<string, unknown>;
  },
): Promise<TrainedModel> {
  const { rows, firstUsable } = context.learners.forecastRows(history, context.granularity, context.features);
  const training: TabularRow[] = [];
  for (let i = firstUsable; i < rows.length; i++)
    training.push({ ...rows[i], [countTarget]: history.values[i] ?? 0 });
  if (training.length < 10) throw tooFewSamples(training.length, 10, 'periods with lag features');
  return context.learners.trainModel(
    training,
    {
      algorithm,
      task: 'regression',
      target: countTarget,
      features: context.features,
      config: context.config,
      seed: 1,
    },
    { pool: context.pool },
  );
}

/**
 * Recursive multi-step forecast: each step's lag features read the forecasts of the steps before
 * it; the model's 90% residual band widens with the square root of the step.
 */
async function recursiveForecast(
  model: TrainedModel,
  history: Series,
  horizon: number,
  context: { learners: ModelLearners; granularity: 'day' | 'hour'; features: readonly string[] },
): Promise<Band> {
  const stepMs = stepMsOf(context.granularity);
  const timestamps = history.timestamps.slice(-recursionTail);
  const values = history.values.slice(-recursionTail);
  const band: Band = { mean: [], lower: [], upper: [] };
  for (let h = 1; h <= horizon; h++) {
    timestamps.push((timestamps.at(-1) ?? 0) + stepMs);
    values.push(Number.NaN); // the step being forecast: its features read only the values before it
    const { rows } = context.learners.forecastRows(
      { timestamps, values },
      context.granularity,
      context.features,
    );
    const [prediction] = await context.learners.predict(model, [rows.at(-1) ?? {}]);
    const p = prediction as { value: number; lower: number; upper: number };
    const mean = Math.max(0, p.value);
    values[values.length - 1] = mean;
    const widen = Math.sqrt(h);
    band.mean.push(mean);
    band.lower.push(Math.max(0, mean + (p.lower - p.value) * widen));
    band.upper.push(Math.max(0, mean + (p.upper - p.value) * widen));
  }
  return band;
}

/** The count series of the window ending at the clock floored to the step, largest groups first. */
export async function readSeries(
  db: Database,
  learners: ModelLearners,
  settings: { granularity: 'day' | 'hour'; group_by: 'service' | 'team' | 'category' | null },
  now: Date,
  steps: number,
): Promise<CountSeries[]> {
  const stepMs = stepMsOf(settings.granularity);
  const end = new Date(Math.floor(now.getTime() / stepMs) * stepMs);
  const start = new Date(end.getTime() - steps * stepMs);
  const series = await learners.readCountSeries(db, {
    granularity: settings.granularity,
    start,
    end,
    groupBy: settings.group_by,
  });
  const total = (s: CountSeries): number => s.values.reduce((a, v) => a + v, 0);
  return [...series].sort((a, b) => total(b) - total(a) || String(a.group).localeCompare(String(b.group)));
}

/**
 * Forecasts with a stored forecaster from the latest counts (the window of its training length
 * ending at the clock, floored to the step): `horizon` steps per group, or for `group` only.
 *
 * @throws EngineError NOT_FOUND for a group the forecaster does not know.
 */
export async function forecastFromArtifact(
  artifact: ForecastArtifact,
  env: { db: Database; learners: ModelLearners; pool: WorkerPool; now: Date },
  horizon: number,
  group?: string | null,
): Promise<ForecastPrediction[]> {
  const { settings } = artifact;
  const stepMs = stepMsOf(settings.granularity);
  const wanted = group === undefined ? artifact.groups : artifact.groups.filter((g) => g.group === group);
  if (wanted.length === 0) {
    throw new EngineError('NOT_FOUND', `the forecaster has no group ${String(group)}`, {
      groups: artifact.groups.map((g) => g.group),
    });
  }
  const series = await readSeries(env.db, env.learners, settings, env.now, artifact.history_steps);
  const end = Math.floor(env.now.getTime() / stepMs) * stepMs;
  const context = {
    learners: env.learners,
    pool: env.pool,
    granularity: settings.granularity,
    features: artifact.features,
    config: {},
  };
  const out: ForecastPrediction[] = [];
  for (const g of wanted) {
    const found = series.find((s) => s.group === g.group);
    const history = found ?? {
      group: g.group,
      timestamps: Array.from(
        { length: artifact.history_steps },
        (_, i) => end - (artifact.history_steps - i) * stepMs,
      ),
      values: new Array<number>(artifact.history_steps).fill(0),
    };
    const { band } = await fitAndForecast(artifact.algorithm, history, horizon, context, g.state);
    out.push({
      group: g.group,
      timestamps: band.mean.map((_, k) => new Date(end + k * stepMs).toISOString()),
      ...band,
    });
  }
  return out;
}
