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

/**
 * Per anomaly: related incidents found, the sum of their `affected_users`, and their mean
 * acknowledgement and resolution delays in seconds (over those acknowledged / resolved before `to`).
 */
export function readTotals(db: Database, a: AnomalyRelation, to: Date): Promise<Row[]> {
  return db.all(
    `WITH ${anomaliesSql}
     SELECT idx, count(*)::INTEGER AS incidents, coalesce(sum(affected_users), 0)::BIGINT AS users,
       count(*) FILTER (WHERE acknowledged_at < $to)::INTEGER AS acked,
       avg(epoch(acknowledged_at) - epoch(created_at)) FILTER (WHERE acknowledged_at < $to) AS mtta_s,
       count(*) FILTER (WHERE resolved_at < $to)::INTEGER AS resolved,
       avg(epoch(resolved_at) - epoch(created_at)) FILTER (WHERE resolved_at < $to) AS mttr_s
     FROM ri GROUP BY idx`,
    params(a, { to }),
  );
}

/**
 * Per anomaly and service: the hours covered by the union of the related incidents' intervals
 * `[created_at, resolved_at)`, an incident still open at `to` (or resolved after it) counting
 * until `to`. Overlapping or touching intervals of one service are merged first
 * (gaps-and-islands: a running max of ends marks where a new island begins), so two incidents
 * open at once count once. Incidents without a service have nothing to be down and are left out.
 */
export function readDowntime(db: Database, a: AnomalyRelation, to: Date): Promise<Row[]> {
  return db.all(
    `WITH ${anomaliesSql},
     iv AS (
       SELECT idx, service, created_at AS s, least(coalesce(resolved_at, $to), $to) AS e
       FROM ri WHERE service IS NOT NULL AND created_at < $to
     ),
     brk AS (
       SELECT idx, service, s, e, CASE WHEN s <= max(e) OVER (PARTITION BY idx, service ORDER BY s, e
         ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) THEN 0 ELSE 1 END AS b
       FROM iv WHERE e > s
     ),
     grp AS (
       SELECT idx, service, s, e, sum(b) OVER (PARTITION BY idx, service ORDER BY s, e ROWS UNBOUNDED PRECEDING) AS g
       FROM brk
     ),
     isl AS (SELECT idx, service, min(s) AS s, max(e) AS e FROM grp GROUP BY idx, service, g)
     SELECT idx, service, sum(epoch(e) - epoch(s)) AS seconds, count(*)::INTEGER AS periods
     FROM isl GROUP BY idx, service ORDER BY idx, seconds DESC, service`,
    params(a, { to }),
  );
}

/**
 * Per anomaly, cost type and currency: the `cost_amount` (the amount in force, a correction
 * included) of the related incidents' cost analyses, summed exactly as DECIMAL text.
 */
export function readCosts(db: Database, a: AnomalyRelation): Promise<Row[]> {
  return db.all(
    `WITH ${anomaliesSql}
     SELECT rel.idx, c.cost_type, c.currency, sum(c.cost_amount)::VARCHAR AS amount, count(*)::INTEGER AS analyses
     FROM rel JOIN cost_analyses AS c ON c.incident_id = rel.id
     GROUP BY ALL ORDER BY rel.idx, c.currency, c.cost_type`,
    params(a, {}),
  );
}

/**
 * Per anomaly: the mean acknowledgement and resolution delays (seconds) of the baseline, the
 * incidents of the anomaly's services (every incident when it names none) created from `from` to
 * the start of its window, with the counts they are taken over; delays after `to` are not known yet.
 */
export function readBaseline(db: Database, a: AnomalyRelation, from: Date, to: Date): Promise<Row[]> {
  return db.all(
    `WITH ${anomaliesSql},
     scope AS (SELECT idx, ws, unnest(string_split(services, ',')) AS service FROM a WHERE services <> ''),
     hist AS (
       SELECT service, created_at, acknowledged_at, resolved_at FROM incidents
       WHERE created_at >= $from AND created_at < (SELECT max(ws) FROM a)
     ),
     base AS (
       SELECT scope.idx, h.* FROM scope JOIN hist AS h ON h.service = scope.service AND h.created_at < scope.ws
       UNION ALL
       SELECT a.idx, h.* FROM a JOIN hist AS h ON h.created_at < a.ws WHERE a.services = ''
     )
     SELECT idx,
       count(*) FILTER (WHERE acknowledged_at < $to)::INTEGER AS acked,
       avg(epoch(acknowledged_at) - epoch(created_at)) FILTER (WHERE acknowledged_at < $to) AS mtta_s,
       count(*) FILTER (WHERE resolved_at < $to)::INTEGER AS resolved,
       avg(epoch(resolved_at) - epoch(created_at)) FILTER (WHERE resolved_at < $to) AS mttr_s
     FROM base GROUP BY idx`,
    params(a, { from, to }),
  );
}

/** Merges intervals `(pair, v, s, e)` of `source` into islands per `(pair, v)`. */
function islands(source: string): string {
  return `SELECT pair, v, min(s) AS s, max(e) AS e FROM (
      SELECT pair, v, s, e, sum(brk) OVER (PARTITION BY pair, v ORDER BY s, e ROWS UNBOUNDED PRECEDING) AS g
      FROM (
        SELECT pair, v, s, e, CASE WHEN s <= max(e) OVER (PARTITION BY pair, v ORDER BY s, e
          ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) THEN 0 ELSE 1 END AS brk
        FROM ${source} WHERE e > s
      )
    ) GROUP BY pair, v, g`;
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
     down_isl AS (${islands('ov')}),
     mw_isl AS (${islands('mw')}),
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
