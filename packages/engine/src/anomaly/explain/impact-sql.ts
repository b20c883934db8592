import type { Database, Row, SqlValue } from '../../store/database.ts';

/**
 * The anomalies of one assessment as SQL relations, bound once per statement: `a` (idx, ids,
 * services, ws, we: the window in TIMESTAMPs), `rel` (idx, id: each related incident) and `ri`
 * (the related incidents' rows with their anomaly's idx). Ids and services travel as one
 * comma-joined text per anomaly, split by DuckDB: binding 10⁵ ids one value each holds the event loop.
 */
const anomaliesSql = `a AS (
    SELECT unnest($idx)::INTEGER AS idx, unnest($ids) AS ids, unnest($services) AS services,
      unnest($ws) AS ws, unnest($we) AS we
  ),
  rel AS (
    SELECT DISTINCT idx, unnest(string_split(ids, ','))::UUID AS id FROM a WHERE ids <> ''
  ),
  ri AS (SELECT rel.idx, i.* FROM rel JOIN incidents AS i ON i.id = rel.id)`;

/** Parameters of {@link anomaliesSql}: one entry per anomaly. */
export interface AnomalyRelation {
  readonly idx: readonly number[];
  readonly ids: readonly string[];
  readonly services: readonly string[];
  readonly ws: readonly Date[];
  readonly we: readonly Date[];
}

/** One SLA contract period to measure for one anomaly. */
export interface ContractPair {
  readonly pair: number;
  readonly idx: number;
  readonly service: string;
  readonly start: Date;
  readonly end: Date;
}

const params = (a: AnomalyRelation, extra: Record<string, SqlValue>): Record<string, SqlValue> => ({
  idx: [...a.idx],
  ids: [...a.ids],
  services: [...a.services],
  ws: [...a.ws],
  we: [...a.we],
  ...extra,
});

/** What {@link readRelatedFigures} reads, each in the shape of its own query's rows. */
export interface RelatedFigures {
  /** Per anomaly: `idx, incidents, users, acked, mtta_s, resolved, mttr_s`. */
  readonly totals: Row[];
  /** Per anomaly and service, longest first: `idx, service, seconds, periods`. */
  readonly downtime: Row[];
  /** Per anomaly, currency and cost type: `idx, cost_type, currency, amount, analyses`. */
  readonly costs: Row[];
}

/**
 * The related incidents' figures of every anomaly, in one statement over one materialised join of
 * the related ids with the incidents (building that join is most of the cost; three statements
 * built it three times):
 * - totals: related incidents found, the sum of their `affected_users`, and their mean
 *   acknowledgement and resolution delays in seconds (over those acknowledged / resolved before `to`);
 * - downtime: per service, the hours covered by the union of the related incidents' intervals
 *   `[created_at, resolved_at)`, an incident still open at `to` (or resolved after it) counting
 *   until `to`. Overlapping or touching intervals of one service are merged first
 *   (gaps-and-islands: a running max of ends marks where a new island begins), so two incidents
 *   open at once count once. Incidents without a service have nothing to be down and are left out;
 * - costs: per cost type and currency, the `cost_amount` (the amount in force, a correction
 *   included) of the related incidents' cost analyses, summed exactly as DECIMAL text.
 */
export async function readRelatedFigures(
  db: Database,
  a: AnomalyRelation,
  to: Date,
): Promise<RelatedFigures> {
  const rows = await db.all(
    `WITH ${anomaliesSql.replace('rel AS (', 'rel AS MATERIALIZED (').replace('ri AS (', 'ri AS MATERIALIZED (')},
     totals AS (
       SELECT idx, count(*) AS incidents, coalesce(sum(affected_users), 0)::BIGINT AS users,
         count(*) FILTER (WHERE acknowledged_at < $to) AS acked,
         avg(epoch(acknowledged_at) - epoch(created_at)) FILTER (WHERE acknowledged_at < $to) AS mtta_s,
         count(*) FILTER (WHERE resolved_at < $to) AS resolved,
         avg(epoch(resolved_at) - epoch(created_at)) FILTER (WHERE resolved_at < $to) AS mttr_s
       FROM ri GROUP BY idx
     ),
     iv AS (
       SELECT idx, service, created_at AS s, least(coalesce(resolved_at, $to), $to) AS e
       FROM ri WHERE service IS NOT NULL AND created_at < $to
     ),
     isl AS (${islands('iv', 'idx, service')}),
     down AS (
       SELECT idx, service, sum(epoch(e) - epoch(s)) AS seconds, count(*) AS periods
       FROM isl GROUP BY idx, service
     ),
     costs AS (
       SELECT rel.idx, c.cost_type, c.currency, sum(c.cost_amount)::VARCHAR AS amount, count(*) AS analyses
       FROM rel JOIN cost_analyses AS c ON c.incident_id = rel.id GROUP BY ALL
     )
     SELECT 'total' AS part, idx, NULL::VARCHAR AS service, NULL::VARCHAR AS cost_type, NULL::VARCHAR AS currency,
       NULL::VARCHAR AS amount, incidents AS n1, users AS n2, acked AS n3, resolved AS n4, mtta_s AS x1, mttr_s AS x2
     FROM totals
     UNION ALL
     SELECT 'down', idx, service, NULL, NULL, NULL, periods, NULL, NULL, NULL, seconds, NULL FROM down
     UNION ALL
     SELECT 'cost', idx, NULL, cost_type, currency, amount, analyses, NULL, NULL, NULL, NULL, NULL FROM costs
     ORDER BY part, idx, x1 DESC, service, currency, cost_type`,
    params(a, { to }),
  );
  const of = (part: string) => rows.filter((r) => r['part'] === part);
  return {
    totals: of('total').map((r) => ({
      idx: r['idx'],
      incidents: Number(r['n1']),
      users: r['n2'],
      acked: Number(r['n3']),
      mtta_s: r['x1'],
      resolved: Number(r['n4']),
      mttr_s: r['x2'],
    })),
    downtime: of('down').map((r) => ({
      idx: r['idx'],
      service: r['service'],
      seconds: r['x1'],
      periods: Number(r['n1']),
    })),
    costs: of('cost').map((r) => ({
      idx: r['idx'],
      cost_type: r['cost_type'],
      currency: r['currency'],
      amount: r['amount'],
      analyses: Number(r['n1']),
    })),
  };
}

/**
 * Per anomaly: the mean acknowledgement and resolution delays (seconds) of the baseline, the
 * incidents of the anomaly's services (every incident when it names none) created from `from` to
 * the start of its window, with the counts they are taken over; delays after `to` are not known yet.
 */
export function readBaseline(db: Database, a: AnomalyRelation, from: Date, to: Date): Promise<Row[]> {
  // The history is summed per service and hour once; each anomaly adds up the whole hours before
  // its window's start, and reads the incidents of a part hour before it (none when the window
  // starts on the hour, as series buckets do) directly. Sums and counts, not means, so that the
  // means come out as those of the incidents themselves.
  return db.all(
    `WITH ${anomaliesSql},
     scope AS (
       SELECT idx, ws, unnest(string_split(services, ',')) AS service FROM a WHERE services <> ''
       UNION ALL
       SELECT idx, ws, NULL AS service FROM a WHERE services = ''
     ),
     hist AS (
       SELECT service, created_at, acknowledged_at, resolved_at FROM incidents
       WHERE created_at >= $from AND created_at < (SELECT max(ws) FROM a)
     ),
     hourly AS (
       SELECT service, date_trunc('hour', created_at) AS h,
         count(*) FILTER (WHERE acknowledged_at < $to) AS acked,
         sum(epoch(acknowledged_at) - epoch(created_at)) FILTER (WHERE acknowledged_at < $to) AS ack_s,
         count(*) FILTER (WHERE resolved_at < $to) AS resolved,
         sum(epoch(resolved_at) - epoch(created_at)) FILTER (WHERE resolved_at < $to) AS res_s
       FROM hist GROUP BY ALL
     ),
     whole AS (
       SELECT scope.idx, h.acked, h.ack_s, h.resolved, h.res_s FROM scope JOIN hourly AS h
         ON (scope.service IS NULL OR h.service = scope.service) AND h.h + INTERVAL 1 HOUR <= scope.ws
     ),
     part AS (
       SELECT scope.idx,
         (acknowledged_at < $to)::INTEGER AS acked,
         CASE WHEN acknowledged_at < $to THEN epoch(acknowledged_at) - epoch(created_at) END AS ack_s,
         (resolved_at < $to)::INTEGER AS resolved,
         CASE WHEN resolved_at < $to THEN epoch(resolved_at) - epoch(created_at) END AS res_s
       FROM scope JOIN hist ON (scope.service IS NULL OR hist.service = scope.service)
         AND hist.created_at >= date_trunc('hour', scope.ws) AND hist.created_at < scope.ws
     ),
     base AS (SELECT * FROM whole UNION ALL SELECT * FROM part)
     SELECT idx, sum(acked)::INTEGER AS acked, sum(ack_s) / nullif(sum(acked), 0) AS mtta_s,
       sum(resolved)::INTEGER AS resolved, sum(res_s) / nullif(sum(resolved), 0) AS mttr_s
     FROM base GROUP BY idx`,
    params(a, { from, to }),
  );
}

/**
 * Merges the intervals `(s, e)` of `source` into islands per group of `keys` (gaps-and-islands: a
 * running max of ends marks where a new island begins), so that overlapping or touching intervals
 * count once. Empty intervals are left out. `keys` is SQL text of this file, never input.
 */
function islands(source: string, keys: string): string {
  return `SELECT ${keys}, min(s) AS s, max(e) AS e FROM (
      SELECT ${keys}, s, e, sum(brk) OVER (PARTITION BY ${keys} ORDER BY s, e ROWS UNBOUNDED PRECEDING) AS g
      FROM (
        SELECT ${keys}, s, e, CASE WHEN s <= max(e) OVER (PARTITION BY ${keys} ORDER BY s, e
          ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) THEN 0 ELSE 1 END AS brk
        FROM ${source} WHERE e > s
      )
    ) GROUP BY ${keys}, g`;
}

/**
 * Per contract period (`pair`) and variant `v` (1: every outage; 0: without the anomaly's related
 * incidents): the agreed seconds (the period less its maintenance windows) and the downtime seconds
 * outside maintenance, as the KPI capability's AVAILABILITY counts them: outages are incidents of
 * the contract's service of an outage severity created before `to`, from `created_at` to
 * `resolved_at` when resolved before `to`, else `horizon` seconds after creation, clipped to the
 * period; the time after `to` counts as up. Every pair has both rows (downtime 0 without outages).
 */
export function readContractDowntime(
  db: Database,
  a: AnomalyRelation,
  pairs: readonly ContractPair[],
  to: Date,
  severities: readonly string[],
  horizonSeconds: number,
): Promise<Row[]> {
  return db.all(
    `WITH ${anomaliesSql},
     p AS (
       SELECT unnest($pair)::INTEGER AS pair, unnest($pidx)::INTEGER AS idx, unnest($pservice) AS service,
         unnest($pstart) AS ps, unnest($pend) AS pe
     ),
     o AS (
       SELECT p.pair, greatest(i.created_at, p.ps) AS s,
         least(CASE WHEN i.resolved_at < $to THEN i.resolved_at
           ELSE i.created_at + to_seconds(CAST($horizon AS DOUBLE)) END, p.pe) AS e,
         rel.id IS NOT NULL AS related
       FROM p JOIN incidents AS i ON i.service = p.service AND list_contains($severities, i.severity)
         AND i.created_at < least(p.pe, $to)
       LEFT JOIN rel ON rel.idx = p.idx AND rel.id = i.id
     ),
     ov AS (SELECT pair, 1 AS v, s, e FROM o UNION ALL SELECT pair, 0 AS v, s, e FROM o WHERE NOT related),
     mw AS (
       SELECT p.pair, v.v, greatest(m.start_at, p.ps) AS s, least(m.end_at, p.pe) AS e
       FROM p JOIN maintenance_windows AS m ON (m.service IS NULL OR m.service = p.service)
         AND m.start_at < p.pe AND m.end_at > p.ps
       CROSS JOIN (VALUES (0), (1)) AS v(v)
     ),
     down_isl AS (${islands('ov', 'pair, v')}),
     mw_isl AS (${islands('mw', 'pair, v')}),
     down AS (SELECT pair, v, sum(epoch(e) - epoch(s)) AS d FROM down_isl GROUP BY pair, v),
     maint AS (SELECT pair, sum(epoch(e) - epoch(s)) AS m FROM mw_isl WHERE v = 1 GROUP BY pair),
     overlap AS (
       SELECT x.pair, x.v, sum(epoch(least(x.e, y.e)) - epoch(greatest(x.s, y.s))) AS o
       FROM down_isl AS x JOIN mw_isl AS y ON x.pair = y.pair AND x.v = y.v AND x.s < y.e AND y.s < x.e
       GROUP BY x.pair, x.v
     )
     SELECT p.pair, vv.v, epoch(p.pe) - epoch(p.ps) - coalesce(maint.m, 0) AS agreed,
       coalesce(down.d, 0) - coalesce(overlap.o, 0) AS down
     FROM p CROSS JOIN (VALUES (0), (1)) AS vv(v)
     LEFT JOIN down ON down.pair = p.pair AND down.v = vv.v
     LEFT JOIN maint ON maint.pair = p.pair
     LEFT JOIN overlap ON overlap.pair = p.pair AND overlap.v = vv.v
     ORDER BY p.pair, vv.v`,
    params(a, {
      to,
      horizon: horizonSeconds,
      severities: [...severities],
      pair: pairs.map((p) => p.pair),
      pidx: pairs.map((p) => p.idx),
      pservice: pairs.map((p) => p.service),
      pstart: pairs.map((p) => p.start),
      pend: pairs.map((p) => p.end),
    }),
  );
}
