import type { AggregationType, MetricType } from '../schema/enums.ts';
import type { SqlValue } from '../store/database.ts';
import { filterSql, type IncidentFilters } from './incident-filter.ts';
import type { OutageRule } from './kpi-options.ts';

/**
 * A relation of samples in SQL with columns `x` (the sample, in the reported unit; NULL rows are
 * no sample), `k` and `n` (numerator and denominator of a bucket, for rates) and `inc` (incidents
 * the row stands for). Parameters `$start`, `$end` and `$scale` must be bound with `params`.
 */
export interface SampleRelation {
  readonly sql: string;
  readonly params: Record<string, SqlValue>;
}

/** The SQL aggregate of an aggregation type over column `x` (fixed fragments only). */
export function aggregationSql(aggregation: AggregationType, rate: boolean): string {
  switch (aggregation) {
    case 'AVERAGE':
      // A rate's mean is weighted by each bucket's incidents, so it equals the share over the window.
      return rate ? 'CASE WHEN sum(n) > 0 THEN 100.0 * sum(k) / sum(n) END' : 'avg(x)';
    case 'MEDIAN':
      return 'quantile_cont(x, 0.5)';
    case 'MIN':
      return 'min(x)';
    case 'MAX':
      return 'max(x)';
    case 'SUM':
      return 'sum(x)';
    case 'COUNT':
      return 'count(x)';
    case 'PERCENTILE_95':
      return 'quantile_cont(x, 0.95)';
    case 'PERCENTILE_99':
      return 'quantile_cont(x, 0.99)';
  }
}

const window = 'created_at >= $start AND created_at < $end';

/**
 * Merges overlapping or touching intervals `(service, s, e)` of `source` into disjoint islands per
 * service (gaps-and-islands: a running max of ends marks where a new island begins).
 */
function islandsSql(source: string): string {
  return `SELECT service, min(s) AS s, max(e) AS e, count(*) AS members FROM (
      SELECT service, s, e, sum(brk) OVER (PARTITION BY service ORDER BY s, e ROWS UNBOUNDED PRECEDING) AS g
      FROM (
        SELECT service, s, e, CASE WHEN s <= max(e) OVER (PARTITION BY service ORDER BY s, e
          ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) THEN 0 ELSE 1 END AS brk
        FROM ${source}
      )
    ) GROUP BY service, g`;
}

/**
 * Where an outage incident's interval ends (SQL over `incidents`): at `resolved_at`, or, while it is
 * open, `rule.openHorizonSeconds` after `created_at` (never, for an infinite horizon). Sets
 * `params.horizon` when it refers to it.
 */
function outageEndSql(rule: OutageRule, params: Record<string, SqlValue>): string {
  if (!Number.isFinite(rule.openHorizonSeconds)) return "coalesce(resolved_at, TIMESTAMP 'infinity')";
  params['horizon'] = rule.openHorizonSeconds;
  return 'coalesce(resolved_at, created_at + to_seconds(CAST($horizon AS DOUBLE)))';
}

/**
 * The sample relation of a (non-CUSTOM) metric type over incidents created in `[$start, $end)`
 * that pass `filters`. See the README's definitions; in short: MTTA/MTTR one sample per
 * acknowledged/resolved incident; INCIDENT_COUNT and the rates one per hour bucket; MTBF/MTBSI one
 * per gap between merged outages of a service that ends in the window; AVAILABILITY one per service.
 * Outages (MTBF, MTBSI, AVAILABILITY) end as {@link outageEndSql} says.
 */
export function sampleRelation(
  type: Exclude<MetricType, 'CUSTOM'>,
  filters: IncidentFilters,
  rule: OutageRule,
): SampleRelation {
  const params: Record<string, SqlValue> = {};
  const where = filterSql(filters, params);
  switch (type) {
    case 'MTTA':
    case 'MTTR': {
      const at = type === 'MTTA' ? 'acknowledged_at' : 'resolved_at';
      return {
        params,
        sql: `SELECT (epoch(${at}) - epoch(created_at)) / $scale AS x, 0 AS k, 0 AS n, 1 AS inc
              FROM incidents WHERE ${window} AND ${where}`,
      };
    }
    case 'INCIDENT_COUNT':
    case 'RESOLUTION_RATE':
    case 'ESCALATION_RATE': {
      const hit =
        type === 'RESOLUTION_RATE'
          ? 'resolved_at IS NOT NULL'
          : type === 'ESCALATION_RATE'
            ? 'escalation_level > 0'
            : 'true';
      const x =
        type === 'INCIDENT_COUNT' ? 'coalesce(p.n, 0)' : 'CASE WHEN p.n > 0 THEN 100.0 * p.k / p.n END';
      return {
        params,
        sql: `SELECT ${x} AS x, coalesce(p.k, 0) AS k, coalesce(p.n, 0) AS n, coalesce(p.n, 0) AS inc
              FROM (SELECT unnest(range(0, CAST(ceil((epoch($end) - epoch($start)) / 3600) AS BIGINT))) AS b) AS buckets
              LEFT JOIN (
                SELECT CAST(floor((epoch(created_at) - epoch($start)) / 3600) AS BIGINT) AS b,
                       count(*) AS n, count(*) FILTER (WHERE ${hit}) AS k
                FROM incidents WHERE ${window} AND ${where} GROUP BY 1
              ) AS p USING (b)`,
      };
    }
    case 'MTBF':
    case 'MTBSI': {
      const from = type === 'MTBF' ? 'pe' : 'ps';
      const outageEnd = outageEndSql(rule, params);
      return {
        params,
        sql: `WITH inc AS (
                SELECT service, created_at AS s, ${outageEnd} AS e
                FROM incidents WHERE service IS NOT NULL AND created_at < $end AND ${where}
              ),
              isl AS (${islandsSql('inc')}),
              seq AS (
                SELECT s, lag(s) OVER w AS ps, lag(e) OVER w AS pe FROM isl
                WINDOW w AS (PARTITION BY service ORDER BY s)
              )
              SELECT (epoch(s) - epoch(${from})) / $scale AS x, 0 AS k, 0 AS n, 0 AS inc
              FROM seq WHERE s >= $start AND pe IS NOT NULL
              UNION ALL SELECT NULL, 0, 0, (SELECT count(*) FROM inc WHERE s >= $start)`,
      };
    }
    case 'AVAILABILITY': {
      // Severity and priority say which incidents are outages, not which services exist: a service
      // whose incidents were all minor was fully available, not unknown.
      const serviceScope = filterSql(
        { ...filters, incident_severities: [], incident_priorities: [] },
        params,
      );
      const services =
        filters.services.length > 0
          ? 'SELECT DISTINCT unnest($kf_services) AS service'
          : `SELECT DISTINCT service FROM incidents WHERE service IS NOT NULL AND created_at < $end AND ${serviceScope}`;
      const outageEnd = outageEndSql(rule, params);
      return {
        params,
        sql: `WITH inc AS (
                SELECT service, greatest(created_at, $start) AS s, least(${outageEnd}, $end) AS e
                FROM incidents
                WHERE service IS NOT NULL AND created_at < $end AND ${outageEnd} > $start AND ${where}
              ),
              svc AS (${services}),
              mw AS (
                SELECT svc.service, greatest(m.start_at, $start) AS s, least(m.end_at, $end) AS e
                FROM svc JOIN maintenance_windows AS m ON m.service IS NULL OR m.service = svc.service
                WHERE m.start_at < $end AND m.end_at > $start
              ),
              down_isl AS (${islandsSql('inc')}),
              mw_isl AS (${islandsSql('mw')}),
              down AS (SELECT service, sum(epoch(e) - epoch(s)) AS d FROM down_isl GROUP BY service),
              maint AS (SELECT service, sum(epoch(e) - epoch(s)) AS m FROM mw_isl GROUP BY service),
              overlap AS (
                SELECT a.service, sum(epoch(least(a.e, b.e)) - epoch(greatest(a.s, b.s))) AS o
                FROM down_isl AS a JOIN mw_isl AS b ON a.service = b.service AND a.s < b.e AND b.s < a.e
                GROUP BY a.service
              ),
              per AS (
                SELECT epoch($end) - epoch($start) - coalesce(m, 0) AS agreed,
                       coalesce(d, 0) - coalesce(o, 0) AS down
                FROM svc LEFT JOIN down USING (service) LEFT JOIN maint USING (service)
                LEFT JOIN overlap USING (service)
              )
              SELECT CASE WHEN agreed > 0 THEN 100.0 * (agreed - down) / agreed END AS x, 0 AS k, 0 AS n, 0 AS inc
              FROM per
              UNION ALL SELECT NULL, 0, 0, (SELECT count(*) FROM inc)`,
      };
    }
  }
}
