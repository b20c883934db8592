/**
 * Relative arrival rate by hour of the day (UTC), 1 = the working-hours peak. Nights (00–05) run at
 * 0.25 of the peak, so on weekdays the 09–17 hourly rate is 4× the 00–05 rate.
 */
const hourOfDayFactor: readonly number[] = [
  0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.4, 0.6, 0.85, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0.8, 0.6, 0.45, 0.35, 0.3,
  0.27,
];

/** Relative arrival rate by day of the week, Sunday first (JS `getUTCDay()` order). */
const dayOfWeekFactor: readonly number[] = [0.4, 1, 1, 1, 1, 1, 0.45];

const hourMs = 3_600_000;

/** Relative arrival rate of the hour that starts at `hourStartMs` (UTC epoch ms): day × week factors. */
export function seasonalFactor(hourStartMs: number): number {
  const hour = Math.floor(hourStartMs / hourMs);
  const hourOfDay = ((hour % 24) + 24) % 24;
  // 1970-01-01 was a Thursday (day 4).
  const day = Math.floor(hour / 24);
  const dayOfWeek = (((day + 4) % 7) + 7) % 7;
  return (hourOfDayFactor[hourOfDay] as number) * (dayOfWeekFactor[dayOfWeek] as number);
}
