import { describe, expect, it } from 'vitest';
import { python } from '../../../test/support/python-reference.ts';
import { esdPointPValue } from '../src/anomaly/detect/detect-build.ts';
import { binomialTail } from '../src/anomaly/kernels/binomial-tail.ts';
import { poissonTail } from '../src/anomaly/kernels/poisson-tail.ts';
import { normalSf, regularizedGammaQ } from '../src/anomaly/kernels/special-functions.ts';
import { normalQuantile, studentTQuantile, studentTSf } from '../src/anomaly/kernels/student-t.ts';

// Every reference below is computed live by scipy.stats (Debian's python3-scipy) at arguments chosen
// by scipy's own inverse, so the grid reaches the far tails the detectors report: p down to 1e-12.
const tails = [0.05, 1e-4, 1e-8, 1e-10, 1e-12];

/** |got / ref − 1|. */
const relative = (got: number, ref: number) => Math.abs(got / ref - 1);

describe('distribution tails match scipy.stats down to p = 1e-12', () => {
  it('Student-t upper tail and the ESD point p-value keep their relative accuracy', () => {
    const ref = python<{ x: number; df: number; sf: number }[]>(
      [
        'import json,sys',
        'from scipy.stats import t',
        'tails=json.load(sys.stdin)',
        'out=[{"x": float(t.isf(p, df)), "df": df} for df in [1, 3, 30, 998] for p in tails]',
        'for c in out: c["sf"]=float(t.sf(c["x"], c["df"]))',
        'print(json.dumps(out))',
      ].join('\n'),
      tails,
    );
    for (const { x, df, sf } of ref) {
      expect(relative(studentTSf(x, df), sf)).toBeLessThan(1e-10);
      // The ESD statistic R among m points whose t (m − 2 dof) is x: R² = (m − 1)² t² / (m (m − 2 + t²)).
      // With few points a far-tail R sits next to its bound (m − 1)/√m and the R → t map itself is
      // ill-conditioned, so the p-value is checked where ESD runs: series of 32 and 1,000 points.
      if (df < 30) continue;
      const m = df + 2;
      const r = Math.sqrt(((m - 1) ** 2 * x * x) / (m * (m - 2 + x * x)));
      expect(relative(esdPointPValue(r, m), 2 * sf)).toBeLessThan(1e-7);
    }
  });

  it('Student-t quantile matches t.ppf to 1e-8 relative in the far tail', () => {
    const cases = [1, 30, 100].flatMap((df) => tails.map((p) => [1 - p / 2, df] as const));
    const ref = python<number[]>(
      'import json,sys\nfrom scipy.stats import t\nprint(json.dumps([float(t.ppf(p, df)) for p, df in json.load(sys.stdin)]))',
      cases,
    );
    cases.forEach(([p, df], i) => {
      expect(relative(studentTQuantile(p, df), ref[i]!)).toBeLessThan(1e-8);
    });
  });

  it('normal upper tail matches norm.sf to 1e-13 relative, normal quantile norm.ppf to 1e-14', () => {
    const ref = python<{ z: number[]; sf: number[]; ppf: number[] }>(
      [
        'import json,sys',
        'from scipy.stats import norm',
        'ps=json.load(sys.stdin)',
        'z=[float(norm.isf(p)) for p in ps]',
        'print(json.dumps({"z": z, "sf": [float(norm.sf(v)) for v in z], "ppf": [float(norm.ppf(1 - p)) for p in ps]}))',
      ].join('\n'),
      tails,
    );
    ref.z.forEach((z, i) => {
      expect(relative(normalSf(z), ref.sf[i]!)).toBeLessThan(1e-13);
      expect(relative(normalQuantile(1 - tails[i]!), ref.ppf[i]!)).toBeLessThan(1e-14);
    });
  });

  it('binomial and Poisson tails match binom and poisson to 1e-12 relative', () => {
    const ref = python<{ binom: number[][]; poisson: number[][] }>(
      [
        'import json,sys',
        'from scipy.stats import binom, poisson',
        'tails=json.load(sys.stdin)',
        'b=[]',
        'for n, q in [(100, 0.12), (2000, 0.15), (20000, 0.1)]:',
        '  for p in tails:',
        '    k=int(binom.isf(p, n, q)) + 1; b.append([k, n, q, 1, float(binom.sf(k - 1, n, q))])',
        '    k=int(binom.ppf(p, n, q)) - 1',
        '    if k >= 0: b.append([k, n, q, 0, float(binom.cdf(k, n, q))])',
        'po=[]',
        'for mu in [2, 12.5, 1000]:',
        '  for p in tails:',
        '    k=int(poisson.isf(p, mu)) + 1; po.append([k, mu, 1, float(poisson.sf(k - 1, mu))])',
        '    k=int(poisson.ppf(p, mu)) - 1',
        '    if k >= 0: po.append([k, mu, 0, float(poisson.cdf(k, mu))])',
        'print(json.dumps({"binom": b, "poisson": po}))',
      ].join('\n'),
      tails,
    );
    for (const [k, n, q, upper, want] of ref.binom) {
      const got = binomialTail(k!, n!, q!, upper === 1 ? 'upper' : 'lower');
      expect(relative(got, want!)).toBeLessThan(1e-12);
    }
    for (const [k, mu, upper, want] of ref.poisson) {
      expect(relative(poissonTail(k!, mu!, upper === 1 ? 'upper' : 'lower'), want!)).toBeLessThan(5e-12);
    }
  });

  it('chi-square upper tail Q(dof/2, x/2) matches chi2.sf to 1e-13 relative', () => {
    const ref = python<[number, number, number][]>(
      [
        'import json,sys',
        'from scipy.stats import chi2',
        'ps=json.load(sys.stdin)',
        'xs=[(df, float(chi2.isf(p, df))) for df in [1, 3, 12] for p in ps]',
        'print(json.dumps([[df, x, float(chi2.sf(x, df))] for df, x in xs]))',
      ].join('\n'),
      tails,
    );
    for (const [df, x, sf] of ref) expect(relative(regularizedGammaQ(df / 2, x / 2), sf)).toBeLessThan(1e-13);
  });
});
