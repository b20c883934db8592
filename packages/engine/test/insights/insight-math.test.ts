import { describe, expect, it } from 'vitest';
import { poissonQuantile } from '../../src/insights/anomaly-insights.ts';
import {
  comparedTo,
  confidenceLevelOf,
  countAccuracy,
  intervalConfidence,
  median,
  probabilityAbove,
  riskAccuracy,
  sumSteps,
} from '../../src/insights/insight-math.ts';

describe('insight arithmetic', () => {
  it('puts confidence scores in levels at the documented cut-offs 0.8 and 0.5', () => {
    expect([0.95, 0.8, 0.7999, 0.5, 0.4999, 0].map(confidenceLevelOf)).toEqual([
      'HIGH',
      'HIGH',
      'MEDIUM',
      'MEDIUM',
      'LOW',
      'LOW',
    ]);
  });

  it('scores a count forecast by the width of its interval', () => {
    // 42 between 31 and 55: w = 24 / (2 * 42) = 0.2857, 1 / 1.2857 = 0.7778 (by hand).
    expect(intervalConfidence(42, 31, 55)).toBeCloseTo(0.7778, 4);
    // An interval as wide as the value on each side: 1 / (1 + 1) = 0.5.
    expect(intervalConfidence(10, 0, 20)).toBe(0.5);
    // Below 1 the value counts as 1, so a zero forecast with a narrow band is not infinitely unsure.
    expect(intervalConfidence(0, 0, 2)).toBe(0.5);
  });

  it('sums forecast steps and their bounds', () => {
    const steps = [
      { mean: 6, lower: 4, upper: 9 },
      { mean: 5, lower: -1, upper: 8 },
    ];
    // Negative lower bounds count as 0: 4 + 0.
    expect(sumSteps(steps)).toEqual({ value: 11, lower: 4, upper: 17 });
  });

  it('reads an interval as a normal distribution to give the chance of passing a threshold', () => {
    // value 12 with 5-95% interval [8, 16]: sd = 8 / (2 * 1.6449) = 2.4318; P(X > 8) = 0.95 and
    // P(X > 10) = 0.7946 (scipy.stats.norm.sf).
    expect(probabilityAbove({ value: 12, lower: 8, upper: 16 }, 8)).toBeCloseTo(0.95, 4);
    expect(probabilityAbove({ value: 12, lower: 8, upper: 16 }, 10)).toBeCloseTo(0.7946, 4);
    expect(probabilityAbove({ value: 12, lower: 12, upper: 12 }, 10)).toBe(1);
  });

  it('measures accuracy as 1 - |actual - predicted| / max(actual, predicted), and risks by the share that came true', () => {
    expect(countAccuracy(35, 42)).toBeCloseTo(1 - 7 / 42, 10);
    expect(countAccuracy(5, 6)).toBeCloseTo(1 - 1 / 6, 10);
    expect(countAccuracy(0, 0)).toBe(1);
    expect(countAccuracy(0, 3)).toBe(0);
    expect(riskAccuracy([true, false])).toBe(0.5);
    expect(riskAccuracy([true])).toBe(1);
    expect(riskAccuracy([])).toBeNull();
  });

  it('compares a forecast with its reference in words', () => {
    expect(comparedTo(42, 35)).toBe('20% above');
    expect(comparedTo(30, 40)).toBe('25% below');
    expect(comparedTo(41, 40)).toBe('in line with');
    expect(comparedTo(5, 0)).toBeNull();
    expect(median([3, 1, 2, 10])).toBe(2.5);
  });

  it('gives Poisson quantiles as scipy.stats.poisson.ppf does', () => {
    // scipy: ppf(0.05, 1) = 0, ppf(0.95, 1) = 3, ppf(0.05, 2.5) = 0, ppf(0.95, 2.5) = 5.
    expect([poissonQuantile(1, 0.05), poissonQuantile(1, 0.95)]).toEqual([0, 3]);
    expect([poissonQuantile(2.5, 0.05), poissonQuantile(2.5, 0.95)]).toEqual([0, 5]);
    expect(poissonQuantile(0, 0.95)).toBe(0);
  });
});
