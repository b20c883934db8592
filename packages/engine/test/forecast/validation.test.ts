import { describe, expect, it } from 'vitest';
import { EngineError } from '../../src/errors.ts';
import { forecast } from '../../src/forecast/forecast.ts';
import { toRegularSeries } from '../../src/forecast/series.ts';
import type { ForecastOptions, ForecastSeries } from '../../src/forecast/types.ts';

const day = 86_400_000;
const start = Date.UTC(2026, 0, 5);
const days = (n: number): number[] => Array.from({ length: n }, (_, i) => start + i * day);
const ones = (n: number): number[] => Array.from({ length: n }, (_, i) => 5 + (i % 7));

async function refusal(series: ForecastSeries, options: ForecastOptions): Promise<EngineError> {
  const error = await forecast(series, options).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EngineError);
  expect((error as EngineError).code).toBe('VALIDATION_ERROR');
  return error as EngineError;
}

const opts: ForecastOptions = { horizon: 7, algorithm: 'SEASONAL_NAIVE' };

describe('forecast input validation', () => {
  it('refuses unequal lengths', async () => {
    const e = await refusal({ timestamps: days(20), values: ones(19) }, opts);
    expect(e.message).toBe('timestamps and values differ in length (20 and 19)');
  });

  it('refuses unsorted and repeated timestamps', async () => {
    const t = days(20);
    [t[3], t[4]] = [t[4]!, t[3]!];
    expect((await refusal({ timestamps: t, values: ones(20) }, opts)).message).toMatch(
      /strictly increasing: 4 is not after 3/,
    );
    const u = days(20);
    u[5] = u[4]!;
    expect((await refusal({ timestamps: u, values: ones(20) }, opts)).message).toMatch(
      /strictly increasing: 5/,
    );
  });

  it('refuses timestamps off the inferred step', async () => {
    const t = days(20);
    t[10] = t[10]! - 3_600_000; // an hour early: the smallest difference, 23 h, becomes the step
    const e = await refusal({ timestamps: t, values: ones(20) }, opts);
    expect(e.message).toBe(
      'timestamps are irregular: timestamp 1 is not a whole number of steps (82800000 ms) after the first',
    );
  });

  it('fills a gap with 0 by default, and refuses it with gaps: refuse', async () => {
    const t = days(22).filter((_, i) => i !== 9 && i !== 10);
    const series = { timestamps: t, values: ones(20) };
    const regular = toRegularSeries(series);
    expect(regular.values.length).toBe(22);
    expect(regular.values.slice(8, 12)).toEqual([ones(20)[8], 0, 0, ones(20)[9]]);
    const r = await forecast(series, opts);
    expect(r.filledGaps).toBe(2);
    expect(r.points[0]!.timestamp).toBe(start + 22 * day);
    const e = await refusal(series, { ...opts, gaps: 'refuse' });
    expect(e.message).toMatch(/2 missing steps of 86400000 ms and gaps are refused/);
  });

  it('refuses a history too short for its season', async () => {
    const e = await refusal({ timestamps: days(20), values: ones(20) }, { ...opts, seasonalPeriods: [14] });
    expect(e.message).toBe('a history of 20 steps is too short for a season of 14: it needs at least 28');
    expect(e.details).toEqual({ length: 20, period: 14 });
    // The default weekly season of a daily step needs two weeks; with 10 days it is dropped, not refused.
    const r = await forecast({ timestamps: days(10), values: ones(10) }, opts);
    expect(r.seasonalPeriods).toEqual([]);
  });

  it('refuses too few values, negative or non-finite values, and bad horizon or level', async () => {
    expect((await refusal({ timestamps: days(5), values: ones(5) }, opts)).message).toMatch(
      /at least 8 values, got 5/,
    );
    const v = ones(20);
    v[2] = -1;
    expect((await refusal({ timestamps: days(20), values: v }, opts)).message).toMatch(/value 2 is -1/);
    v[2] = Number.NaN;
    expect((await refusal({ timestamps: days(20), values: v }, opts)).message).toMatch(/value 2 is NaN/);
    const s = { timestamps: days(20), values: ones(20) };
    expect((await refusal(s, { ...opts, horizon: 0 })).message).toMatch(/horizon must be a whole number/);
    expect((await refusal(s, { ...opts, horizon: 2.5 })).message).toMatch(/horizon must be a whole number/);
    expect((await refusal(s, { ...opts, level: 1 })).message).toMatch(
      /level must be strictly between 0 and 1/,
    );
    expect((await refusal(s, { ...opts, seasonalPeriods: [1] })).message).toMatch(
      /whole number of steps ≥ 2/,
    );
  });
});
