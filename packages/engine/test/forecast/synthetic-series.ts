import { mulberry32 } from '../../src/random/mulberry32.ts';

/** A synthetic series of counts: timestamps in ms and values. */
export interface CountSeries {
  timestamps: number[];
  values: number[];
}

/** A Poisson draw with mean `lambda` by sequential inversion (exact; fine for the means used here). */
function poisson(lambda: number, u: () => number): number {
  let k = 0;
  let p = Math.exp(-lambda);
  let cdf = p;
  const x = u();
  while (x > cdf && k < 10_000) {
    k++;
    p *= lambda / k;
    cdf += p;
  }
  return k;
}

/** 2026-01-05, a Monday, 00:00 UTC: the first timestamp of the synthetic series. */
const syntheticStart = Date.UTC(2026, 0, 5);

/** Weekday multipliers, Monday first: busy weekdays, quiet weekends. */
const weekday = [1.25, 1.15, 1.1, 1.05, 1.0, 0.45, 0.4];

/**
 * Daily incident counts (seeded): a level of 40 a day rising 0.1 a day, the weekday profile above
 * and Poisson noise.
 */
export function syntheticDaily(days: number, seed: number): CountSeries {
  const u = mulberry32(seed);
  const timestamps: number[] = [];
  const values: number[] = [];
  for (let d = 0; d < days; d++) {
    timestamps.push(syntheticStart + d * 86_400_000);
    values.push(poisson((40 + 0.1 * d) * weekday[d % 7]!, u));
  }
  return { timestamps, values };
}

/**
 * Hourly incident counts (seeded): 3 an hour on average, a working-day profile (peak early
 * afternoon, low at night), the weekday profile above and Poisson noise.
 */
export function syntheticHourly(hours: number, seed: number): CountSeries {
  const u = mulberry32(seed);
  const timestamps: number[] = [];
  const values: number[] = [];
  for (let h = 0; h < hours; h++) {
    const hourOfDay = h % 24;
    const day = Math.floor(h / 24) % 7;
    const profile = 1 + 0.9 * Math.sin((2 * Math.PI * (hourOfDay - 8)) / 24);
    timestamps.push(syntheticStart + h * 3_600_000);
    values.push(poisson(3 * profile * weekday[day]!, u));
  }
  return { timestamps, values };
}
