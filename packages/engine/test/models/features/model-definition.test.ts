import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../src/errors.ts';
import {
  anomalyFeatureCatalogue,
  type CatalogueFeature,
  checkModelDefinition,
  defaultFeatures,
  defaultForecastFeatures,
  forecastFeatureCatalogue,
  incidentFeatureCatalogue,
  type ModelType,
  modelTargets,
  predictsAtCreation,
  splitByTime,
  type TargetDefinition,
  validAlgorithms,
} from '../../../src/models/features/index.ts';
import { algorithmTypes, modelTypes } from '../../../src/schema/enums.ts';

/** The error `work` throws (fails the test when it throws none or another kind). */
function errorOf(work: () => unknown): EngineError {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError);
    return error as EngineError;
  }
  throw new Error('expected an EngineError');
}

type Details = {
  errors: { field: string; message: string }[];
  valid_algorithms?: string[];
  known_features?: string[];
};

describe('checkModelDefinition', () => {
  it('fills the default features and the first target of each type', () => {
    expect(
      checkModelDefinition({ model_type: 'SEVERITY_PREDICTION', algorithm_type: 'RANDOM_FOREST' }),
    ).toEqual({
      features: [...defaultFeatures.SEVERITY_PREDICTION],
      target: 'severity',
    });
    expect(
      checkModelDefinition({
        model_type: 'ESCALATION_PREDICTION',
        algorithm_type: 'SVM',
        feature_columns: [],
      }).target,
    ).toBe('escalated');
    expect(
      checkModelDefinition({ model_type: 'INCIDENT_PREDICTION', algorithm_type: 'RANDOM_FOREST' }),
    ).toEqual({
      features: [
        'lag_1',
        'lag_2',
        'lag_7',
        'rolling_mean_7',
        'rolling_std_7',
        'day_of_week',
        'day_of_month',
        'is_weekend',
      ],
      target: 'incident_count',
    });
    expect(
      checkModelDefinition({ model_type: 'ANOMALY_DETECTION', algorithm_type: 'ISOLATION_FOREST' }).target,
    ).toBeNull();
  });

  it('accepts every valid (type, algorithm) pair and refuses every other one, naming the valid algorithms', () => {
    for (const modelType of modelTypes) {
      for (const algorithm of algorithmTypes) {
        const run = () => checkModelDefinition({ model_type: modelType, algorithm_type: algorithm });
        if (validAlgorithms[modelType].includes(algorithm)) {
          expect(run).not.toThrow();
        } else {
          const error = errorOf(run);
          expect(error.code).toBe('VALIDATION_ERROR');
          const details = error.details as Details;
          expect(details.valid_algorithms).toEqual(validAlgorithms[modelType]);
          expect(details.errors[0]?.field).toBe('algorithm_type');
          for (const valid of validAlgorithms[modelType]) expect(error.message).toContain(valid);
        }
      }
    }
  });

  it('refuses the features known only later for every model that predicts at creation', () => {
    expect(predictsAtCreation).toEqual([
      'SEVERITY_PREDICTION',
      'ESCALATION_PREDICTION',
      'RESOLUTION_TIME_PREDICTION',
      'COST_PREDICTION',
    ]);
    for (const modelType of predictsAtCreation) {
      const error = errorOf(() =>
        checkModelDefinition({
          model_type: modelType,
          algorithm_type: 'XGBOOST',
          feature_columns: ['title_length', 'reassignment_count', 'reopen_count'],
        }),
      );
      expect(error.code).toBe('VALIDATION_ERROR');
      expect((error.details as Details).errors).toEqual([
        {
          field: 'feature_columns.1',
          message: expect.stringContaining('reassignment_count is known only after the incident is opened'),
        },
        {
          field: 'feature_columns.2',
          message: expect.stringContaining('reopen_count is known only after the incident is opened'),
        },
      ]);
    }
    // The catalogue marks exactly these two as known later.
    expect(incidentFeatureCatalogue.filter((f) => f.knownAt === 'later').map((f) => f.name)).toEqual([
      'reassignment_count',
      'reopen_count',
    ]);
  });

  it('refuses severity as a feature of SEVERITY_PREDICTION but takes it for the other types', () => {
    const error = errorOf(() =>
      checkModelDefinition({
        model_type: 'SEVERITY_PREDICTION',
        algorithm_type: 'SVM',
        feature_columns: ['severity'],
      }),
    );
    expect(error.message).toContain('severity is the target of SEVERITY_PREDICTION');
    expect(
      checkModelDefinition({
        model_type: 'RESOLUTION_TIME_PREDICTION',
        algorithm_type: 'SVM',
        feature_columns: ['severity', 'team', 'severity'],
      }),
    ).toEqual({ features: ['severity', 'team'], target: 'resolution_hours' });
  });

  it('names each unknown feature, lists the catalogue, and reports the other problems with them', () => {
    const error = errorOf(() =>
      checkModelDefinition({
        model_type: 'COST_PREDICTION',
        algorithm_type: 'ARIMA',
        feature_columns: ['title_length', 'titel_length', 'lag_1', 'reopen_count'],
        target_column: 'severity',
      }),
    );
    const details = error.details as Details;
    expect(details.errors.map((e) => e.field)).toEqual([
      'algorithm_type',
      'feature_columns.1',
      'feature_columns.2',
      'feature_columns.3',
      'target_column',
    ]);
    expect(error.message).toContain('"titel_length"');
    expect(error.message).toContain('"lag_1"');
    expect(error.message).toContain('valid: cost_amount');
    expect(details.known_features).toEqual(incidentFeatureCatalogue.map((f) => f.name));
  });

  it('takes forecast features for INCIDENT_PREDICTION and refuses incident ones there', () => {
    expect(
      checkModelDefinition({
        model_type: 'INCIDENT_PREDICTION',
        algorithm_type: 'XGBOOST',
        feature_columns: ['lag_24', 'lag_168', 'hour_of_day'],
        target_column: 'incident_count',
      }).features,
    ).toEqual(['lag_24', 'lag_168', 'hour_of_day']);
    const error = errorOf(() =>
      checkModelDefinition({
        model_type: 'INCIDENT_PREDICTION',
        algorithm_type: 'LSTM',
        feature_columns: ['title_hash'],
      }),
    );
    expect(error.message).toContain('"title_hash"');
  });

  it('refuses a target for ANOMALY_DETECTION and an unknown model type', () => {
    expect(
      errorOf(() =>
        checkModelDefinition({
          model_type: 'ANOMALY_DETECTION',
          algorithm_type: 'ISOLATION_FOREST',
          target_column: 'x',
        }),
      ).message,
    ).toContain('ANOMALY_DETECTION has no target column');
    expect(
      errorOf(() => checkModelDefinition({ model_type: 'WEATHER' as never, algorithm_type: 'SVM' })).message,
    ).toContain('unknown model type WEATHER');
  });

  it('has a target list for every type, the first being the default', () => {
    expect(Object.keys(modelTargets).sort()).toEqual([...modelTypes].sort());
    const summary = (targets: readonly TargetDefinition[]) => targets.map((t) => `${t.name}:${t.task}`);
    const byType: Record<ModelType, string[]> = {
      SEVERITY_PREDICTION: ['severity:classification'],
      ESCALATION_PREDICTION: ['escalated:classification'],
      RESOLUTION_TIME_PREDICTION: ['resolution_hours:regression'],
      COST_PREDICTION: ['cost_amount:regression'],
      INCIDENT_PREDICTION: ['incident_count:forecast'],
      ANOMALY_DETECTION: [],
    };
    for (const modelType of modelTypes) expect(summary(modelTargets[modelType])).toEqual(byType[modelType]);
  });

  it('defaults every type to features its own catalogue holds and the definition check accepts', () => {
    const names = (entries: readonly CatalogueFeature[]) => entries.map((entry) => entry.name);
    expect(defaultFeatures.ANOMALY_DETECTION).toEqual(names(anomalyFeatureCatalogue));
    for (const granularity of ['hour', 'day'] as const) {
      for (const name of defaultForecastFeatures[granularity])
        expect(names(forecastFeatureCatalogue)).toContain(name);
      expect(
        checkModelDefinition({
          model_type: 'INCIDENT_PREDICTION',
          algorithm_type: 'NEURAL_NETWORK',
          feature_columns: defaultForecastFeatures[granularity],
        }).features,
      ).toEqual(defaultForecastFeatures[granularity]);
    }
    expect(defaultForecastFeatures.hour).toEqual(
      expect.arrayContaining(['lag_24', 'lag_168', 'hour_of_day']),
    );
    for (const modelType of predictsAtCreation) {
      for (const name of defaultFeatures[modelType]) {
        expect(incidentFeatureCatalogue.find((entry) => entry.name === name)?.knownAt).toBe('creation');
      }
    }
  });
});

describe('splitByTime', () => {
  it('trains on the oldest rows and tests on the newest ceil(20%)', () => {
    // scikit-learn's train_test_split(range(10), test_size=0.2, shuffle=False): 8 train, 2 test;
    // for 11 rows ceil(2.2) = 3 test.
    expect(splitByTime(10)).toEqual({ train: [0, 8], test: [8, 10] });
    expect(splitByTime(11)).toEqual({ train: [0, 8], test: [8, 11] });
    expect(splitByTime(100, 0.25)).toEqual({ train: [0, 75], test: [75, 100] });
    expect(splitByTime(0)).toEqual({ train: [0, 0], test: [0, 0] });
  });

  it('refuses a holdout outside (0, 1) and a bad count', () => {
    expect(() => splitByTime(10, 1)).toThrow(/holdout/);
    expect(() => splitByTime(10, 0)).toThrow(/holdout/);
    expect(() => splitByTime(-1)).toThrow(/count/);
    expect(() => splitByTime(2.5)).toThrow(/count/);
  });
});
