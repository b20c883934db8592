import { describe, expect, it } from 'vitest';
import {
  classificationMetrics,
  majorityBaseline,
  meanBaseline,
  predict,
  regressionMetrics,
  type TabularAlgorithm,
  type TabularPrediction,
  trainModel,
} from '../../../src/models/learn/index.ts';
import { syntheticFeatures, syntheticIncidents } from './learn-fixtures.ts';

// 1,200 seeded training rows, the next 300 evaluate (oldest first, as a time split).
const all = syntheticIncidents(1500, 11);
const train = all.slice(0, 1200);
const test = all.slice(1200);
const features = [...syntheticFeatures];
const severity = test.map((row) => String(row['severity']));
const hours = test.map((row) => row['resolution_hours'] as number);

// Small settings keep each fit well under a few seconds on this machine.
const small: Record<TabularAlgorithm, Record<string, unknown>> = {
  RANDOM_FOREST: { n_estimators: 30 },
  XGBOOST: { n_estimators: 30 },
  SVM: {},
  NEURAL_NETWORK: { hidden_layer_sizes: [32], max_iter: 60 },
};

const labelsOf = (p: TabularPrediction[]) => p.map((x) => ('label' in x ? x.label : ''));
const valuesOf = (p: TabularPrediction[]) => p.map((x) => ('value' in x ? x.value : Number.NaN));

describe.each(['RANDOM_FOREST', 'XGBOOST', 'SVM', 'NEURAL_NETWORK'] as const)('%s', (algorithm) => {
  it('classifies severity far better than the majority class, and predicts the same after a JSON round trip', async () => {
    const spec = {
      algorithm,
      task: 'classification',
      target: 'severity',
      features,
      config: small[algorithm],
    } as const;
    const model = await trainModel(train, spec);
    expect(model.classes).toEqual(['high', 'low', 'medium']);
    expect(model.trainingRows).toBe(1200);
    const predictions = await predict(model, test);
    const ours = classificationMetrics(severity, labelsOf(predictions)).f1;
    const baseline = classificationMetrics(
      severity,
      majorityBaseline(
        train.map((r) => String(r['severity'])),
        test.length,
      ),
    ).f1;
    // The majority class ('high', 618 of 1,500 rows) scores one class's F1 over three, about 0.2;
    // the signal is strong (noise sd 0.5 against a middle band 1.4 wide): 0.6 is a clear margin.
    expect(baseline).toBeLessThan(0.25);
    expect(ours).toBeGreaterThan(0.6);
    for (const p of predictions) {
      if (!('label' in p)) throw new Error('expected a label');
      const total = Object.values(p.probabilities).reduce((a, b) => a + b, 0);
      expect(total).toBeCloseTo(1, 6);
    }
    const restored = JSON.parse(JSON.stringify(model));
    expect(await predict(restored, test)).toEqual(predictions);
  });

  it('regresses resolution hours far better than the mean, with an interval, the same after a JSON round trip', async () => {
    const spec = {
      algorithm,
      task: 'regression',
      target: 'resolution_hours',
      features,
      config: small[algorithm],
    } as const;
    const model = await trainModel(train, spec);
    const predictions = await predict(model, test);
    const values = valuesOf(predictions);
    const ours = regressionMetrics(hours, values);
    const baseline = regressionMetrics(
      hours,
      meanBaseline(
        train.map((r) => r['resolution_hours'] as number),
        test.length,
      ),
    );
    // The mean predicts nothing (R² ≤ 0); the score explains most of the variance (noise sd 2
    // hours against a total sd of 8.1 on these training rows, so R² could reach about 0.94).
    expect(baseline.r2).toBeLessThan(0.01);
    expect(ours.r2).toBeGreaterThan(0.6);
    expect(ours.mae).toBeLessThan(0.6 * baseline.mae);
    const residuals = model.residuals;
    if (!residuals) throw new Error('expected residual quantiles');
    expect(residuals.q05).toBeLessThan(0);
    expect(residuals.q95).toBeGreaterThan(0);
    let covered = 0;
    predictions.forEach((p, i) => {
      if (!('value' in p)) throw new Error('expected a value');
      expect(p.lower).toBeLessThanOrEqual(p.value);
      expect(p.upper).toBeGreaterThanOrEqual(p.value);
      if (p.lower <= (hours[i] as number) && (hours[i] as number) <= p.upper) covered++;
    });
    // A 90% interval: between 75% and 99% of 300 new rows fall inside.
    expect(covered / test.length).toBeGreaterThan(0.75);
    expect(covered / test.length).toBeLessThan(0.99);
    const restored = JSON.parse(JSON.stringify(model));
    expect(await predict(restored, test)).toEqual(predictions);
  });
});
