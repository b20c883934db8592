import { EngineError } from '../errors.ts';
import type { TimeGranularity } from './heatmap-kinds.ts';

/** A half-open period `[start, end)`, UTC. */
export interface HeatmapPeriod {
  readonly start: Date;
  readonly end: Date;
}

const dayMs = 86_400_000;

/** Midnight UTC of the day `at` falls in. */
function startOfDay(at: Date): Date {
  return new Date(Math.floor(at.getTime() / dayMs) * dayMs);
}

/** Monday 00:00 UTC of the ISO week `at` falls in. */
function startOfWeek(at: Date): Date {
  const day = startOfDay(at);
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  return new Date(day.getTime() - sinceMonday * dayMs);
}

/**
 * The period a refresh uses when none is given, ending at the end of the current UTC day (week,
 * month) so that today's incidents count and a refresh later the same day replaces the same
 * heatmap:
 *
 * - `HOURLY`: the last 28 days (every weekday four times), today included;
 * - `DAILY`: the last 30 days, today included;
 * - `WEEKLY`: the last 12 ISO weeks, this one included;
 * - `MONTHLY`: the last 12 calendar months, this one included.
 */
export function defaultPeriod(granularity: TimeGranularity, now: Date): HeatmapPeriod {
  switch (granularity) {
    case 'HOURLY':
    case 'DAILY': {
      const days = granularity === 'HOURLY' ? 28 : 30;
      const end = new Date(startOfDay(now).getTime() + dayMs);
      return { start: new Date(end.getTime() - days * dayMs), end };
    }
    case 'WEEKLY': {
      const end = new Date(startOfWeek(now).getTime() + 7 * dayMs);
      return { start: new Date(end.getTime() - 12 * 7 * dayMs), end };
    }
    case 'MONTHLY': {
      const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
      return { start: new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - 12, 1)), end };
    }
  }
}

/** Longest period a heatmap may cover: 10 years (3,653 days). */
const maxPeriodDays = 3653;

/** Most columns a heatmap may have, by granularity (HOURLY always has 24). */
const maxColumns: Readonly<Record<TimeGranularity, number>> = {
  HOURLY: 24,
  DAILY: 366,
  WEEKLY: 260,
  MONTHLY: 120,
};

/**
 * Checks a period given by a caller: end after start, at most {@link maxPeriodDays} long, and not
 * more columns than the granularity allows (366 days, 260 weeks, 120 months).
 *
 * @throws EngineError VALIDATION_ERROR naming `period_end` (or `period_start`).
 */
export function checkPeriod(period: HeatmapPeriod, granularity: TimeGranularity): void {
  const { start, end } = period;
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) {
    throw new EngineError('VALIDATION_ERROR', 'period_start and period_end must be instants', {
      parameter: Number.isNaN(start.getTime()) ? 'period_start' : 'period_end',
    });
  }
  if (end.getTime() <= start.getTime()) {
    throw new EngineError('VALIDATION_ERROR', 'period_end must be after period_start', {
      parameter: 'period_end',
    });
  }
  if (end.getTime() - start.getTime() > maxPeriodDays * dayMs) {
    throw new EngineError('VALIDATION_ERROR', `a heatmap period may be at most ${maxPeriodDays} days long`, {
      parameter: 'period_end',
    });
  }
  const columns = columnCount(period, granularity);
  if (columns > maxColumns[granularity]) {
    throw new EngineError(
      'VALIDATION_ERROR',
      `a ${granularity} heatmap has at most ${maxColumns[granularity]} columns; this period has ${columns}`,
      { parameter: 'period_end' },
    );
  }
}

/** How many columns the period spans at the granularity (days, weeks or months touched). */
function columnCount(period: HeatmapPeriod, granularity: TimeGranularity): number {
  const last = new Date(period.end.getTime() - 1);
  switch (granularity) {
    case 'HOURLY':
      return 24;
    case 'DAILY':
      return (startOfDay(last).getTime() - startOfDay(period.start).getTime()) / dayMs + 1;
    case 'WEEKLY':
      return (startOfWeek(last).getTime() - startOfWeek(period.start).getTime()) / (7 * dayMs) + 1;
    case 'MONTHLY':
      return (
        (last.getUTCFullYear() - period.start.getUTCFullYear()) * 12 +
        last.getUTCMonth() -
        period.start.getUTCMonth() +
        1
      );
  }
}
