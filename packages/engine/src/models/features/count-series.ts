import { EngineError } from '../../errors.ts';
import { queryArrow } from '../../store/arrow-bridge.ts';
import type { Database } from '../../store/database.ts';
import { arrowNumbers, arrowStrings } from './arrow-rows.ts';
import { checkWindow } from './training-rows.ts';

/** Period of a count series. */
export type SeriesGranularity = 'hour' | 'day';

/** Incident column a count series may be grouped by. */
type SeriesGroupBy = 'service' | 'team' | 'category';

/**
 * A group needs at least this many incidents in the span to get a series of its own; the incidents
 * of smaller groups, and those without a value, are counted together in the series of group null.
 */
export const minIncidentsPerGroup = 20;

/** What {@link readCountSeries} reads. */
interface CountSeriesRequest {
  readonly granularity: SeriesGranularity;
  /** First instant counted; the first period is the one (UTC) that holds it. */
  readonly start: Date;
  /** Incidents created before `end` are counted; the last period is the one that starts before it. */
  readonly end: Date;
  readonly groupBy?: SeriesGroupBy | null;
}

/** One count series: the group's value (null: all incidents, or the folded small groups), period starts (epoch ms, UTC) and counts. */
interface CountSeries {
  group: string | null;
  timestamps: number[];
  values: number[];
}

const intervals: Readonly<Record<SeriesGranularity, string>> = {
  hour: 'INTERVAL 1 HOUR',
  day: 'INTERVAL 1 DAY',
};
const groupColumns: Readonly<Record<SeriesGroupBy, string>> = {
  service: "nullif(service, '')",
  team: "nullif(team, '')",
  category: "nullif(category, '')",
};

/**
 * Incidents created in [start, end) counted per period (UTC hours or days), every period from the
 * one holding `start` to the last one starting before `end` present, zero-filled. Without
 * `groupBy`, one series (group null), also when no incident falls in the span. With `groupBy`, one
 * series per value with at least {@link minIncidentsPerGroup} incidents in the span, sorted by
 * value, then one series of group null for the rest (smaller groups and incidents without a
 * value) when there is any; the series' sum is the span's total either way. Periods cut by a
 * `start` or `end` off a period boundary count only the part inside the span. One query, read
 * through the Arrow bridge.
 *
 * @throws EngineError VALIDATION_ERROR for an unknown granularity or grouping, or a span whose end
 *   is not after its start.
 */
export async function readCountSeries(db: Database, request: CountSeriesRequest): Promise<CountSeries[]> {
  checkWindow(request.start, request.end);
  const interval = intervals[request.granularity];
  if (interval === undefined) {
    throw new EngineError(
      'VALIDATION_ERROR',
      `granularity must be hour or day, not ${String(request.granularity)}`,
      {
        errors: [{ field: 'granularity', message: 'must be hour or day' }],
      },
    );
  }
  const groupBy = request.groupBy ?? null;
  const groupColumn = groupBy === null ? 'NULL::VARCHAR' : groupColumns[groupBy];
  if (groupColumn === undefined) {
    throw new EngineError(
      'VALIDATION_ERROR',
      `groupBy must be service, team or category, not ${String(groupBy)}`,
      { errors: [{ field: 'groupBy', message: 'must be service, team or category' }] },
    );
  }
  const table = await queryArrow(
    db,
    `WITH counted AS (
       SELECT ${groupColumn} AS raw_group, date_trunc('${request.granularity}', created_at) AS period, count(*) AS n
       FROM incidents WHERE created_at >= $start AND created_at < $end
       GROUP BY ALL
     ),
     sized AS (
       SELECT raw_group, sum(n) AS total FROM counted WHERE raw_group IS NOT NULL GROUP BY raw_group
     ),
     folded AS (
       SELECT CASE WHEN sized.total >= ${minIncidentsPerGroup} THEN counted.raw_group END AS grp, period, n
       FROM counted LEFT JOIN sized ON sized.raw_group = counted.raw_group
     ),
     groups AS (
       SELECT DISTINCT grp FROM folded
       ${groupBy === null ? 'UNION SELECT NULL::VARCHAR' : ''}
     ),
     periods AS (
       SELECT unnest(range(date_trunc('${request.granularity}', $start::TIMESTAMP), $end::TIMESTAMP, ${interval})) AS period
     )
     SELECT groups.grp AS grp, epoch_ms(periods.period)::DOUBLE AS period_ms, coalesce(sum(folded.n), 0)::DOUBLE AS n
     FROM groups CROSS JOIN periods
     LEFT JOIN folded ON folded.grp IS NOT DISTINCT FROM groups.grp AND folded.period = periods.period
     GROUP BY groups.grp, periods.period
     ORDER BY groups.grp NULLS LAST, periods.period`,
    { start: request.start, end: request.end },
  );
  const groups = arrowStrings(table, 'grp');
  const periods = arrowNumbers(table, 'period_ms');
  const counts = arrowNumbers(table, 'n');
  const series: CountSeries[] = [];
  for (let i = 0; i < table.numRows; i++) {
    const group = groups[i] ?? null;
    let last = series[series.length - 1];
    if (!last || last.group !== group) {
      last = { group, timestamps: [], values: [] };
      series.push(last);
    }
    last.timestamps.push(periods[i] as number);
    last.values.push(counts[i] as number);
  }
  return series;
}
