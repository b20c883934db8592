import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  classificationMetrics,
  predict,
  type TabularAlgorithm,
  trainModel,
} from '../../../src/models/learn/index.ts';
import {
  pythonMissing,
  referenceScript,
  syntheticFeatures,
  syntheticIncidents,
  writeRowsCsv,
} from './learn-fixtures.ts';

/**
 * Ours against scikit-learn (RandomForest, SVC, MLP) and XGBoost (hist; scikit-learn's own
 * boosting is not the reference) on one seeded dataset: 2,000 training rows, the next 2,000 test
 * rows, the same preprocessing (see bench/models-reference.py). Macro-F1 within 0.02.
 */
const missing = pythonMissing();
if (missing) console.warn(`learn-sklearn: skipped, ${missing}`);

const all = syntheticIncidents(4000, 2026);
const train = all.slice(0, 2000);
const test = all.slice(2000);
const features = [...syntheticFeatures];
const directory = mkdtempSync(path.join(tmpdir(), 'learn-sklearn-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const settings: Record<
  TabularAlgorithm,
  { reference: string; ours: Record<string, unknown>; params: object }
> = {
  RANDOM_FOREST: {
    reference: 'forest',
    ours: { n_estimators: 100 },
    params: { n_estimators: 100, max_depth: 10 },
  },
  XGBOOST: { reference: 'xgboost', ours: { n_estimators: 50 }, params: { n_estimators: 50, max_depth: 6 } },
  SVM: { reference: 'svm', ours: {}, params: {} },
  NEURAL_NETWORK: {
    reference: 'mlp',
    ours: { hidden_layer_sizes: [50], max_iter: 100 },
    params: { hidden: [50], max_iter: 100 },
  },
};

describe.skipIf(missing !== null)('against scikit-learn and XGBoost on the same split', () => {
  it.each(['RANDOM_FOREST', 'XGBOOST', 'SVM', 'NEURAL_NETWORK'] as const)(
    '%s: macro-F1 within 0.02',
    async (algorithm) => {
      const setting = settings[algorithm];
      const model = await trainModel(train, {
        algorithm,
        task: 'classification',
        target: 'severity',
        features,
        config: setting.ours,
      });
      const labels = (await predict(model, test)).map((p) => ('label' in p ? p.label : ''));
      const ours = classificationMetrics(
        test.map((r) => String(r['severity'])),
        labels,
      ).f1;
      const csv = path.join(directory, `${algorithm}.csv`);
      writeRowsCsv(
        csv,
        [...features, 'severity', 'ours'],
        train,
        test.map((row, i) => ({ ...row, ours: labels[i] ?? null })),
      );
      const output = execFileSync(
        '/usr/bin/python3',
        [
          referenceScript,
          csv,
          setting.reference,
          'classification',
          'severity',
          'hours,users,noise,load',
          'team,weekend',
          JSON.stringify({ ...setting.params, threads: 1 }),
        ],
        { encoding: 'utf8' },
      );
      const reference = JSON.parse(output) as { score: number; ours_score: number };
      // scikit-learn scores our labels as we do (the same macro-F1 definition).
      expect(reference.ours_score).toBeCloseTo(ours, 10);
      expect(Math.abs(ours - reference.score)).toBeLessThanOrEqual(0.02);
    },
    60_000,
  );
});
