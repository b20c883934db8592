import type { Database } from '../../store/database.ts';

/** Share of the incidents a continuous span must hold for the data to start at it. */
const minSpanShare = 0.05;

/**
 * Where the incident data of a run becomes continuous. The UTC days with at least one incident
 * created before `end` are cut into spans wherever at least `quietDays` whole days in a row have no
 * incident; the data starts at the first incident of the earliest span holding at least
 * {@link minSpanShare} (5%) of those incidents (of the largest span when none does). Earlier spans
 * are isolated (an old incident imported by hand, a test record): reading the weeks between them
 * and the data as quiet would make every series look like it jumped when the real data begins.
 * Later spans, however sparse (the stragglers at the end of an export), are data. `null` when no
 * incident precedes `end`.
 *
 * Two consecutive days with incidents, D₁ < D₂, are separated by `D₂ − D₁ − 1` empty days.
 */
export async function readDataStart(db: Database, end: Date, quietDays: number): Promise<Date | null> {
  const row = await db.one<{ t: Date | null }>(
    `WITH d AS (SELECT date_trunc('day', created_at) AS day, count(*) AS n FROM incidents
                WHERE created_at < $end GROUP BY ALL),
     g AS (SELECT day, n, (coalesce(date_diff('day', lag(day) OVER (ORDER BY day), day) - 1, 0) >= $quiet)::INT AS cut
           FROM d),
     s AS (SELECT day, n, sum(cut) OVER (ORDER BY day) AS span FROM g),
     spans AS (SELECT span, min(day) AS first_day, sum(n) AS n FROM s GROUP BY span),
     start AS (SELECT min(first_day) AS day FROM spans
               WHERE n >= least($share * (SELECT sum(n) FROM spans), (SELECT max(n) FROM spans)))
     SELECT min(i.created_at) AS t FROM incidents i, start WHERE i.created_at >= start.day AND i.created_at < $end`,
    { end, quiet: quietDays, share: minSpanShare },
  );
  return row?.t ?? null;
}

/**
 * The first complete UTC day at or after `start`: a day the data starts part-way through would
 * look like a quiet day.
 */
export function firstFullDay(start: Date): Date {
  return new Date(Math.ceil(start.getTime() / 86_400_000) * 86_400_000);
}

/**
 * Index of the first bucket of a count series' own data: the start of the UTC day of its first
 * non-zero bucket (0 when the series is all zeros). Buckets before it are days before the slice had
 * any incident in the examined range (a service that appears later), which are unknown, not calm.
 */
export function ownDataStartIndex(timestamps: Float64Array, values: Float64Array): number {
  let first = values.findIndex((v) => v > 0);
  if (first <= 0) return 0;
  const day = Math.floor(timestamps[first]! / 86_400_000) * 86_400_000;
  while (first > 0 && timestamps[first - 1]! >= day) first--;
  return first;
}
