import type { Database } from '../store/database.ts';
import {
  dayInWords,
  dayMs,
  type InsightDraft,
  plural,
  roundForPeople,
  type ServingModel,
  startOfUtcDay,
  weekdayOf,
} from './insight-draft.ts';
import { comparedTo, intervalConfidence, mean, sumSteps } from './insight-math.ts';

/** One group's forecast as `engine.models.forecastCounts` answers it. */
interface ForecastSeries {
  /** The group's value (a service, team or category), `null` for all incidents. */
  readonly group: string | null;
  /** Start of each forecast period (ms since the epoch, an ISO text or a Date). */
  readonly timestamps: readonly (number | string | Date)[];
  readonly mean: readonly number[];
  readonly lower: readonly number[];
  readonly upper: readonly number[];
}

/** The columns an INCIDENT_PREDICTION model may group by. */
export const groupColumns = ['service', 'team', 'category'] as const;

/** What generation needs of the models capability for forecasts. */
export interface CountForecaster {
  forecastCounts(id: string, horizon: number): Promise<readonly ForecastSeries[]>;
}

/** Longest forecast asked for to reach next week's end, in days of periods. */
const maxLeadDays = 60;

/**
 * INCIDENT_FORECAST drafts of an INCIDENT_PREDICTION model at `now`: the expected incident count
 * of tomorrow (the next UTC day) and of the week from tomorrow (7 days), for all incidents and each
 * group the model forecasts, with the interval of the sum of the periods, compared with the last 4
 * weeks (the 4 previous same weekdays for a day, the 4 previous weeks for a week). A forecast that
 * does not cover a window (its history ends too long ago) makes no insight for it.
 */
export async function forecastDrafts(
  db: Database,
  forecaster: CountForecaster,
  model: ServingModel,
  now: Date,
): Promise<{ drafts: InsightDraft[]; notes: string[] }> {
  const granularity = model.config['granularity'] === 'hour' ? 'hour' : 'day';
  const stepMs = granularity === 'hour' ? 3_600_000 : dayMs;
  const groupBy = groupColumns.find((c) => c === model.config['group_by']) ?? null;
  const tomorrow = new Date(startOfUtcDay(now).getTime() + dayMs);
  const weekEnd = new Date(tomorrow.getTime() + 7 * dayMs);
  let horizon = Math.ceil((weekEnd.getTime() - now.getTime()) / stepMs) + 1;
  let series = await forecaster.forecastCounts(model.id, horizon);
  const first = Math.min(...series.map((s) => toMs(s.timestamps[0])).filter(Number.isFinite));
  // The forecast starts where the model's history ends: reach next week's end from there.
  if (Number.isFinite(first)) {
    const needed = Math.ceil((weekEnd.getTime() - first) / stepMs);
    if (needed > horizon && needed <= (maxLeadDays * dayMs) / stepMs) {
      horizon = needed;
      series = await forecaster.forecastCounts(model.id, horizon);
    }
  }
  const windows = [
    { horizon: 'day' as const, start: tomorrow, end: new Date(tomorrow.getTime() + dayMs) },
    { horizon: 'week' as const, start: tomorrow, end: weekEnd },
  ];
  const drafts: InsightDraft[] = [];
  const notes: string[] = [];
  for (const one of series) {
    for (const window of windows) {
      const steps = stepsIn(one, window.start, window.end);
      if (steps.length !== Math.round((window.end.getTime() - window.start.getTime()) / stepMs)) {
        notes.push(
          `${model.name}: the forecast of ${one.group ?? 'all incidents'} does not cover ${window.start.toISOString()} – ${window.end.toISOString()}`,
        );
        continue;
      }
      const total = sumSteps(steps);
      const reference = await referenceCount(db, { groupBy, group: one.group }, window);
      drafts.push(forecastDraft({ ...window, group: one.group, groupBy, granularity }, total, reference));
    }
  }
  return { drafts, notes };
}

function forecastDraft(
  window: {
    horizon: 'day' | 'week';
    start: Date;
    end: Date;
    group: string | null;
    groupBy: string | null;
    granularity: string;
  },
  total: { value: number; lower: number; upper: number },
  reference: number | null,
): InsightDraft {
  const where = window.group === null ? '' : ` on ${window.group}`;
  const when = window.horizon === 'day' ? 'tomorrow' : 'in the next 7 days';
  const basis =
    window.horizon === 'day'
      ? `the last 4 weeks' average for ${weekdayOf(window.start)}s`
      : "the last 4 weeks' average";
  const comparison = reference === null ? null : comparedTo(total.value, reference);
  const versus =
    comparison === null || reference === null
      ? ''
      : `, ${comparison} ${basis} (${roundForPeople(reference)})`;
  const title = `Expect ${plural(total.value, 'incident')}${where} ${when}`;
  const description =
    `Expect ${plural(total.value, 'incident')}${where} ${when} ` +
    `(${window.horizon === 'day' ? dayInWords(window.start) : `from ${dayInWords(window.start)}`}), ` +
    `between ${roundForPeople(total.lower)} and ${roundForPeople(total.upper)}${versus}.`;
  const change = reference && reference > 0 ? (total.value - reference) / reference : 0;
  const recommendations =
    change >= 0.2
      ? [
          `Plan extra on-call cover${where} ${when}: the forecast is ${Math.round(change * 100)}% above usual.`,
          `Postpone risky changes${where} until the load is back to normal.`,
        ]
      : change <= -0.2
        ? [`A quieter period is expected${where} ${when}: a good time for planned maintenance.`]
        : [
            `Usual staffing should do${where}; if the count passes ${roundForPeople(total.upper)}, look for a common cause.`,
          ];
  return {
    key: `INCIDENT_FORECAST|${window.horizon}|${window.group ?? 'all'}|${window.start.toISOString()}`,
    reuse: 'same-key',
    type: 'INCIDENT_FORECAST',
    title,
    description,
    predictionValue: {
      value: total.value,
      lower: total.lower,
      upper: total.upper,
      unit: 'incidents',
      horizon: window.horizon,
      granularity: window.granularity,
      group_by: window.groupBy,
      group: window.group,
      reference: reference === null ? null : { value: reference, basis },
    },
    confidenceScore: intervalConfidence(total.value, total.lower, total.upper),
    windowStart: window.start,
    windowEnd: window.end,
    expiresAt: window.end,
    relatedIncidents: [],
    affectedServices: window.groupBy === 'service' && window.group !== null ? [window.group] : [],
    recommendations,
  };
}

/** The forecast periods that start in [start, end). */
function stepsIn(
  series: ForecastSeries,
  start: Date,
  end: Date,
): { mean: number; lower: number; upper: number }[] {
  const out: { mean: number; lower: number; upper: number }[] = [];
  series.timestamps.forEach((t, i) => {
    const ms = toMs(t);
    if (ms >= start.getTime() && ms < end.getTime()) {
      out.push({ mean: series.mean[i] ?? 0, lower: series.lower[i] ?? 0, upper: series.upper[i] ?? 0 });
    }
  });
  return out;
}

/**
 * The average count of the 4 same-length windows before it: a day's 4 previous same weekdays, a
 * week's 4 whole weeks before today (fewer when the data began later). `null` when none is covered.
 */
async function referenceCount(
  db: Database,
  subject: { groupBy: string | null; group: string | null },
  window: { horizon: 'day' | 'week'; start: Date; end: Date },
): Promise<number | null> {
  const length = window.end.getTime() - window.start.getTime();
  // A day: the same weekday 1 to 4 weeks before. A week: the 4 whole weeks before today (the day
  // before the window), none of which reaches past now.
  const anchor = window.start.getTime() - (window.horizon === 'day' ? 0 : dayMs);
  const stride = 7 * dayMs;
  const groupClause =
    subject.groupBy !== null && subject.group !== null ? ` AND ${subject.groupBy} = $group` : '';
  const starts = [1, 2, 3, 4].map((k) => new Date(anchor - k * stride));
  // One scan: the first incident (to leave out windows before the data began) and the 4 counts.
  const row = await db.one(
    `SELECT min(created_at) AS earliest,
       ${starts.map((_, k) => `count(*) FILTER (WHERE created_at >= $s${k} AND created_at < $e${k}${groupClause}) AS n${k}`).join(', ')}
     FROM incidents`,
    {
      ...Object.fromEntries(
        starts.flatMap((start, k) => [
          [`s${k}`, start],
          [`e${k}`, new Date(start.getTime() + length)],
        ]),
      ),
      ...(groupClause ? { group: subject.group } : {}),
    },
  );
  const earliest = row?.['earliest'] as Date | null | undefined;
  if (!earliest) return null;
  const counts: number[] = [];
  for (const [k, start] of starts.entries()) {
    if (start.getTime() < startOfUtcDay(earliest).getTime()) break; // before the data began
    counts.push(Number(row?.[`n${k}`] ?? 0));
  }
  return mean(counts);
}

function toMs(value: number | string | Date | undefined): number {
  if (value === undefined) return Number.NaN;
  if (value instanceof Date) return value.getTime();
  return typeof value === 'number' ? value : Date.parse(value);
}
