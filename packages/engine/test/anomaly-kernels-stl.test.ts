import { describe, expect, it } from 'vitest';
import { gaussian, python } from '../../../test/support/python-reference.ts';
import { detectSeriesAnomalies } from '../src/anomaly/detect/detect.ts';
import { defaultStlSettings, seasonalHybridEsd } from '../src/anomaly/kernels/seasonal-esd.ts';
import { type StlOptions, stl } from '../src/anomaly/kernels/stl.ts';

/** Hourly series: trend, a daily sine, Gaussian noise (seeded), and one spike at index 200. */
function hourly(n: number): number[] {
  const noise = gaussian(n, 5);
  return Array.from({ length: n }, (_, t) => {
    const v = 10 + 0.01 * t + 3 * Math.sin((2 * Math.PI * t) / 24) + noise[t]!;
    return t === 200 ? v + 15 : v;
  });
}

const stlPython = [
  'import json,sys,numpy as np',
  'from statsmodels.tsa.seasonal import STL',
  'd=json.load(sys.stdin); y=np.array(d["y"]); o=d["o"]',
  'kw={k: o[k] for k in ("seasonal","trend","low_pass","seasonal_deg","trend_deg","low_pass_deg","seasonal_jump","trend_jump","low_pass_jump","robust") if k in o}',
  'm=STL(y,period=o["period"],**kw)',
  'r=m.fit(**({"inner_iter":o["inner"],"outer_iter":o["outer"]} if "inner" in o else {}))',
  'print(json.dumps({"s":r.seasonal.tolist(),"t":r.trend.tolist(),"w":r.weights.tolist()}))',
].join('\n');

function compare(y: number[], ours: StlOptions, theirs: Record<string, unknown>): void {
  const ref = python<{ s: number[]; t: number[]; w: number[] }>(stlPython, { y, o: theirs });
  const r = stl(y, ours);
  let maxDiff = 0;
  for (let i = 0; i < y.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(r.seasonal[i]! - ref.s[i]!), Math.abs(r.trend[i]! - ref.t[i]!));
    maxDiff = Math.max(maxDiff, Math.abs(r.weights[i]! - ref.w[i]!));
  }
  expect(maxDiff).toBeLessThan(1e-8);
}

describe('STL (port of the netlib reference) against statsmodels STL', () => {
  const y = hourly(24 * 21);
  it('agrees with the default, non-robust fit', () => compare(y, { period: 24 }, { period: 24 }));
  it('agrees with the robust fit (15 outer passes) and its weights', () => {
    compare(y, { period: 24, robust: true }, { period: 24, robust: true });
  });
  it('agrees with jumps and a periodic seasonal (the settings the detectors use)', () => {
    const s = defaultStlSettings(24, y.length);
    compare(
      y,
      { ...s, period: 24 },
      {
        period: 24,
        seasonal: s.seasonal,
        seasonal_deg: s.seasonalDeg,
        trend: s.trend,
        low_pass: s.lowPass,
        seasonal_jump: s.seasonalJump,
        trend_jump: s.trendJump,
        low_pass_jump: s.lowPassJump,
        robust: true,
        inner: s.innerIterations,
        outer: s.outerIterations,
      },
    );
  });
  it('agrees with a weekly period on daily data', () => {
    const daily = hourly(7 * 20).map((v, i) => v + (i % 7 === 0 ? 4 : 0));
    compare(daily, { period: 7, seasonal: 9, robust: true }, { period: 7, seasonal: 9, robust: true });
  });
  it('refuses a series shorter than two periods', () => {
    expect(() => stl([1, 2, 3], { period: 24 })).toThrow(RangeError);
  });
});

/**
 * Six weeks of hourly incident counts: a daily cycle, a Monday 08:00–11:00 surge of +25 every week,
 * uniform noise, one planted spike (+30) on a Wednesday at 20:00.
 */
function weeklyCounts(): { timestamps: number[]; values: number[]; spike: number } {
  const n = 24 * 7 * 6;
  const monday = Date.UTC(2026, 0, 5); // 2026-01-05 is a Monday
  const noise = gaussian(n, 21, 0, 1.2);
  const timestamps: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < n; i++) {
    timestamps.push(monday + i * 3_600_000);
    const hour = i % 24;
    const dow = Math.floor(i / 24) % 7;
    values.push(
      10 +
        5 * Math.sin((2 * Math.PI * hour) / 24) +
        (dow === 0 && hour >= 8 && hour <= 11 ? 25 : 0) +
        noise[i]!,
    );
  }
  const spike = 24 * (7 * 3 + 2) + 20;
  values[spike]! += 30;
  return { timestamps, values, spike };
}

describe('seasonality: seasonal hybrid ESD', () => {
  it('does not flag the regular Monday-morning peak but flags the planted spike', () => {
    const { values, spike } = weeklyCounts();
    const r = seasonalHybridEsd(values, { periods: [24, 168], alpha: 0.01, maxAnomalyFraction: 0.02 });
    const flagged = [...r.anomalies];
    expect(flagged).toContain(spike);
    const mondayMornings = flagged.filter((i) => Math.floor(i / 24) % 7 === 0 && i % 24 >= 8 && i % 24 <= 11);
    expect(mondayMornings).toEqual([]);
  });
  it('a plain robust z-score, blind to the season, does flag the Monday mornings', () => {
    const { timestamps, values } = weeklyCounts();
    const d = detectSeriesAnomalies({ key: 'c', timestamps, values }, { methods: ['robust_z'] });
    expect(d.some((x) => new Date(x.peakTimestamp).getUTCDay() === 1)).toBe(true);
  });
  it('detectSeriesAnomalies with the defaults reports the spike only, with a band around the expected value', () => {
    const { timestamps, values, spike } = weeklyCounts();
    const d = detectSeriesAnomalies({ key: 'c', timestamps, values });
    expect(d).toHaveLength(1);
    const hit = d[0]!;
    expect(hit.peakTimestamp).toBe(timestamps[spike]);
    expect(hit.method).toBe('seasonal_esd');
    expect(hit.anomalyType).toBe('TEMPORAL');
    expect(hit.observed).toBeGreaterThan(hit.upper);
    expect(hit.expected).toBeGreaterThan(hit.lower);
    expect(hit.expected).toBeLessThan(hit.upper);
    // The band is about ±λ·σ around 10 + 5·sin(20h): σ ≈ 1.2 and λ ≈ 4, so the expected value is near 5.7.
    expect(Math.abs(hit.expected - (10 + 5 * Math.sin((2 * Math.PI * 20) / 24)))).toBeLessThan(1.5);
    expect(hit.confidence).toBeGreaterThan(0.99);
  });
});
