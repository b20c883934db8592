/**
 * The set-wise SQL that prices incidents: one statement fills the temporary table
 * `cost_candidates` with one row per incident and cost type its cost model configures. All money
 * is integer minor units (HUGEINT cents); each amount is rounded once, half-up, at the end of its
 * formula; durations are whole seconds (truncated).
 *
 * Bound parameters: `$start`, `$end` (incidents resolved or updated in `[start, end)`), `$fx_cur`,
 * `$fx_micro`, `$fx_text` (exchange rates into `$reporting`, in millionths and as given) and
 * `$reporting`.
 */

/** `num / den` rounded half-up in integer SQL arithmetic (both non-negative). */
const halfUp = (num: string, den: string): string =>
  `((2 * CAST(${num} AS HUGEINT) + CAST(${den} AS HUGEINT)) // (2 * CAST(${den} AS HUGEINT)))`;
/** A DECIMAL(18,2) as HUGEINT cents (exact: the decimal has two places). */
const cents = (column: string): string => `CAST(${column} * 100 AS HUGEINT)`;
const iso = (column: string): string => `strftime(${column}, '%Y-%m-%dT%H:%M:%S.%fZ')`;

/** Inputs every row's details carry. */
const commonDetails = `'incident_created_at', ${iso('created_at')}, 'cost_model_id', model_id::VARCHAR,
  'currency', currency, 'reporting_currency', $reporting, 'exchange_rate', fx_text,
  'service_tier', service_tier, 'business_unit', business_unit, 'rounding', 'half-up to 0.01, once per amount'`;

/** The formula (`calculation_method`), amount in cents, details and extra fields of each cost type. */
const costTypeRows: readonly {
  type: string;
  method: string;
  where: string;
  amount: string;
  details: string;
  revenue: string;
  /** The row's own inputs, fingerprinted beside the model, rate and tier. */
  inputs: string;
}[] = [
  {
    type: 'DOWNTIME',
    method: 'downtime_cost_per_hour * downtime_seconds / 3600 * exchange_rate',
    where: 'dch IS NOT NULL',
    amount: halfUp(`${cents('dch')} * down_s * micro`, '3600000000'),
    details: `'downtime_cost_per_hour', dch::VARCHAR, 'resolved_at', ${iso('resolved_at')}, 'downtime_seconds', down_s::BIGINT`,
    revenue: 'NULL',
    inputs: 'down_s',
  },
  {
    type: 'LOST_REVENUE',
    method: 'revenue_per_hour * lost_share[severity] * downtime_seconds / 3600 * exchange_rate',
    where: 'rph IS NOT NULL AND share IS NOT NULL',
    amount: halfUp(`${cents('rph')} * CAST(share * 1000000 AS HUGEINT) * down_s * micro`, '3600000000000000'),
    details: `'revenue_per_hour', rph::VARCHAR, 'severity', severity, 'lost_share', share::VARCHAR,
      'resolved_at', ${iso('resolved_at')}, 'downtime_seconds', down_s::BIGINT`,
    revenue: 'amount',
    inputs: 'severity, down_s',
  },
  {
    type: 'RESOURCE_COST',
    method:
      'responder_hourly_rate * responders * engaged_seconds (acknowledged_at to resolved_at) / 3600 * exchange_rate',
    where: 'rate IS NOT NULL AND responders IS NOT NULL AND engaged_s IS NOT NULL',
    amount: halfUp(`${cents('rate')} * responders * engaged_s * micro`, '3600000000'),
    details: `'responder_hourly_rate', rate::VARCHAR, 'responders', responders, 'acknowledged_at', ${iso('acknowledged_at')},
      'resolved_at', ${iso('resolved_at')}, 'engaged_seconds', engaged_s::BIGINT`,
    revenue: 'NULL',
    inputs: 'engaged_s',
  },
  {
    type: 'REPUTATION_COST',
    method: 'reputation_cost_per_user * affected_users * exchange_rate',
    where: 'rep IS NOT NULL AND users > 0',
    amount: halfUp(`${cents('rep')} * users * micro`, '1000000'),
    details: `'reputation_cost_per_user', rep::VARCHAR, 'affected_users', users`,
    revenue: 'NULL',
    inputs: 'users',
  },
  {
    type: 'COMPLIANCE_COST',
    method: 'compliance_cost_per_incident * exchange_rate (incident regulated by its category or a tag)',
    where: 'comp IS NOT NULL AND regulated',
    amount: halfUp(`${cents('comp')} * micro`, '1000000'),
    details: `'compliance_cost_per_incident', comp::VARCHAR, 'category', category, 'tags', coalesce(tags, []),
      'compliance_categories', compliance_categories, 'compliance_tags', compliance_tags`,
    revenue: 'NULL',
    inputs: "coalesce(category, '-'), coalesce(CAST(tags AS VARCHAR), '-')",
  },
];

const baseSql = `base AS MATERIALIZED (
  SELECT i.id AS incident_id, i.severity, i.category, i.tags, coalesce(i.affected_users, 0) AS users,
    i.created_at, i.acknowledged_at, i.resolved_at, i.tier AS service_tier, i.unit AS business_unit, m.id AS model_id,
    m.currency, fx.micro, fx.text AS fx_text, m.downtime_cost_per_hour AS dch, m.revenue_per_hour AS rph,
    CASE i.severity WHEN 'LOW' THEN m.lost_share_low WHEN 'MEDIUM' THEN m.lost_share_medium
      WHEN 'HIGH' THEN m.lost_share_high ELSE m.lost_share_critical END AS share,
    m.responder_hourly_rate AS rate, m.responders, m.reputation_cost_per_user AS rep,
    m.compliance_cost_per_incident AS comp, m.compliance_categories, m.compliance_tags,
    coalesce(list_contains(m.compliance_categories, i.category), false)
      OR list_has_any(m.compliance_tags, coalesce(i.tags, []::VARCHAR[])) AS regulated,
    CAST(greatest(0, (epoch_us(i.resolved_at) - epoch_us(i.created_at)) // 1000000) AS HUGEINT) AS down_s,
    CASE WHEN i.acknowledged_at IS NOT NULL THEN CAST(greatest(0,
      (epoch_us(i.resolved_at) - epoch_us(greatest(i.acknowledged_at, i.created_at))) // 1000000) AS HUGEINT) END AS engaged_s
  FROM (
    -- A service without its own tier takes the tier of service '*', if one is set (so do incidents without a service).
    SELECT i.*, coalesce(t.service_tier, d.service_tier) AS tier, coalesce(t.business_unit, d.business_unit) AS unit
    FROM incidents AS i
    LEFT JOIN cost_service_tiers AS t ON t.service = i.service
    LEFT JOIN (SELECT service_tier, business_unit FROM cost_service_tiers WHERE service = '*') AS d ON true
    WHERE i.resolved_at IS NOT NULL
      AND ((i.resolved_at >= $start AND i.resolved_at < $end) OR (i.updated_at >= $start AND i.updated_at < $end))
  ) AS i
  JOIN cost_models AS m ON m.service_tier = i.tier AND m.business_unit = i.unit
    AND m.effective_from <= i.created_at AND (m.effective_to IS NULL OR i.created_at < m.effective_to)
  JOIN fx ON fx.currency = m.currency
)`;

/**
 * The columns of `cost_candidates`, in order: the analysis, its fingerprint, and the stored row it
 * replaces (`existing_id`, `existing_fingerprint`; NULL when new). `details` is only built for rows
 * that are new or changed.
 */
export const candidateColumns = `analysis_key VARCHAR, incident_id UUID, cost_type VARCHAR, amount_cents HUGEINT,
  calculation_method VARCHAR, details JSON, downtime_tt HUGEINT, affected_users INTEGER, revenue_cents HUGEINT,
  business_unit VARCHAR, service_tier VARCHAR, cost_model_id UUID, sla_contract_id UUID, period_start TIMESTAMP,
  period_end TIMESTAMP, fingerprint VARCHAR, existing_id UUID, existing_fingerprint VARCHAR`;

/**
 * `INSERT INTO cost_candidates` of every per-incident cost (all types but PENALTY), each joined to
 * the stored analysis of its incident and type.
 */
export function incidentCostsSql(): string {
  const parts = costTypeRows.map((t) => {
    // What the amount and details depend on; a model's prices never change (a new price is a new model).
    const inputs = `md5(concat_ws('|', model_id, fx_text, $reporting, service_tier, business_unit, epoch_us(created_at), ${t.inputs}))`;
    const details = `json_object('formula', '${t.method}', ${t.details}, ${commonDetails})`;
    return `SELECT '${t.type}|' || b.incident_id::VARCHAR, b.incident_id, '${t.type}', b.amount, '${t.method}',
        CASE WHEN a.existing_fingerprint IS DISTINCT FROM b.inputs THEN ${details} END,
        ${halfUp('b.down_s * 10000', '3600')}, b.users, ${t.revenue}, b.business_unit, b.service_tier, b.model_id,
        NULL, NULL, NULL, b.inputs, a.existing_id, a.existing_fingerprint
      FROM (SELECT *, ${t.amount} AS amount, ${inputs} AS inputs FROM base WHERE ${t.where}) AS b
      LEFT JOIN (
        SELECT id AS existing_id, input_fingerprint AS existing_fingerprint, incident_id AS existing_incident
        FROM cost_analyses WHERE cost_type = '${t.type}'
      ) AS a ON a.existing_incident = b.incident_id`;
  });
  return `INSERT INTO cost_candidates
    WITH fx AS (SELECT unnest($fx_cur) AS currency, CAST(unnest($fx_micro) AS HUGEINT) AS micro, unnest($fx_text) AS text),
    ${baseSql}
    ${parts.join('\nUNION ALL\n')}`;
}
