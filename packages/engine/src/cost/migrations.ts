import type { Migration } from '../store/migrations.ts';

/**
 * Migration 6: the configuration cost impact is computed from, and what an analysis needs beyond
 * migration 1's `cost_analyses`.
 *
 * - `cost_models`: prices per service tier and business unit, each valid from `effective_from`
 *   until `effective_to` (open when NULL). An incident is priced by the model in force when it was
 *   created, so a new price (a new model) never rewrites earlier analyses.
 * - `cost_service_tiers`: which tier and business unit a service belongs to.
 * - `sla_contracts`: an availability target per period for a service and its penalty tiers.
 * - `cost_settings`: one row, the reporting currency, exchange rates and the per-incident cost
 *   threshold that emits COST_THRESHOLD_EXCEEDED.
 * - `cost_analyses.corrected_amount` (an analyst's correction, the computed `cost_amount` kept
 *   beside it), `analysis_key` (what the row prices: `<cost type>|<incident>` or
 *   `PENALTY|<contract>|<period start>`), `input_fingerprint` (md5 of its inputs: a re-run with
 *   the same inputs changes nothing), `cost_model_id`, `sla_contract_id`, `period_start`, `period_end`.
 *
 * No index or key constraint: a DuckDB table with an index cannot be altered by a later migration;
 * uniqueness is kept by the service.
 */
export const costMigration: Migration = {
  version: 6,
  name: 'cost models, SLA contracts and cost analysis keys',
  statements: [
    `CREATE TABLE cost_models (
      id UUID NOT NULL,
      name VARCHAR NOT NULL,
      service_tier VARCHAR NOT NULL,
      business_unit VARCHAR NOT NULL,
      currency VARCHAR NOT NULL,
      effective_from TIMESTAMP NOT NULL,
      effective_to TIMESTAMP,
      downtime_cost_per_hour DECIMAL(18, 2),
      revenue_per_hour DECIMAL(18, 2),
      lost_share_low DECIMAL(7, 6),
      lost_share_medium DECIMAL(7, 6),
      lost_share_high DECIMAL(7, 6),
      lost_share_critical DECIMAL(7, 6),
      responder_hourly_rate DECIMAL(18, 2),
      responders INTEGER,
      reputation_cost_per_user DECIMAL(18, 2),
      compliance_cost_per_incident DECIMAL(18, 2),
      compliance_categories VARCHAR[] NOT NULL,
      compliance_tags VARCHAR[] NOT NULL,
      created_at TIMESTAMP NOT NULL,
      updated_at TIMESTAMP NOT NULL
    )`,
    `CREATE TABLE cost_service_tiers (
      service VARCHAR NOT NULL,
      service_tier VARCHAR NOT NULL,
      business_unit VARCHAR NOT NULL,
      updated_at TIMESTAMP NOT NULL
    )`,
    `CREATE TABLE sla_contracts (
      id UUID NOT NULL,
      name VARCHAR NOT NULL,
      service VARCHAR NOT NULL,
      period VARCHAR NOT NULL,
      availability_target DECIMAL(7, 4) NOT NULL,
      penalty_tiers JSON NOT NULL,
      currency VARCHAR NOT NULL,
      effective_from TIMESTAMP NOT NULL,
      effective_to TIMESTAMP,
      created_at TIMESTAMP NOT NULL
    )`,
    `CREATE TABLE cost_settings (
      reporting_currency VARCHAR NOT NULL,
      exchange_rates JSON NOT NULL,
      incident_cost_threshold DECIMAL(18, 2),
      updated_at TIMESTAMP NOT NULL
    )`,
    'ALTER TABLE cost_analyses ADD COLUMN corrected_amount DECIMAL(18, 2)',
    'ALTER TABLE cost_analyses ADD COLUMN analysis_key VARCHAR',
    'ALTER TABLE cost_analyses ADD COLUMN input_fingerprint VARCHAR',
    'ALTER TABLE cost_analyses ADD COLUMN cost_model_id UUID',
    'ALTER TABLE cost_analyses ADD COLUMN sla_contract_id UUID',
    'ALTER TABLE cost_analyses ADD COLUMN period_start TIMESTAMP',
    'ALTER TABLE cost_analyses ADD COLUMN period_end TIMESTAMP',
  ],
};
