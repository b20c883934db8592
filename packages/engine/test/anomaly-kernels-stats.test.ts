import { describe, expect, it } from 'vitest';
import { gaussian, python } from '../../../test/support/python-reference.ts';
import { chiSquareHomogeneity } from '../src/anomaly/kernels/chi-square.ts';
import { generalizedEsd } from '../src/anomaly/kernels/gesd.ts';
import { ksTwoSample } from '../src/anomaly/kernels/ks-two-sample.ts';
import { potThreshold } from '../src/anomaly/kernels/pot.ts';
import { robustZScores } from '../src/anomaly/kernels/robust-z.ts';
import { regularizedGammaQ } from '../src/anomaly/kernels/special-functions.ts';
import { studentTCdf, studentTQuantile } from '../src/anomaly/kernels/student-t.ts';

describe('Student-t quantile (Hill 396 + Newton)', () => {
  const cases: [number, number][] = [
    [0.975, 1],
    [0.975, 2],
    [0.975, 3],
    [0.999, 5],
    [0.9999, 10],
    [0.99999, 100],
    [0.01, 7],
    [0.6, 30],
    [0.999999, 3998],
    [1 - 0.05 / (2 * 4000), 3998],
  ];
  it('matches scipy.stats.t.ppf to 1e-8 relative', () => {
    const ref = python<number[]>(
      'import json,sys\nfrom scipy.stats import t\nprint(json.dumps([t.ppf(p, df) for p, df in json.load(sys.stdin)]))',
      cases,
    );
    cases.forEach(([p, df], i) => {
      expect(studentTQuantile(p, df)).toBeCloseTo(ref[i]!, 7);
      expect(Math.abs(studentTQuantile(p, df) / ref[i]! - 1)).toBeLessThan(1e-8);
    });
  });
  it('inverts its own CDF and rejects p outside (0, 1)', () => {
    expect(studentTCdf(studentTQuantile(0.9, 4), 4)).toBeCloseTo(0.9, 12);
    expect(() => studentTQuantile(1, 4)).toThrow(RangeError);
  });
});

describe('robust z-score', () => {
  it('uses the median and 1.4826·MAD (worked by hand)', () => {
    // Values 1..9 and 100: median 5.5; |x − 5.5| sorted = 0.5,0.5,1.5,1.5,2.5,2.5,3.5,3.5,4.5,94.5,
    // median 2.5, so scale = 1.4826·2.5 = 3.7065 and z(100) = 94.5 / 3.7065 = 25.4958.
    const r = robustZScores([1, 2, 3, 4, 5, 6, 7, 8, 9, 100]);
    expect(r.center).toBe(5.5);
    expect(r.scale).toBeCloseTo(3.7065, 3);
    expect(r.scores[9]).toBeCloseTo(25.4958, 3);
  });
  it('matches scipy median_abs_deviation(scale="normal") on a Gaussian sample', () => {
    const x = gaussian(501, 7, 10, 2);
    const ref = python<{ med: number; mad: number }>(
      'import json,sys,numpy as np\nfrom scipy.stats import median_abs_deviation as m\nx=np.array(json.load(sys.stdin))\nprint(json.dumps({"med": float(np.median(x)), "mad": float(m(x, scale="normal"))}))',
      x,
    );
    const r = robustZScores(x);
    expect(r.center).toBeCloseTo(ref.med, 12);
    expect(r.scale).toBeCloseTo(ref.mad, 4); // scipy's "normal" is 1/Φ⁻¹(¾) = 1.482602…, ours the same
  });
});

describe('generalised ESD (Rosner 1983)', () => {
  // NIST/SEMATECH e-Handbook §1.3.5.17.3: the 54 Rosner test values, r = 10, α = 0.05.
  const rosner = [
    -0.25, 0.68, 0.94, 1.15, 1.2, 1.26, 1.26, 1.34, 1.38, 1.43, 1.49, 1.49, 1.55, 1.56, 1.58, 1.65, 1.69, 1.7,
    1.76, 1.77, 1.81, 1.91, 1.94, 1.96, 1.99, 2.06, 2.09, 2.1, 2.14, 2.15, 2.23, 2.24, 2.26, 2.35, 2.37, 2.4,
    2.47, 2.54, 2.62, 2.64, 2.9, 2.92, 2.92, 2.93, 3.21, 3.26, 3.3, 3.59, 3.68, 4.3, 4.64, 5.34, 5.42, 6.01,
  ];
  it('reproduces the NIST handbook table: R_i, λ_i and three outliers', () => {
    const r = generalizedEsd(rosner, { maxOutliers: 10, alpha: 0.05 });
    // NIST's printed R_i and λ_i (3 decimals).
    const nistR = [3.118, 2.942, 3.179, 2.81, 2.815, 2.848, 2.279, 2.31, 2.101, 2.067];
    const nistL = [3.158, 3.151, 3.143, 3.136, 3.128, 3.12, 3.111, 3.103, 3.094, 3.085];
    for (const [i, v] of nistR.entries()) expect(r.statistics[i]).toBeCloseTo(v, 2);
    for (const [i, v] of nistL.entries()) expect(r.criticals[i]).toBeCloseTo(v, 2);
    expect(r.count).toBe(3);
    expect([...r.indices.slice(0, 3)].map((i) => rosner[i])).toEqual([6.01, 5.42, 5.34]);
  });
  it('robust variant finds a planted outlier in Gaussian noise and nothing else', () => {
    const x = gaussian(1000, 3);
    x[123] = 9;
    const r = generalizedEsd(x, { maxOutliers: 20, alpha: 0.05, robust: true });
    expect(r.count).toBe(1);
    expect(r.indices[0]).toBe(123);
  });
});

describe('two-sample Kolmogorov–Smirnov', () => {
  it('matches scipy ks_2samp statistic and kstwobign p-value', () => {
    const a = gaussian(400, 11);
    const b = gaussian(300, 12, 0.3, 1.2);
    const ref = python<{ d: number; p: number; pAsymp: number }>(
      [
        'import json,sys,numpy as np',
        'from scipy.stats import ks_2samp, kstwobign',
        'a,b=json.load(sys.stdin)',
        'r=ks_2samp(a,b,method="asymp")',
        'en=len(a)*len(b)/(len(a)+len(b))',
        'print(json.dumps({"d":float(r.statistic),"p":float(kstwobign.sf(np.sqrt(en)*r.statistic)),"pAsymp":float(r.pvalue)}))',
      ].join('\n'),
      [a, b],
    );
    const r = ksTwoSample(a, b);
    expect(r.statistic).toBeCloseTo(ref.d, 12);
    expect(r.pValue).toBeCloseTo(ref.p, 10);
    // scipy's own "asymp" uses the finite-n Kolmogorov law; the limit law is within 0.01 at this size.
    expect(Math.abs(r.pValue - ref.pAsymp)).toBeLessThan(0.01);
  });
  it('handles ties like scipy (D = 0.5 worked by hand for [1,1,2,2] vs [2,2,3,3])', () => {
    expect(ksTwoSample([1, 1, 2, 2], [2, 2, 3, 3]).statistic).toBe(0.5);
  });
});

describe('chi-square test of homogeneity', () => {
  it('matches scipy chi2_contingency(correction=False)', () => {
    const table = [
      [30, 45, 20, 5],
      [22, 60, 35, 18],
      [10, 12, 9, 1],
    ];
    const ref = python<{ stat: number; p: number; dof: number }>(
      'import json,sys\nfrom scipy.stats import chi2_contingency as c\nr=c(json.load(sys.stdin),correction=False)\nprint(json.dumps({"stat":float(r[0]),"p":float(r[1]),"dof":int(r[2])}))',
      table,
    );
    const r = chiSquareHomogeneity(table);
    expect(r.statistic).toBeCloseTo(ref.stat, 10);
    expect(r.dof).toBe(ref.dof);
    expect(r.pValue).toBeCloseTo(ref.p, 10);
  });
  it('regularised upper gamma matches scipy.special.gammaincc', () => {
    const cases: [number, number][] = [
      [0.5, 0.1],
      [1, 1],
      [3, 10],
      [25, 20],
      [100, 130],
    ];
    const ref = python<number[]>(
      'import json,sys\nfrom scipy.special import gammaincc\nprint(json.dumps([gammaincc(a,x) for a,x in json.load(sys.stdin)]))',
      cases,
    );
    for (const [i, [a, x]] of cases.entries()) expect(regularizedGammaQ(a, x)).toBeCloseTo(ref[i]!, 12);
  });
  it('rejects a table with fewer than two non-empty rows', () => {
    expect(() =>
      chiSquareHomogeneity([
        [1, 2, 3],
        [0, 0, 0],
      ]),
    ).toThrow(RangeError);
  });
});

describe('peaks over threshold', () => {
  it('puts the exponential tail level where the exponential law does', () => {
    // Exponential(1) quantiles: the value exceeded with probability q is −ln q; with q = 1e-4 that is
    // 9.21. The sample is the exact quantile grid, so the fitted tail (ξ ≈ 0) must land close to it.
    const n = 100_000;
    const x = Float64Array.from({ length: n }, (_, i) => -Math.log(1 - (i + 0.5) / n));
    const r = potThreshold(x, { risk: 1e-4 });
    expect(Math.abs(r.shape)).toBeLessThan(0.05);
    expect(r.threshold).toBeGreaterThan(8.7);
    expect(r.threshold).toBeLessThan(9.7);
  });
});
