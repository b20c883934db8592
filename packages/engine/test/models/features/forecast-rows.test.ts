import { describe, expect, it } from 'vitest';
import {
  forecastFeatureCatalogue,
  forecastRows,
  forecastTargetColumn,
  type SeriesGranularity,
} from '../../../src/models/features/index.ts';
import { mulberry32 } from '../../../src/random/mulberry32.ts';

const day = 86_400_000;
const jan1 = Date.UTC(2024, 0, 1); // a Monday
const values = [3, 5, 2, 8, 6, 4, 9, 7, 1, 10];
const timestamps = values.map((_, i) => jan1 + i * day);
const daily = [
  'lag_1',
  'lag_7',
  'rolling_mean_7',
  'rolling_std_7',
  'day_of_week',
  'day_of_month',
  'is_weekend',
];

describe('forecastRows', () => {
  it('builds lags, rolling statistics and calendar features from earlier periods only, as pandas does', () => {
    // pandas 1.5 on the same series: v.shift(1), v.shift(7), v.shift(1).rolling(7).mean(),
    // v.shift(1).rolling(7).std() (n − 1), index.dayofweek, index.day.
    const granularity: SeriesGranularity = 'day';
    const { rows, firstUsable } = forecastRows({ timestamps, values }, granularity, daily);
    expect(firstUsable).toBe(7);
    expect(forecastTargetColumn).toBe('incident_count');
    expect(rows[0]).toEqual({
      lag_1: null,
      lag_7: null,
      rolling_mean_7: null,
      rolling_std_7: null,
      day_of_week: 0,
      day_of_month: 1,
      is_weekend: 0,
      incident_count: 3,
    });
    expect(rows[6]).toMatchObject({ lag_1: 4, day_of_week: 6, is_weekend: 1, incident_count: 9 });
    const expected = [
      [9, 3, 5.285714285714, 2.563479777847, 0, 8],
      [7, 5, 5.857142857143, 2.410295378065, 1, 9],
      [1, 2, 5.285714285714, 3.039423504235, 2, 10],
    ];
    expected.forEach(([lag1, lag7, mean, sd, dow, dom], i) => {
      const row = rows[7 + i] ?? {};
      expect(row['lag_1']).toBe(lag1);
      expect(row['lag_7']).toBe(lag7);
      expect(row['rolling_mean_7']).toBeCloseTo(mean as number, 11);
      expect(row['rolling_std_7']).toBeCloseTo(sd as number, 11);
      expect(row['day_of_week']).toBe(dow);
      expect(row['day_of_month']).toBe(dom);
      expect(row['incident_count']).toBe(values[7 + i]);
    });
  });

  it('never lets a period see its own or a later count: changing a future value changes no earlier row', () => {
    const random = mulberry32(7);
    const series = Array.from({ length: 400 }, () => Math.floor(random() * 50));
    const hours = series.map((_, i) => jan1 + i * 3_600_000);
    const features = forecastFeatureCatalogue.map((feature) => feature.name);
    const before = forecastRows({ timestamps: hours, values: series }, 'hour', features).rows;
    for (const t of [0, 1, 7, 24, 168, 250, 399]) {
      const changed = series.map((value, i) => (i >= t ? value + 1000 + Math.floor(random() * 100) : value));
      const after = forecastRows({ timestamps: hours, values: changed }, 'hour', features).rows;
      expect(after.slice(0, t)).toEqual(before.slice(0, t));
      // Row t's features are unchanged too; only its own count (the target) moved.
      const { incident_count: _changed, ...featuresAtT } = after[t] ?? {};
      const { incident_count: _original, ...featuresBefore } = before[t] ?? {};
      expect(featuresAtT).toEqual(featuresBefore);
    }
  });

  it('gives the next period its features when the next timestamp is appended with an unknown value', () => {
    const next = forecastRows(
      { timestamps: [...timestamps, jan1 + 10 * day], values: [...values, Number.NaN] },
      'day',
      ['lag_1', 'lag_2', 'rolling_mean_7'],
    ).rows.at(-1);
    // lag_1 = 10, lag_2 = 1, mean of the last seven (8, 6, 4, 9, 7, 1, 10) = 45 / 7.
    expect(next).toEqual({ lag_1: 10, lag_2: 1, rolling_mean_7: 45 / 7, incident_count: null });
  });

  it('reads hourly calendar features in UTC and lags of a day and a week of hours', () => {
    const hours = Array.from({ length: 200 }, (_, i) => Date.UTC(2024, 0, 6, 0) + i * 3_600_000); // Saturday 00:00
    const counts = hours.map((_, i) => i);
    const { rows, firstUsable } = forecastRows({ timestamps: hours, values: counts }, 'hour', [
      'lag_24',
      'lag_168',
      'hour_of_day',
      'is_weekend',
    ]);
    expect(firstUsable).toBe(168);
    expect(rows[170]).toEqual({
      lag_24: 146,
      lag_168: 2,
      hour_of_day: 2,
      is_weekend: 1,
      incident_count: 170,
    });
    expect(rows[49]).toMatchObject({ hour_of_day: 1, is_weekend: 0 }); // Monday 01:00
  });

  it('refuses unknown features by name and mismatched lengths', () => {
    expect(() => forecastRows({ timestamps, values }, 'day', ['lag_1', 'lag_3', 'title_hash'])).toThrow(
      /unknown forecast features: lag_3, title_hash/,
    );
    expect(() => forecastRows({ timestamps, values: values.slice(1) }, 'day', ['lag_1'])).toThrow(
      /as many values/,
    );
  });
});
