import { describe, expect, it } from 'vitest';
import { forecast } from '../../src/forecast/forecast.ts';
import { type ForecastAlgorithm, type ForecastPoint, forecastAlgorithms } from '../../src/forecast/types.ts';
import { syntheticDaily } from './synthetic-series.ts';

// 16 weeks of seeded daily counts with a weekly season (mean about 40, weekends at 0.4x); the last
// week is held out.
const series = syntheticDaily(112, 7);
const history = { timestamps: series.timestamps.slice(0, 105), values: series.values.slice(0, 105) };
const heldOut = series.values.slice(105);

describe.each([...forecastAlgorithms, undefined] as (ForecastAlgorithm | undefined)[])(
  'forecast with %s on a daily series with a weekly season',
  (algorithm) => {
    it('gives finite values whose 95% interval covers most of the held-out week', async () => {
      const r = await forecast(history, { horizon: 7, ...(algorithm ? { algorithm } : {}) });
      expect(r.algorithm).toBe(algorithm ?? 'ENSEMBLE');
      expect(r.fallback).toBeUndefined();
      expect(r.seasonalPeriods).toEqual([7]);
      expect(r.points).toHaveLength(7);
      let covered = 0;
      r.points.forEach((p, h) => {
        expect(Number.isFinite(p.value) && Number.isFinite(p.lower) && Number.isFinite(p.upper)).toBe(true);
        expect(p.lower).toBeGreaterThanOrEqual(0);
        expect(p.lower).toBeLessThanOrEqual(p.value);
        expect(p.upper).toBeGreaterThanOrEqual(p.value);
        if (heldOut[h]! >= p.lower && heldOut[h]! <= p.upper) covered++;
      });
      expect(covered).toBeGreaterThanOrEqual(5); // "most": at least 5 of 7 days
      // The weekly shape is kept: the forecast Monday is above the forecast Sunday (weekday 1.25x vs 0.4x).
      const onDay = (weekday: number): ForecastPoint =>
        r.points.find((p) => new Date(p.timestamp).getUTCDay() === weekday)!;
      const monday = onDay(1);
      const sunday = onDay(0);
      expect(monday.value).toBeGreaterThan(sunday.value);
    });
  },
);

describe('forecast on an hourly series', () => {
  it('infers the hourly step and a daily season, and the same call twice gives the same answer', async () => {
    const hours = 24 * 10;
    const timestamps = Array.from({ length: hours }, (_, i) => Date.UTC(2026, 0, 5) + i * 3_600_000);
    const values = timestamps.map((_, i) => 3 + 2 * Math.sin((2 * Math.PI * i) / 24) + (i % 5));
    const a = await forecast({ timestamps, values }, { horizon: 24 });
    const b = await forecast({ timestamps, values }, { horizon: 24 });
    expect(a.stepMs).toBe(3_600_000);
    expect(a.seasonalPeriods).toEqual([24]); // a week (168) needs two weeks of history: dropped
    expect(b).toEqual(a);
  });
});
