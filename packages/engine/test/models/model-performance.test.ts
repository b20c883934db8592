import { describe, expect, it } from 'vitest';
import {
  classificationScores,
  compareWithBaseline,
  forecastScores,
  regressionScores,
} from '../../src/models/model-performance.ts';

const classifier = (f1: number) => ({
  accuracy: 0.8,
  precision: 0.7,
  recall: 0.6,
  f1,
  per_class: {},
  confusion_matrix: { labels: [], matrix: [] },
});

describe('the four spec scores and the baseline verdict (worked by hand)', () => {
  it('classifiers: the macro averages; a model beats the majority class only with a higher macro-F1', () => {
    expect(classificationScores(classifier(0.65))).toEqual({
      accuracy_score: 0.8,
      precision_score: 0.7,
      recall_score: 0.6,
      f1_score: 0.65,
    });
    expect(compareWithBaseline('classification', classifier(0.5), classifier(0.2))).toEqual({
      beats: true,
      verdict: 'beats the majority-class baseline: macro-F1 0.500 against 0.200',
    });
    expect(compareWithBaseline('classification', classifier(0.2), classifier(0.2)).beats).toBe(false);
  });

  it('regressors: accuracy_score is R² clipped at 0, the others null; lower MAE beats the mean', () => {
    expect(regressionScores({ mae: 1, rmse: 2, r2: -0.3, mape: null })).toEqual({
      accuracy_score: 0,
      precision_score: null,
      recall_score: null,
      f1_score: null,
    });
    expect(regressionScores({ mae: 1, rmse: 2, r2: 0.42, mape: null }).accuracy_score).toBe(0.42);
    const verdict = compareWithBaseline(
      'regression',
      { mae: 3, rmse: 4, r2: 0, mape: null },
      { mae: 2, rmse: 3, r2: 0, mape: null },
    );
    expect(verdict).toEqual({
      beats: false,
      verdict: 'does not beat the mean baseline: MAE 3.000 against 2.000',
    });
  });

  it('forecasts: accuracy_score is 1 − sMAPE/200 (sMAPE 30% → 0.85); lower MASE beats seasonal naive', () => {
    expect(forecastScores({ mase: 0.8, smape: 30, coverage: 0.9, mae: 2 }).accuracy_score).toBe(0.85);
    expect(
      compareWithBaseline(
        'forecast',
        { mase: 0.8, smape: 30, coverage: 0.9, mae: 2 },
        { mase: 1.1, smape: 35, coverage: 0.8, mae: 3 },
      ),
    ).toEqual({ beats: true, verdict: 'beats seasonal naive: MASE 0.800 against 1.100' });
  });
});
