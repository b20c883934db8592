import { type Engine, type IncidentInput, openEngine } from '../../src/index.ts';

/** A clock the test moves. */
export interface TestClock {
  now: Date;
}

/** An in-memory engine whose clock is `clock.now`. */
export function openCostEngine(clock: TestClock): Promise<Engine> {
  return openEngine({ path: ':memory:', now: () => clock.now, workers: { threads: 1 } });
}

/**
 * The configuration the hand-worked tests use: reporting currency USD, 1 EUR = 1.10 USD, a
 * threshold of 5,000.00 a incident; `checkout` is tier gold of business unit retail (model in USD),
 * `billing` tier gold of finance (model in EUR).
 */
export async function configure(engine: Engine): Promise<void> {
  await engine.costs.updateSettings({
    reporting_currency: 'USD',
    exchange_rates: { EUR: '1.10' },
    incident_cost_threshold: '5000.00',
  });
  await engine.costs.setServiceTier({ service: 'checkout', service_tier: 'gold', business_unit: 'retail' });
  await engine.costs.setServiceTier({ service: 'billing', service_tier: 'gold', business_unit: 'finance' });
  await engine.costs.createModel({
    name: 'gold retail 2024',
    service_tier: 'gold',
    business_unit: 'retail',
    currency: 'USD',
    effective_from: '2024-01-01T00:00:00Z',
    downtime_cost_per_hour: '1200.00',
    revenue_per_hour: '10000.00',
    lost_revenue_share: { HIGH: '0.25', CRITICAL: '1' },
    responder_hourly_rate: '80.00',
    responders: 3,
    reputation_cost_per_user: '0.50',
    compliance_cost_per_incident: '2500.00',
    compliance_categories: ['Payments'],
    compliance_tags: ['pci'],
  });
  await engine.costs.createModel({
    name: 'gold finance 2024',
    service_tier: 'gold',
    business_unit: 'finance',
    currency: 'EUR',
    effective_from: '2024-01-01T00:00:00Z',
    downtime_cost_per_hour: '100.00',
    reputation_cost_per_user: '0.15',
  });
}

/** An incident record for ingestion. */
export function incident(
  id: string,
  fields: {
    service: string;
    severity: 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';
    created_at: string;
    resolved_at: string;
    acknowledged_at?: string;
    affected_users?: number;
    category?: string;
    tags?: string[];
  },
): IncidentInput {
  return { external_id: id, title: `incident ${id}`, ...fields };
}
