import { describe, expect, it } from 'vitest';
import { gaussian, python } from '../../../test/support/python-reference.ts';
import { selectAlarms } from '../src/anomaly/kernels/alarm-budget.ts';
import { cusum } from '../src/anomaly/kernels/cusum.ts';
import { averagePathLength, isolationForest } from '../src/anomaly/kernels/isolation-forest.ts';
import { mergeAlarms } from '../src/anomaly/kernels/post-process.ts';
import { rollingMadBand, rollingQuantileBand, staticThreshold } from '../src/anomaly/kernels/thresholds.ts';

describe('isolation forest (Liu, Ting & Zhou 2008)', () => {
  it('c(n) is the BST unsuccessful-search length (worked by hand)', () => {
    // c(256) = 2(ln 255 + 0.5772156649) − 2·255/256 = 2(5.5413 + 0.5772) − 1.9922 = 10.2448.
    expect(averagePathLength(256)).toBeCloseTo(10.2448, 3);
    expect(averagePathLength(2)).toBe(1);
    expect(averagePathLength(1)).toBe(0);
  });

  /** 1,000 points of a 2-D Gaussian blob plus 10 far points at radius 8 (beyond every inlier's range). */
  function blob(): { data: Float64Array; rows: number; cols: number } {
    const x = gaussian(1000, 1);
    const y = gaussian(1000, 2);
    const data = new Float64Array(1010 * 2);
    for (let i = 0; i < 1000; i++) {
      data[2 * i] = x[i]!;
      data[2 * i + 1] = y[i]!;
    }
    for (let k = 0; k < 10; k++) {
      data[2 * (1000 + k)] = 8 * Math.cos((2 * Math.PI * k) / 10);
      data[2 * (1000 + k) + 1] = 8 * Math.sin((2 * Math.PI * k) / 10);
    }
    return { data, rows: 1010, cols: 2 };
  }

  it('ranks the ten planted outliers first and agrees with scikit-learn on the score scale', () => {
    const m = blob();
    const s = isolationForest(m, { seed: 7 });
    const top = Array.from(s.keys())
      .sort((a, b) => s[b]! - s[a]!)
      .slice(0, 10);
    expect(top.every((i) => i >= 1000)).toBe(true);
    const ref = python<{ inlier: number; outlier: number }>(
      [
        'import json,sys,numpy as np',
        'from sklearn.ensemble import IsolationForest',
        'X=np.array(json.load(sys.stdin)).reshape(-1,2)',
        's=-IsolationForest(n_estimators=100,max_samples=256,random_state=0).fit(X).score_samples(X)',
        'print(json.dumps({"inlier":float(np.mean(s[:1000])),"outlier":float(np.mean(s[1000:]))}))',
      ].join('\n'),
      Array.from(m.data),
    );
    const inlier = s.slice(0, 1000).reduce((a, b) => a + b, 0) / 1000;
    const outlier = s.slice(1000).reduce((a, b) => a + b, 0) / 10;
    // Different random trees, same estimator: mean scores within 0.03 of scikit-learn's.
    expect(Math.abs(inlier - ref.inlier)).toBeLessThan(0.03);
    expect(Math.abs(outlier - ref.outlier)).toBeLessThan(0.03);
  });
  it('is deterministic for a seed', () => {
    const m = blob();
    expect(isolationForest(m, { seed: 3 })).toEqual(isolationForest(m, { seed: 3 }));
  });
});

describe('CUSUM (Page 1954)', () => {
  it('alarms once for a lasting level shift, near where it starts, and never on stationary noise', () => {
    const x = gaussian(600, 9);
    for (let i = 300; i < 600; i++) x[i]! += 2;
    // h = 8σ: the in-control run length is thousands of points (Siegmund), so 300 noise points stay quiet.
    const r = cusum(x, { drift: 0.5, threshold: 8, sigma: 1 });
    expect(r.alarms).toHaveLength(1);
    const a = r.alarms[0]!;
    expect(a.direction).toBe(1);
    expect(a.start).toBeGreaterThanOrEqual(290);
    expect(a.alarm).toBeLessThan(320);
    expect(a.shiftedLevel).toBeGreaterThan(1);
    expect(cusum(gaussian(600, 10), { drift: 0.5, threshold: 10, sigma: 1 }).alarms).toHaveLength(0);
  });
  it('hand-worked sums: z = 0,0,…,3,3,3 with k = 0.5, h = 4 alarms at the second 3 (S⁺ = 2.5, 5)', () => {
    const x = [0, 0, 0, 0, 0, 3, 3, 3];
    const r = cusum(x, { drift: 0.5, threshold: 4, sigma: 1, warmup: 3 });
    expect(r.alarms[0]!.alarm).toBe(6);
    expect(r.alarms[0]!.statistic).toBe(5);
    expect(r.alarms[0]!.start).toBe(5);
  });
  it('drops an alarm that the following points do not confirm (minShift)', () => {
    const x = [0, 0, 0, 0, 0, 9, 9, 0, 0, 0, 0, 0];
    expect(cusum(x, { drift: 0.5, threshold: 4, sigma: 1, warmup: 3 }).alarms).toHaveLength(1);
    expect(cusum(x, { drift: 0.5, threshold: 4, sigma: 1, warmup: 3, minShift: 2 }).alarms).toHaveLength(0);
  });
});

describe('thresholds', () => {
  it('static bounds flag below lower and above upper', () => {
    const b = staticThreshold([5, 11, 0, 7], 1, 10);
    expect([...b.flags]).toEqual([0, 1, 1, 0]);
  });
  it('rolling median ± k·MAD uses only the previous window (hand-worked)', () => {
    // Window [1,2,3,4,5]: median 3, MAD 1·1.4826, k = 3 → band [−1.4478, 7.4478]; 8 is out, 7 is in.
    const b = rollingMadBand([1, 2, 3, 4, 5, 8, 7], 5, 3);
    expect(b.center[5]).toBe(3);
    expect(b.upper[5]).toBeCloseTo(7.4478, 4);
    expect(b.flags[5]).toBe(1);
    expect(Number.isNaN(b.center[4]!)).toBe(true);
    const q = rollingQuantileBand([1, 2, 3, 4, 5, 8], 5, 0.1, 0.9);
    // numpy.quantile([1,2,3,4,5], [0.1, 0.9]) = [1.4, 4.6]
    expect(q.lower[5]).toBeCloseTo(1.4, 12);
    expect(q.upper[5]).toBeCloseTo(4.6, 12);
  });
});

describe('alarm post-processing', () => {
  it('one incident storm is one anomaly, not six', () => {
    // Six flagged hours with gaps of one and two quiet hours between some of them.
    const storm = [100, 101, 103, 104, 107, 108].map((index, k) => ({ index, score: 5 + k }));
    const alarms = mergeAlarms(storm, { mergeGap: 3 });
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({ startIndex: 100, endIndex: 108, peakIndex: 108, hits: 6 });
  });
  it('minimum hits drops lone blips; suppression folds a second burst into the first', () => {
    const points = [10, 50, 51, 52, 60, 61].map((index) => ({ index, score: 1 }));
    expect(mergeAlarms(points, { minHits: 2 }).map((a) => a.startIndex)).toEqual([50, 60]);
    const folded = mergeAlarms(points, { minHits: 2, suppressionPoints: 10 });
    expect(folded).toHaveLength(1);
    expect(folded[0]).toMatchObject({ startIndex: 50, endIndex: 52, hits: 5 });
  });
  it('the alarm budget keeps the strongest alarms, apart from each other, above the relative cut', () => {
    // Worked by hand. Scores 10, 9, 8, 3, 2 at windows [0,1], [3,4], [20,22], [40,40], [60,60].
    const c = [
      { start: 40, end: 40, score: 3 },
      { start: 3, end: 4, score: 9 },
      { start: 0, end: 1, score: 10 },
      { start: 20, end: 22, score: 8 },
      { start: 60, end: 60, score: 2 },
    ];
    // Exclusion 2: [3,4] lies within 2 of the best [0,1] and is the same event; the cut 0.25·10 = 2.5
    // keeps 3 and drops 2; the budget of 10 does not bind. Returned in start order.
    expect(selectAlarms(c, { maxAlarms: 10, relativeScore: 0.25, exclusion: 2 })).toEqual([2, 3, 0]);
    // Without exclusion (only overlap counts) [3,4] is its own alarm; a budget of 2 keeps the best two.
    expect(selectAlarms(c, { maxAlarms: 2 })).toEqual([2, 1]);
    expect(selectAlarms([], { maxAlarms: 1 })).toEqual([]);
    expect(() => selectAlarms(c, { maxAlarms: 0 })).toThrow(RangeError);
    expect(() => selectAlarms(c, { maxAlarms: 1, relativeScore: 2 })).toThrow(RangeError);
  });
});
