import { forecast } from '../forecast/forecast.ts';
import type { ForecastAlgorithm, ForecastResult } from '../forecast/types.ts';
import type { AlgorithmType, ModelType } from '../schema/enums.ts';
import type { Database } from '../store/database.ts';
import type { WorkerPool } from '../workers/pool.ts';
import type { LstmModel } from './kernels/neural/types.ts';
import type { ClassificationMetrics, RegressionMetrics } from './learn/metrics.ts';
import type { TabularPrediction, TabularRow, TrainedModel, TrainSpec } from './learn/types.ts';
import { type ForecastTaskPayload, forecastTaskName } from './model-tasks.ts';

export type { ClassificationMetrics, RegressionMetrics };

/** A stored LSTM forecaster (NEURAL's `LstmModel`). */
export type LstmState = LstmModel;

/** What a target of a model type is: its name and the task that predicts it. */
interface TargetInfo {
  readonly name: string;
  readonly task: 'classification' | 'regression' | 'forecast';
}

/** A count series of one group (null: all incidents). */
export interface CountSeries {
  group: string | null;
  timestamps: number[];
  values: number[];
}

/**
 * Everything the models capability uses of the learning library (`learn/`), the neural kernels
 * (`kernels/neural/`) and the feature layer (`features/`), behind one object so that the service
 * can be built with another implementation (the engine's tests drive the service's state machine
 * with a small deterministic learner). {@link loadLearners} gives the real one.
 */
export interface ModelLearners {
  trainModel(
    rows: readonly TabularRow[],
    spec: TrainSpec,
    options?: { pool?: WorkerPool },
  ): Promise<TrainedModel>;
  predict(
    model: TrainedModel,
    rows: readonly TabularRow[],
    options?: { pool?: WorkerPool },
  ): Promise<TabularPrediction[]>;
  /** Strict zod schema of a tabular algorithm's configuration, as `safeParse` sees it. */
  algorithmConfigSchema(algorithm: 'RANDOM_FOREST' | 'XGBOOST' | 'SVM' | 'NEURAL_NETWORK'): {
    safeParse(value: unknown): {
      success: boolean;
      error?: {
        issues: readonly {
          path: readonly PropertyKey[];
          message: string;
          code?: string;
          keys?: readonly string[];
        }[];
      };
    };
  };
  classificationMetrics(
    actual: readonly string[],
    predicted: readonly string[],
    labels?: readonly string[],
  ): ClassificationMetrics;
  regressionMetrics(actual: ArrayLike<number>, predicted: ArrayLike<number>): RegressionMetrics;
  majorityBaseline(trainLabels: readonly string[], testCount: number): string[];
  meanBaseline(trainValues: ArrayLike<number>, testCount: number): number[];
  /** `forecast` (ARIMA, PROPHET, SEASONAL_NAIVE) of the forecast kernel, on the pool when given. */
  forecast(
    series: { timestamps: number[]; values: number[] },
    options: { horizon: number; algorithm: ForecastAlgorithm },
    pool?: WorkerPool,
  ): Promise<ForecastResult>;
  /** NEURAL's `trainLstm`, on the pool when given. */
  trainLstm(series: number[], options: Record<string, unknown>, pool?: WorkerPool): Promise<LstmState>;
  /** NEURAL's `forecastLstm`, on the pool when given. */
  forecastLstm(
    model: LstmState,
    history: number[],
    horizon: number,
    pool?: WorkerPool,
  ): Promise<{ mean: number[]; lower: number[]; upper: number[] }>;
  /** The default forecast features of a granularity (FEATURES' `defaultForecastFeatures`). */
  forecastDefaults(granularity: 'day' | 'hour'): readonly string[];
  /** The targets of each model type (FEATURES' `modelTargets`). */
  targetsOf(modelType: ModelType): readonly TargetInfo[];
  /** FEATURES' `checkModelDefinition`: throws VALIDATION_ERROR; returns the resolved features and target. */
  checkModelDefinition(input: {
    model_type: ModelType;
    algorithm_type: AlgorithmType;
    feature_columns?: readonly string[];
    target_column?: string | null;
  }): { features: string[]; target: string | null };
  readTrainingRows(
    db: Database,
    request: { modelType: ModelType; features: readonly string[]; target: string; start: Date; end: Date },
  ): Promise<{ rows: TabularRow[]; createdAt: Float64Array; featureNames: string[] }>;
  readIncidentFeatures(
    db: Database,
    ids: readonly string[],
    features: readonly string[],
  ): Promise<{ ids: string[]; rows: TabularRow[] }>;
  featuresOfFields(fields: Readonly<Record<string, unknown>>, features: readonly string[]): TabularRow;
  splitByTime(count: number, holdout?: number): { train: [number, number]; test: [number, number] };
  readCountSeries(
    db: Database,
    request: {
      granularity: 'hour' | 'day';
      start: Date;
      end: Date;
      groupBy?: 'service' | 'team' | 'category' | null;
    },
  ): Promise<CountSeries[]>;
  forecastRows(
    series: { timestamps: number[]; values: number[] },
    granularity: 'hour' | 'day',
    features: readonly string[],
  ): { rows: TabularRow[]; firstUsable: number };
}

let loaded: Promise<ModelLearners> | undefined;

/**
 * The real learners: the learning library, the neural kernels and the feature layer, loaded on
 * first use (they pull in WebAssembly and large modules the engine does not need until a model
 * trains or predicts).
 */
export function loadLearners(): Promise<ModelLearners> {
  loaded ??= (async (): Promise<ModelLearners> => {
    const [learn, metrics, neural, features] = await Promise.all([
      import('./learn/index.ts'),
      import('./learn/metrics.ts'),
      import('./kernels/neural/index.ts'),
      import('./features/index.ts'),
    ]);
    return {
      trainModel: learn.trainModel,
      predict: learn.predict,
      algorithmConfigSchema: learn.algorithmConfigSchema as ModelLearners['algorithmConfigSchema'],
      classificationMetrics: metrics.classificationMetrics,
      regressionMetrics: metrics.regressionMetrics,
      majorityBaseline: metrics.majorityBaseline,
      meanBaseline: metrics.meanBaseline,
      forecast: (series, options, pool) =>
        pool
          ? pool.run<ForecastResult>(forecastTaskName, {
              op: 'forecast',
              series,
              ...options,
            } satisfies ForecastTaskPayload)
          : forecast(series, options),
      trainLstm: async (values, options, pool) =>
        (pool
          ? await pool.run(forecastTaskName, {
              op: 'lstm-train',
              values,
              options,
            } satisfies ForecastTaskPayload)
          : neural.trainLstm(values, options)) as LstmState,
      forecastLstm: async (model, history, horizon, pool) =>
        pool
          ? pool.run(forecastTaskName, {
              op: 'lstm-forecast',
              model,
              history,
              horizon,
            } as ForecastTaskPayload)
          : neural.forecastLstm(model, history, horizon),
      forecastDefaults: (granularity) => features.defaultForecastFeatures[granularity],
      targetsOf: (modelType) => features.modelTargets[modelType],
      checkModelDefinition: features.checkModelDefinition,
      readTrainingRows: features.readTrainingRows,
      readIncidentFeatures: features.readIncidentFeatures,
      featuresOfFields: features.featuresOfFields,
      splitByTime: features.splitByTime,
      readCountSeries: features.readCountSeries,
      forecastRows: features.forecastRows,
    };
  })();
  return loaded;
}
