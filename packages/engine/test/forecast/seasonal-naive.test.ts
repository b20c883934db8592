import { describe, expect, it } from 'vitest';
import { normalQuantile } from '../../src/anomaly/kernels/student-t.ts';
import { coverage, mase, naiveScale, scoreFolds, smape } from '../../src/forecast/evaluate.ts';
import { forecast } from '../../src/forecast/forecast.ts';
import { seasonalNaive } from '../../src/forecast/seasonal-naive.ts';

const day = 86_400_000;
const start = Date.UTC(2026, 0, 5);

describe('seasonal naive, worked by hand', () => {
  // Season 4: 1 2 3 4 | 2 3 4 5. Every seasonal difference y(t) − y(t−4) is 1, so σ = 1.
  const values = [1, 2, 3, 4, 2, 3, 4, 5];
  const z = 1.959963984540054; // Φ⁻¹(0.975), scipy.stats.norm.ppf(0.975)

  it('repeats the last season and widens by √(k+1) per completed season', () => {
    const f = seasonalNaive(values, 4, 6, 0.95);
    expect(f.point).toEqual([2, 3, 4, 5, 2, 3]);
    const half = f.upper.map((u, h) => u - f.point[h]!);
    for (let h = 0; h < 4; h++) expect(half[h]).toBeCloseTo(z, 8);
    for (let h = 4; h < 6; h++) expect(half[h]).toBeCloseTo(z * Math.SQRT2, 8);
  });

  it('is what forecast() answers, with timestamps one step after the last and bounds clamped at 0', async () => {
    const timestamps = values.map((_, i) => start + i * day);
    const r = await forecast(
      { timestamps, values },
      { horizon: 6, algorithm: 'SEASONAL_NAIVE', seasonalPeriods: [4] },
    );
    expect(r.algorithm).toBe('SEASONAL_NAIVE');
    expect(r.stepMs).toBe(day);
    expect(r.points.map((p) => p.timestamp)).toEqual([8, 9, 10, 11, 12, 13].map((i) => start + i * day));
    expect(r.points.map((p) => p.value)).toEqual([2, 3, 4, 5, 2, 3]);
    expect(r.points[0]!.lower).toBeCloseTo(2 - z, 8); // 0.04: above 0, kept
    expect(r.points[4]!.lower).toBe(0); // 2 − 1.96·√2 < 0: clamped
    expect(r.fallback).toBeUndefined();
  });

  it('normalQuantile matches scipy.stats.norm.ppf', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(z, 8);
    expect(normalQuantile(0.9)).toBeCloseTo(1.2815515655446004, 8);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306167813, 7);
  });
});

describe('evaluation metrics, worked by hand', () => {
  it('MASE scales by the seasonal naive in-sample error', () => {
    // history 1 2 3 4 2 3 4 5, m = 4: |2−1|, |3−2|, |4−3|, |5−4| → scale 1.
    expect(naiveScale([1, 2, 3, 4, 2, 3, 4, 5], 4)).toBe(1);
    // errors 1 and 3 → MAE 2, scale 0.5 → MASE 4.
    expect(mase([10, 20], [11, 17], 0.5)).toBe(4);
  });

  it('sMAPE counts a correct forecast of 0 as 0 and a miss of 0 as 200', () => {
    // terms: 200·10/30 = 66.67, 0 (0 and 0), 200 (0 against 5) → mean 88.89
    expect(smape([10, 0, 0], [20, 0, 5])).toBeCloseTo((200 / 3 + 0 + 200) / 3, 10);
  });

  it('coverage counts the bounds as inside', () => {
    // 1 on the lower bound, 5 on the upper, 7 above, 0 below → 2 of 4
    expect(coverage([1, 5, 7, 0], [1, 1, 1, 1], [5, 5, 5, 5])).toBe(0.5);
  });

  it('scoreFolds scores each fold on its own history and pools the coverage', () => {
    const values = [1, 2, 3, 4, 2, 3, 4, 5, 3, 9];
    // One fold at origin 8: history scale 1 (above); actual 3 9, forecast 3 5 → errors 0 and 4, MAE 2,
    // MASE 2; 3 lies in [2, 4], 9 outside [4, 6] → coverage 0.5.
    const s = scoreFolds(values, [8], 2, 4, [{ point: [3, 5], lower: [2, 4], upper: [4, 6] }]);
    expect(s.mase).toBe(2);
    expect(s.coverage).toBe(0.5);
  });
});
