/**
 * The engine's distribution functions against @stdlib's distribution packages and jStat 1.9.6:
 * accuracy against scipy.stats (Debian's /usr/bin/python3) over a grid that reaches the far tails
 * the detectors use (p down to 1e-12 and a step past it), and speed (tinybench) on the calls the
 * engine makes.
 *
 * Each function is compared on the quantity the engine needs: an upper tail is asked for as an
 * upper tail. A library that only has a CDF answers it as `1 − cdf` (what adopting its package
 * would mean); @stdlib's incomplete beta and gamma functions with `upper = true` are shown beside
 * it, being the way to get a far tail out of @stdlib at all.
 *
 * Run: `npx tsx --conditions=@incident-insights/source bench/distributions.bench.ts [--time MS]`
 * (`--time`: tinybench's time per task, default 300 ms).
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import betainc from '@stdlib/math-base-special-betainc';
import erfc from '@stdlib/math-base-special-erfc';
import gammainc from '@stdlib/math-base-special-gammainc';
import binomialCdf from '@stdlib/stats-base-dists-binomial-cdf';
import chisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantileStdlib from '@stdlib/stats-base-dists-normal-quantile';
import poissonCdf from '@stdlib/stats-base-dists-poisson-cdf';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import jStat from 'jstat';
import { Bench } from 'tinybench';
import { binomialTail } from '../packages/engine/src/anomaly/kernels/binomial-tail.ts';
import { poissonTail } from '../packages/engine/src/anomaly/kernels/poisson-tail.ts';
import { normalSf, regularizedGammaQ } from '../packages/engine/src/anomaly/kernels/special-functions.ts';
import {
  normalQuantile,
  studentTQuantile,
  studentTSf,
} from '../packages/engine/src/anomaly/kernels/student-t.ts';

const timeArg = process.argv.indexOf('--time');
const benchTime = timeArg > 0 ? Number(process.argv[timeArg + 1]) : 300;

/** Tail probabilities the grid aims at: each case's argument is scipy's inverse at one of them. */
const targets = [0.3, 0.05, 1e-3, 1e-5, 1e-7, 1e-9, 1e-10, 1e-11, 1e-12, 1e-14];
/** Cases whose reference is below this are reported apart (past the detectors' reach). */
const detectorFloor = 1e-12;

interface Grid {
  tSf: { x: number; df: number; ref: number }[];
  tPpf: { p: number; df: number; ref: number }[];
  normSf: { x: number; ref: number }[];
  normPpf: { p: number; ref: number }[];
  chi2Sf: { x: number; df: number; ref: number }[];
  poisUpper: { k: number; mu: number; ref: number }[];
  poisLower: { k: number; mu: number; ref: number }[];
  binomUpper: { k: number; n: number; p: number; ref: number }[];
  binomLower: { k: number; n: number; p: number; ref: number }[];
}

const scipyGrid = `
import json, sys
import numpy as np
from scipy import stats
targets = json.load(sys.stdin)
g = {k: [] for k in ["tSf","tPpf","normSf","normPpf","chi2Sf","poisUpper","poisLower","binomUpper","binomLower"]}
for df in [1, 2, 3, 5, 10, 30, 100, 1000, 3998]:
    for p in targets:
        x = float(stats.t.isf(p, df)); g["tSf"].append({"x": x, "df": df, "ref": float(stats.t.sf(x, df))})
        if p >= 1e-12: g["tPpf"].append({"p": 1 - p / 2, "df": df, "ref": float(stats.t.ppf(1 - p / 2, df))})
for p in targets:
    x = float(stats.norm.isf(p)); g["normSf"].append({"x": x, "ref": float(stats.norm.sf(x))})
for p in [0.5, 0.8, 0.9, 0.95, 0.975, 0.99, 0.995, 0.999, 1e-3, 0.02, 0.3]:
    g["normPpf"].append({"p": p, "ref": float(stats.norm.ppf(p))})
for df in [1, 2, 3, 4, 6, 10, 20, 50]:
    for p in targets:
        x = float(stats.chi2.isf(p, df)); g["chi2Sf"].append({"x": x, "df": df, "ref": float(stats.chi2.sf(x, df))})
for mu in [0.5, 2, 10, 50, 200, 1000]:
    for p in targets:
        k = int(stats.poisson.isf(p, mu)) + 1
        g["poisUpper"].append({"k": k, "mu": mu, "ref": float(stats.poisson.sf(k - 1, mu))})
        k = int(stats.poisson.ppf(p, mu)) - 1
        if k >= 0: g["poisLower"].append({"k": k, "mu": mu, "ref": float(stats.poisson.cdf(k, mu))})
for n in [20, 100, 1000, 10000]:
    for q in [0.01, 0.12, 0.5]:
        for p in targets:
            k = int(stats.binom.isf(p, n, q)) + 1
            if k <= n: g["binomUpper"].append({"k": k, "n": n, "p": q, "ref": float(stats.binom.sf(k - 1, n, q))})
            k = int(stats.binom.ppf(p, n, q)) - 1
            if k >= 0: g["binomLower"].append({"k": k, "n": n, "p": q, "ref": float(stats.binom.cdf(k, n, q))})
print(json.dumps(g))
`;

const grid = JSON.parse(
  execFileSync('/usr/bin/python3', ['-c', scipyGrid], { input: JSON.stringify(targets), encoding: 'utf8' }),
) as Grid;

/** |got / ref − 1|, or the absolute difference where the reference is 0 (or both are 0). */
function relativeError(got: number, ref: number): number {
  if (ref === 0) return Math.abs(got);
  return Math.abs(got / ref - 1);
}

interface Row {
  readonly name: string;
  readonly cases: number;
  readonly errors: Record<string, { within: number; beyond: number }>;
}

/** Worst relative error of each implementation, for references ≥ the floor and below it. */
function compare<T extends { ref: number }>(
  name: string,
  cases: readonly T[],
  implementations: Record<string, (c: T) => number>,
  floor = detectorFloor,
): Row {
  const errors: Row['errors'] = {};
  for (const [label, f] of Object.entries(implementations)) {
    let within = 0;
    let beyond = 0;
    for (const c of cases) {
      const e = relativeError(f(c), c.ref);
      const error = Number.isNaN(e) ? Number.POSITIVE_INFINITY : e;
      if (c.ref >= floor) within = Math.max(within, error);
      else beyond = Math.max(beyond, error);
    }
    errors[label] = { within, beyond };
  }
  return { name, cases: cases.length, errors };
}

const rows: Row[] = [
  compare('Student-t upper tail P(T > t)', grid.tSf, {
    engine: (c) => studentTSf(c.x, c.df),
    'stdlib t-cdf (1 − cdf)': (c) => 1 - tCdf(c.x, c.df),
    'stdlib betainc(upper)': (c) => 0.5 * betainc(c.df / (c.df + c.x * c.x), c.df / 2, 0.5),
    'jstat (1 − cdf)': (c) => 1 - jStat.studentt.cdf(c.x, c.df),
  }),
  compare(
    'Student-t quantile (ESD critical values)',
    grid.tPpf,
    {
      engine: (c) => studentTQuantile(c.p, c.df),
      'stdlib t-quantile': (c) => tQuantile(c.p, c.df),
      jstat: (c) => jStat.studentt.inv(c.p, c.df),
    },
    0,
  ),
  compare('normal upper tail 1 − Φ(z)', grid.normSf, {
    engine: (c) => normalSf(c.x),
    'stdlib normal-cdf (1 − cdf)': (c) => 1 - normalCdf(c.x, 0, 1),
    'stdlib normal-cdf(−z)': (c) => normalCdf(-c.x, 0, 1),
    'stdlib erfc': (c) => 0.5 * erfc(c.x / Math.SQRT2),
    'jstat (1 − cdf)': (c) => 1 - jStat.normal.cdf(c.x, 0, 1),
    'jstat cdf(−z)': (c) => jStat.normal.cdf(-c.x, 0, 1),
  }),
  compare(
    'normal quantile Φ⁻¹(p) (forecast intervals)',
    grid.normPpf.filter((c) => c.ref !== 0),
    {
      engine: (c) => normalQuantile(c.p),
      'stdlib normal-quantile': (c) => normalQuantileStdlib(c.p, 0, 1),
      jstat: (c) => jStat.normal.inv(c.p, 0, 1),
    },
    0,
  ),
  compare('chi-square upper tail P(X² ≥ x)', grid.chi2Sf, {
    engine: (c) => regularizedGammaQ(c.df / 2, c.x / 2),
    'stdlib chisquare-cdf (1 − cdf)': (c) => 1 - chisquareCdf(c.x, c.df),
    'stdlib gammainc(upper)': (c) => gammainc(c.x / 2, c.df / 2, true, true),
    'jstat (1 − cdf)': (c) => 1 - jStat.chisquare.cdf(c.x, c.df),
  }),
  compare('Poisson upper tail P(X ≥ k)', grid.poisUpper, {
    engine: (c) => poissonTail(c.k, c.mu, 'upper'),
    'stdlib poisson-cdf (1 − cdf)': (c) => 1 - poissonCdf(c.k - 1, c.mu),
    'stdlib gammainc(lower)': (c) => gammainc(c.mu, c.k),
    'jstat (1 − cdf)': (c) => 1 - jStat.poisson.cdf(c.k - 1, c.mu),
  }),
  compare('Poisson lower tail P(X ≤ k)', grid.poisLower, {
    engine: (c) => poissonTail(c.k, c.mu, 'lower'),
    'stdlib poisson-cdf': (c) => poissonCdf(c.k, c.mu),
    'jstat cdf': (c) => jStat.poisson.cdf(c.k, c.mu),
  }),
  compare('binomial upper tail P(X ≥ k)', grid.binomUpper, {
    engine: (c) => binomialTail(c.k, c.n, c.p, 'upper'),
    'stdlib binomial-cdf (1 − cdf)': (c) => 1 - binomialCdf(c.k - 1, c.n, c.p),
    'stdlib betainc': (c) => betainc(c.p, c.k, c.n - c.k + 1),
    'jstat (1 − cdf)': (c) => 1 - jStat.binomial.cdf(c.k - 1, c.n, c.p),
  }),
  compare('binomial lower tail P(X ≤ k)', grid.binomLower, {
    engine: (c) => binomialTail(c.k, c.n, c.p, 'lower'),
    'stdlib binomial-cdf': (c) => binomialCdf(c.k, c.n, c.p),
    'jstat cdf': (c) => jStat.binomial.cdf(c.k, c.n, c.p),
  }),
];

const fmt = (e: number) => (e === 0 ? '0' : Number.isFinite(e) ? e.toExponential(1) : 'NaN');
console.log(`Node ${process.version}, ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)}`);
console.log('\n## Accuracy: worst relative error against scipy.stats (references ≥ 1e-12 | below)\n');
console.log('| function | cases | implementation | worst error, p ≥ 1e-12 | worst error, p < 1e-12 |');
console.log('| --- | ---: | --- | ---: | ---: |');
for (const row of rows) {
  for (const [label, e] of Object.entries(row.errors)) {
    console.log(`| ${row.name} | ${row.cases} | ${label} | ${fmt(e.within)} | ${fmt(e.beyond)} |`);
  }
}

// Speed: the arguments the engine passes (ESD p-values at n ≈ 1,000 points, robust-z tails,
// chi-square on a 2 × 4 severity table, Poisson counts of an hourly bucket, binomial rates).
let sink = 0;
const bench = new Bench({ time: benchTime, warmup: true });
const tasks: Record<string, Record<string, () => number>> = {
  'Student-t upper tail (t = 4.2, df = 998)': {
    engine: () => studentTSf(4.2, 998),
    'stdlib t-cdf': () => 1 - tCdf(4.2, 998),
    'stdlib betainc': () => 0.5 * betainc(998 / (998 + 4.2 * 4.2), 499, 0.5),
    jstat: () => 1 - jStat.studentt.cdf(4.2, 998),
  },
  'Student-t quantile (p = 1 − 0.05/2000, df = 998)': {
    engine: () => studentTQuantile(1 - 0.05 / 2000, 998),
    'stdlib t-quantile': () => tQuantile(1 - 0.05 / 2000, 998),
    jstat: () => jStat.studentt.inv(1 - 0.05 / 2000, 998),
  },
  'normal upper tail (z = 5.3)': {
    engine: () => normalSf(5.3),
    'stdlib normal-cdf(−z)': () => normalCdf(-5.3, 0, 1),
    'stdlib erfc': () => 0.5 * erfc(5.3 / Math.SQRT2),
    jstat: () => jStat.normal.cdf(-5.3, 0, 1),
  },
  'normal quantile (p = 0.975)': {
    engine: () => normalQuantile(0.975),
    'stdlib normal-quantile': () => normalQuantileStdlib(0.975, 0, 1),
    jstat: () => jStat.normal.inv(0.975, 0, 1),
  },
  'chi-square upper tail (x = 31.4, df = 3)': {
    engine: () => regularizedGammaQ(1.5, 15.7),
    'stdlib chisquare-cdf': () => 1 - chisquareCdf(31.4, 3),
    'stdlib gammainc(upper)': () => gammainc(15.7, 1.5, true, true),
    jstat: () => 1 - jStat.chisquare.cdf(31.4, 3),
  },
  'Poisson upper tail (k = 41, λ = 12.5)': {
    engine: () => poissonTail(41, 12.5, 'upper'),
    'stdlib poisson-cdf': () => 1 - poissonCdf(40, 12.5),
    'stdlib gammainc': () => gammainc(12.5, 41),
    jstat: () => 1 - jStat.poisson.cdf(40, 12.5),
  },
  'Poisson upper tail (k = 1100, λ = 1000)': {
    engine: () => poissonTail(1100, 1000, 'upper'),
    'stdlib poisson-cdf': () => 1 - poissonCdf(1099, 1000),
    'stdlib gammainc': () => gammainc(1000, 1100),
    jstat: () => 1 - jStat.poisson.cdf(1099, 1000),
  },
  'Poisson lower tail (k = 2, λ = 12.5)': {
    engine: () => poissonTail(2, 12.5, 'lower'),
    'stdlib poisson-cdf': () => poissonCdf(2, 12.5),
    'stdlib gammainc(upper)': () => gammainc(12.5, 3, true, true),
    jstat: () => jStat.poisson.cdf(2, 12.5),
  },
  'binomial upper tail (k = 61, n = 300, p = 0.12)': {
    engine: () => binomialTail(61, 300, 0.12, 'upper'),
    'stdlib binomial-cdf': () => 1 - binomialCdf(60, 300, 0.12),
    'stdlib betainc': () => betainc(0.12, 61, 240),
    jstat: () => 1 - jStat.binomial.cdf(60, 300, 0.12),
  },
  'binomial lower tail (k = 1700, n = 20000, p = 0.1)': {
    engine: () => binomialTail(1700, 20000, 0.1, 'lower'),
    'stdlib binomial-cdf': () => binomialCdf(1700, 20000, 0.1),
    'stdlib betainc(upper)': () => betainc(0.1, 1701, 18300, true, true),
    jstat: () => jStat.binomial.cdf(1700, 20000, 0.1),
  },
};
for (const [group, impls] of Object.entries(tasks)) {
  for (const [label, f] of Object.entries(impls)) {
    bench.add(`${group} | ${label}`, () => {
      sink += f();
    });
  }
}
await bench.run();
console.log('\n## Speed: calls per second (tinybench, mean of the run; ratio against the engine)\n');
console.log('| call | implementation | calls/s | engine / this |');
console.log('| --- | --- | ---: | ---: |');
const hz = new Map<string, number>();
for (const task of bench.tasks) {
  const result = task.result;
  const throughput = result && 'throughput' in result ? result.throughput.mean : Number.NaN;
  hz.set(task.name, throughput);
}
for (const [group, impls] of Object.entries(tasks)) {
  const engineHz = hz.get(`${group} | engine`) ?? Number.NaN;
  for (const label of Object.keys(impls)) {
    const h = hz.get(`${group} | ${label}`) ?? Number.NaN;
    console.log(
      `| ${group} | ${label} | ${Math.round(h).toLocaleString('en')} | ${(engineHz / h).toFixed(2)}x |`,
    );
  }
}
if (sink === 42) console.log('');
