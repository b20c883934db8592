import { EngineError } from '../errors.ts';
import type { EventOutbox } from '../events/outbox.ts';
import type { OutageRule } from '../kpi/kpi-options.ts';
import type { Database, Transaction } from '../store/database.ts';
import { getCostSettings, listSlaContracts } from './cost-config-store.ts';
import { candidateColumns, incidentCostsSql } from './incident-costs-sql.ts';
import { scaled } from './money.ts';
import { contractPenalties, type PenaltyCandidate } from './penalties.ts';

/** What one calculation did. */
export interface CostCalculationResult {
  /** The window: incidents resolved or updated in `[start, end)`, contract periods overlapping it. */
  readonly start: Date;
  readonly end: Date;
  /** Analyses written for the first time. */
  readonly created: number;
  /** Analyses whose inputs changed and were recomputed. */
  readonly updated: number;
  /** Analyses computed again with the same inputs, left as they were. */
  readonly unchanged: number;
  /** COST_THRESHOLD_EXCEEDED events emitted. */
  readonly thresholdEvents: number;
  /** Currencies of cost models or contracts without an exchange rate (their costs were skipped). */
  readonly missingRates: string[];
}

const cols = `id, incident_id, cost_type, cost_amount, currency, calculation_method, calculation_details,
  downtime_hours, affected_users, revenue_impact, business_unit, service_tier, is_validated, validated_by,
  validated_at, validation_notes, created_at, updated_at, corrected_amount, analysis_key, input_fingerprint,
  cost_model_id, sla_contract_id, period_start, period_end`;
const amount = (c: string) => `CAST(CAST(${c} AS DECIMAL(38, 0)) * 0.01 AS DECIMAL(18, 2))`;
const hours = (c: string) => `CAST(CAST(${c} AS DECIMAL(38, 0)) * 0.0001 AS DECIMAL(18, 4))`;

function penaltyRow(
  p: PenaltyCandidate,
  reporting: string,
  fxText: string,
): Record<string, string | number | null> {
  const method =
    'penalty_tiers[availability] * exchange_rate, availability as the AVAILABILITY KPI computes it';
  const details = JSON.stringify({
    formula: method,
    sla_contract_id: p.contract.id,
    service: p.contract.service,
    period: p.contract.period,
    period_start: p.period.start.toISOString(),
    period_end: p.period.end.toISOString(),
    availability: p.availability.toFixed(6),
    availability_target: String(p.contract.availability_target),
    tier_below: String(p.tier.below),
    tier_amount: p.tier.amount,
    currency: p.contract.currency,
    reporting_currency: reporting,
    exchange_rate: fxText,
    period_downtime_seconds: p.downtimeSeconds,
    breaching_incident: p.incidentId,
    rounding: 'half-up to 0.01, once per amount',
  });
  return {
    key: `PENALTY|${p.contract.id}|${p.period.start.toISOString()}`,
    incident: p.incidentId,
    cents: p.amountCents.toString(),
    method,
    details,
    downtime: Math.round((p.downtimeSeconds * 10000) / 3600),
    contract: p.contract.id,
    start: p.period.start.toISOString(),
    end: p.period.end.toISOString(),
  };
}

/**
 * Prices incidents resolved or updated in `[start, end)` and the SLA contract periods overlapping
 * it, and stores the analyses, in one transaction: a row whose inputs (its `calculation_details`)
 * are unchanged is left alone, a changed one is recomputed (its validation and correction, made on
 * other inputs, are cleared), a new one inserted. An incident whose total crosses the configured
 * threshold emits COST_THRESHOLD_EXCEEDED in the same transaction.
 *
 * @throws EngineError VALIDATION_ERROR when `end` is not after `start`.
 */
export async function calculateCosts(
  db: Database,
  events: EventOutbox,
  window: { start: Date; end: Date },
  now: Date,
  rule: OutageRule,
): Promise<CostCalculationResult> {
  if (!(window.end.getTime() > window.start.getTime())) {
    throw new EngineError('VALIDATION_ERROR', 'the window end must be after its start', {
      start: window.start.toISOString(),
      end: window.end.toISOString(),
    });
  }
  const settings = await getCostSettings(db);
  const rates = new Map<string, string>(Object.entries(settings.exchange_rates));
  rates.set(settings.reporting_currency, '1');
  const fx = [...rates.entries()];
  const contracts = await listSlaContracts(db);
  return db.transaction(async (tx) => {
    await tx.run(`CREATE OR REPLACE TEMP TABLE cost_candidates (${candidateColumns})`);
    // A temporary table of the writer's connection: dropped here, replaced by the next run after a failure.
    await tx.run(incidentCostsSql(), {
      start: window.start,
      end: window.end,
      reporting: settings.reporting_currency,
      fx_cur: fx.map(([c]) => c),
      fx_text: fx.map(([, r]) => r),
      fx_micro: fx.map(([, r]) => scaled(r, 6, 'exchange rate').toString()),
    });
    for (const contract of contracts) {
      const rate = rates.get(contract.currency);
      if (rate === undefined) continue;
      const penalties = await contractPenalties(tx, contract, window, rule, scaled(rate, 6, 'exchange rate'));
      for (const p of penalties) {
        await tx.run(
          `INSERT INTO cost_candidates SELECT $key, $incident::UUID, 'PENALTY', $cents::HUGEINT, $method, $details::JSON,
            $downtime::HUGEINT, NULL, NULL, NULL, NULL, NULL, $contract::UUID, $start::TIMESTAMP, $end::TIMESTAMP,
            md5($key || '|' || $details), a.id, a.input_fingerprint
            FROM (SELECT 1) LEFT JOIN cost_analyses AS a ON a.analysis_key = $key`,
          penaltyRow(p, settings.reporting_currency, rate),
        );
      }
    }
    const result = await applyCandidates(
      tx,
      events,
      window,
      now,
      settings.reporting_currency,
      settings.incident_cost_threshold,
      [
        ...missingRates(await tx.rows('SELECT DISTINCT currency FROM cost_models'), rates),
        ...contracts.filter((c) => !rates.has(c.currency)).map((c) => c.currency),
      ],
    );
    await tx.run('DROP TABLE cost_candidates');
    return result;
  });
}

function missingRates(rows: readonly Record<string, unknown>[], rates: Map<string, string>): string[] {
  return rows.map((r) => String(r['currency'])).filter((c) => !rates.has(c));
}

async function applyCandidates(
  tx: Transaction,
  events: EventOutbox,
  window: { start: Date; end: Date },
  now: Date,
  currency: string,
  threshold: string | null,
  missing: string[],
): Promise<CostCalculationResult> {
  const totalsSql = `SELECT incident_id, sum(coalesce(corrected_amount, cost_amount)) AS total FROM cost_analyses
    WHERE incident_id IN (SELECT incident_id FROM cost_candidates) GROUP BY incident_id`;
  if (threshold !== null) await tx.run(`CREATE OR REPLACE TEMP TABLE cost_totals_before AS ${totalsSql}`);
  const counts = await tx.one(
    `SELECT count(*) AS total, count(*) FILTER (existing_id IS NULL) AS created,
       count(*) FILTER (existing_id IS NOT NULL AND existing_fingerprint IS DISTINCT FROM fingerprint) AS updated
     FROM cost_candidates`,
  );
  const total = Number(counts?.['total'] ?? 0);
  const created = Number(counts?.['created'] ?? 0);
  const updated = Number(counts?.['updated'] ?? 0);
  await tx.run(
    `UPDATE cost_analyses AS a SET incident_id = c.incident_id, cost_amount = ${amount('c.amount_cents')},
       currency = $currency, calculation_method = c.calculation_method, calculation_details = c.details,
       downtime_hours = ${hours('c.downtime_tt')}, affected_users = c.affected_users,
       revenue_impact = ${amount('c.revenue_cents')}, business_unit = c.business_unit, service_tier = c.service_tier,
       is_validated = false, validated_by = NULL, validated_at = NULL, corrected_amount = NULL,
       input_fingerprint = c.fingerprint, cost_model_id = c.cost_model_id, sla_contract_id = c.sla_contract_id,
       period_start = c.period_start, period_end = c.period_end, updated_at = $now
     FROM cost_candidates AS c
     WHERE a.id = c.existing_id AND c.existing_fingerprint IS DISTINCT FROM c.fingerprint`,
    { currency, now },
  );
  await tx.run(
    `INSERT INTO cost_analyses (${cols})
     SELECT uuid(), c.incident_id, c.cost_type, ${amount('c.amount_cents')}, $currency, c.calculation_method,
       c.details, ${hours('c.downtime_tt')}, c.affected_users, ${amount('c.revenue_cents')}, c.business_unit,
       c.service_tier, false, NULL, NULL, NULL, $now, $now, NULL, c.analysis_key, c.fingerprint, c.cost_model_id,
       c.sla_contract_id, c.period_start, c.period_end
     FROM cost_candidates AS c WHERE c.existing_id IS NULL`,
    { currency, now },
  );
  let thresholdEvents = 0;
  if (threshold !== null) {
    const crossed = await tx.rows(
      `SELECT t.incident_id::VARCHAR AS incident, t.total::VARCHAR AS total, coalesce(b.total, 0)::VARCHAR AS before
       FROM (${totalsSql}) AS t LEFT JOIN cost_totals_before AS b USING (incident_id)
       WHERE t.total >= $threshold::DECIMAL(18,2) AND coalesce(b.total, 0) < $threshold::DECIMAL(18,2)
       ORDER BY incident`,
      { threshold },
    );
    for (const row of crossed) {
      await events.append(tx, 'COST_THRESHOLD_EXCEEDED', {
        incident_id: row['incident'],
        total_cost: row['total'],
        previous_total: row['before'],
        threshold,
        currency,
      });
    }
    thresholdEvents = crossed.length;
    await tx.run('DROP TABLE IF EXISTS cost_totals_before');
  }
  return {
    start: window.start,
    end: window.end,
    created,
    updated,
    unchanged: total - created - updated,
    thresholdEvents,
    missingRates: [...new Set(missing)].sort(),
  };
}
