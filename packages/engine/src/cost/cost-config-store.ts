import { EngineError, notFound } from '../errors.ts';
import { parseInput } from '../input/parse-input.ts';
import type { Database, Row } from '../store/database.ts';
import {
  type CostModelInput,
  type CostSettings,
  type CostSettingsInput,
  costModelInput,
  costSettingsInput,
  type ServiceTierInput,
  type SlaContractInput,
  serviceTierInput,
  slaContractInput,
} from './cost-config.ts';

/** A stored cost model: its input with `id`, `effective_to` (set when a newer one supersedes it) and times. */
export interface CostModelRecord {
  id: string;
  name: string;
  service_tier: string;
  business_unit: string;
  currency: string;
  effective_from: Date;
  effective_to: Date | null;
  downtime_cost_per_hour: string | null;
  revenue_per_hour: string | null;
  lost_revenue_share: Record<'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL', string | null>;
  responder_hourly_rate: string | null;
  responders: number | null;
  reputation_cost_per_user: string | null;
  compliance_cost_per_incident: string | null;
  compliance_categories: string[];
  compliance_tags: string[];
  created_at: Date;
  updated_at: Date;
}

/** A stored SLA contract. */
export interface SlaContractRecord {
  id: string;
  name: string;
  service: string;
  period: 'DAY' | 'WEEK' | 'MONTH';
  availability_target: number;
  penalty_tiers: { below: number; amount: string }[];
  currency: string;
  effective_from: Date;
  effective_to: Date | null;
  created_at: Date;
}

/** A service's tier and business unit. */
export interface ServiceTierRecord {
  service: string;
  service_tier: string;
  business_unit: string;
  updated_at: Date;
}

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const modelSelect = `id::VARCHAR AS id, name, service_tier, business_unit, currency, effective_from, effective_to,
  downtime_cost_per_hour::VARCHAR AS downtime_cost_per_hour, revenue_per_hour::VARCHAR AS revenue_per_hour,
  lost_share_low::VARCHAR AS low, lost_share_medium::VARCHAR AS medium, lost_share_high::VARCHAR AS high,
  lost_share_critical::VARCHAR AS critical, responder_hourly_rate::VARCHAR AS responder_hourly_rate, responders,
  reputation_cost_per_user::VARCHAR AS reputation_cost_per_user,
  compliance_cost_per_incident::VARCHAR AS compliance_cost_per_incident, compliance_categories, compliance_tags,
  created_at, updated_at`;

function toModel(row: Row): CostModelRecord {
  return {
    id: String(row['id']),
    name: String(row['name']),
    service_tier: String(row['service_tier']),
    business_unit: String(row['business_unit']),
    currency: String(row['currency']),
    effective_from: row['effective_from'] as Date,
    effective_to: (row['effective_to'] as Date | null) ?? null,
    downtime_cost_per_hour: text(row['downtime_cost_per_hour']),
    revenue_per_hour: text(row['revenue_per_hour']),
    lost_revenue_share: {
      LOW: text(row['low']),
      MEDIUM: text(row['medium']),
      HIGH: text(row['high']),
      CRITICAL: text(row['critical']),
    },
    responder_hourly_rate: text(row['responder_hourly_rate']),
    responders: row['responders'] === null ? null : Number(row['responders']),
    reputation_cost_per_user: text(row['reputation_cost_per_user']),
    compliance_cost_per_incident: text(row['compliance_cost_per_incident']),
    compliance_categories: (row['compliance_categories'] as string[]) ?? [],
    compliance_tags: (row['compliance_tags'] as string[]) ?? [],
    created_at: row['created_at'] as Date,
    updated_at: row['updated_at'] as Date,
  };
}

/** Every cost model, by tier, business unit and start. */
export async function listCostModels(db: Database): Promise<CostModelRecord[]> {
  const rows = await db.all(
    `SELECT ${modelSelect} FROM cost_models ORDER BY service_tier, business_unit, effective_from`,
  );
  return rows.map(toModel);
}

/** @throws EngineError NOT_FOUND. */
export async function getCostModel(db: Database, id: string): Promise<CostModelRecord> {
  if (!uuidPattern.test(id)) throw notFound('cost model', id);
  const row = await db.one(`SELECT ${modelSelect} FROM cost_models WHERE id = $id::UUID`, { id });
  if (!row) throw notFound('cost model', id);
  return toModel(row);
}

/**
 * Stores a cost model. A model of the same tier and business unit still in force at the new
 * `effective_from` ends there (its `effective_to` is set), so incidents created before keep their
 * price and their analyses: a price change is a new model, never an edit.
 *
 * @throws EngineError VALIDATION_ERROR for a bad field; CONFLICT when a model of that tier and
 *   business unit starts at or after the new one's start (history is only appended to).
 */
export async function createCostModel(
  db: Database,
  input: CostModelInput,
  now: Date,
): Promise<CostModelRecord> {
  const m = parseInput(costModelInput, input, 'cost model');
  const id = crypto.randomUUID();
  await db.transaction(async (tx) => {
    const later = await tx.one(
      `SELECT id::VARCHAR AS id FROM cost_models WHERE service_tier = $tier AND business_unit = $bu
       AND effective_from >= $from LIMIT 1`,
      { tier: m.service_tier, bu: m.business_unit, from: m.effective_from },
    );
    if (later) {
      throw new EngineError(
        'CONFLICT',
        `a cost model of ${m.service_tier} / ${m.business_unit} already starts at or after ${m.effective_from.toISOString()}`,
        { id: String(later['id']) },
      );
    }
    await tx.run(
      `UPDATE cost_models SET effective_to = $from, updated_at = $now WHERE service_tier = $tier
       AND business_unit = $bu AND (effective_to IS NULL OR effective_to > $from)`,
      { tier: m.service_tier, bu: m.business_unit, from: m.effective_from, now },
    );
    const share = m.lost_revenue_share ?? {};
    await tx.run(
      `INSERT INTO cost_models VALUES ($id::UUID, $name, $tier, $bu, $currency, $from, NULL,
        $downtime::DECIMAL(18,2), $revenue::DECIMAL(18,2), $low::DECIMAL(7,6), $medium::DECIMAL(7,6),
        $high::DECIMAL(7,6), $critical::DECIMAL(7,6), $rate::DECIMAL(18,2), $responders::INTEGER,
        $reputation::DECIMAL(18,2), $compliance::DECIMAL(18,2), $categories, $tags, $now, $now)`,
      {
        id,
        name: m.name,
        tier: m.service_tier,
        bu: m.business_unit,
        currency: m.currency,
        from: m.effective_from,
        downtime: m.downtime_cost_per_hour ?? null,
        revenue: m.revenue_per_hour ?? null,
        low: share.LOW ?? null,
        medium: share.MEDIUM ?? null,
        high: share.HIGH ?? null,
        critical: share.CRITICAL ?? null,
        rate: m.responder_hourly_rate ?? null,
        responders: m.responders ?? null,
        reputation: m.reputation_cost_per_user ?? null,
        compliance: m.compliance_cost_per_incident ?? null,
        categories: m.compliance_categories ?? [],
        tags: m.compliance_tags ?? [],
        now,
      },
    );
  });
  return getCostModel(db, id);
}

/**
 * Sets the tier and business unit of a service (replacing an earlier assignment).
 *
 * @throws EngineError VALIDATION_ERROR for a bad field.
 */
export async function setServiceTier(
  db: Database,
  input: ServiceTierInput,
  now: Date,
): Promise<ServiceTierRecord> {
  const s = parseInput(serviceTierInput, input, 'service tier');
  await db.transaction(async (tx) => {
    await tx.run('DELETE FROM cost_service_tiers WHERE service = $service', { service: s.service });
    await tx.run('INSERT INTO cost_service_tiers VALUES ($service, $tier, $bu, $now)', {
      service: s.service,
      tier: s.service_tier,
      bu: s.business_unit,
      now,
    });
  });
  return { ...s, updated_at: now };
}

/** Every service's tier and business unit, by service. */
export async function listServiceTiers(db: Database): Promise<ServiceTierRecord[]> {
  const rows = await db.all('SELECT * FROM cost_service_tiers ORDER BY service');
  return rows.map((r) => ({
    service: String(r['service']),
    service_tier: String(r['service_tier']),
    business_unit: String(r['business_unit']),
    updated_at: r['updated_at'] as Date,
  }));
}

function toContract(row: Row): SlaContractRecord {
  return {
    id: String(row['id']),
    name: String(row['name']),
    service: String(row['service']),
    period: row['period'] as SlaContractRecord['period'],
    availability_target: Number(row['availability_target']),
    penalty_tiers: JSON.parse(String(row['penalty_tiers'])) as SlaContractRecord['penalty_tiers'],
    currency: String(row['currency']),
    effective_from: row['effective_from'] as Date,
    effective_to: (row['effective_to'] as Date | null) ?? null,
    created_at: row['created_at'] as Date,
  };
}

const contractSelect = `id::VARCHAR AS id, name, service, period, availability_target::DOUBLE AS availability_target,
  penalty_tiers::VARCHAR AS penalty_tiers, currency, effective_from, effective_to, created_at`;

/** Every SLA contract, by service and start. */
export async function listSlaContracts(db: Database): Promise<SlaContractRecord[]> {
  const rows = await db.all(
    `SELECT ${contractSelect} FROM sla_contracts ORDER BY service, effective_from, id`,
  );
  return rows.map(toContract);
}

/**
 * Stores an SLA contract.
 *
 * @throws EngineError VALIDATION_ERROR for a bad field (tiers whose highest `below` is not the target).
 */
export async function createSlaContract(
  db: Database,
  input: SlaContractInput,
  now: Date,
): Promise<SlaContractRecord> {
  const c = parseInput(slaContractInput, input, 'SLA contract');
  const id = crypto.randomUUID();
  const tiers = [...c.penalty_tiers].sort((a, b) => b.below - a.below);
  await db.run(
    `INSERT INTO sla_contracts VALUES ($id::UUID, $name, $service, $period, $target::DECIMAL(7,4), $tiers::JSON,
      $currency, $from, $to, $now)`,
    {
      id,
      name: c.name,
      service: c.service,
      period: c.period,
      target: String(c.availability_target),
      tiers: JSON.stringify(tiers),
      currency: c.currency,
      from: c.effective_from,
      to: c.effective_to ?? null,
      now,
    },
  );
  const row = await db.one(`SELECT ${contractSelect} FROM sla_contracts WHERE id = $id::UUID`, { id });
  return toContract(row as Row);
}

/** The cost settings; reporting currency USD, no rates and no threshold until set. */
export async function getCostSettings(db: Database): Promise<CostSettings> {
  const row = await db.one(
    `SELECT reporting_currency, exchange_rates::VARCHAR AS rates, incident_cost_threshold::VARCHAR AS threshold
     FROM cost_settings LIMIT 1`,
  );
  if (!row) return { reporting_currency: 'USD', exchange_rates: {}, incident_cost_threshold: null };
  return {
    reporting_currency: String(row['reporting_currency']),
    exchange_rates: JSON.parse(String(row['rates'])) as Record<string, string>,
    incident_cost_threshold: text(row['threshold']),
  };
}

/**
 * Replaces the cost settings. Analyses already computed keep their amounts until their inputs
 * change (a changed rate is an input: the next calculation recomputes what it prices).
 *
 * @throws EngineError VALIDATION_ERROR for a bad field.
 */
export async function updateCostSettings(
  db: Database,
  input: CostSettingsInput,
  now: Date,
): Promise<CostSettings> {
  const s = parseInput(costSettingsInput, input, 'cost settings');
  await db.transaction(async (tx) => {
    await tx.run('DELETE FROM cost_settings');
    await tx.run(
      'INSERT INTO cost_settings VALUES ($currency, $rates::JSON, $threshold::DECIMAL(18,2), $now)',
      {
        currency: s.reporting_currency,
        rates: JSON.stringify(s.exchange_rates),
        threshold: s.incident_cost_threshold,
        now,
      },
    );
  });
  return s;
}
