import { type Engine, openEngine, type PredictiveInsightRecord } from '../../src/index.ts';
import type { InsightModelSource } from '../../src/insights/insight-generation.ts';
import type { InsightService } from '../../src/insights/insight-service.ts';
import {
  type FixtureIncident,
  insertAnomaly,
  insertIncidents,
  insertModel,
  insightServiceWith,
} from './insight-fixtures.ts';

const day = 86_400_000;
const at = (iso: string) => new Date(iso);

/**
 * Friday 2024-03-08 10:00 UTC. History: from 1 February to 7 March, 4 incidents a day on checkout
 * and 1 on search (all resolved), so every weekday and every week looks the same: 5 a day, 35 a
 * week overall, 4 and 28 on checkout, 1 and 7 on search. Three open incidents on checkout (team
 * payments) from 7 March: A (MEDIUM), B (CRITICAL), C (LOW, already escalated once).
 */
export async function fridayScenario() {
  let clock = at('2024-03-08T10:00:00Z');
  const engine: Engine = await openEngine({ path: ':memory:', now: () => clock, workers: { threads: 1 } });
  const history: FixtureIncident[] = [];
  for (let t = Date.parse('2024-02-01T00:00:00Z'); t < Date.parse('2024-03-08T00:00:00Z'); t += day) {
    for (let k = 0; k < 5; k++) {
      const created = new Date(t + (2 + 3 * k) * 3_600_000).toISOString().slice(0, 19);
      history.push({
        external_id: `H-${t}-${k}`,
        created_at: created,
        service: k < 4 ? 'checkout' : 'search',
        team: 'payments',
      });
    }
  }
  const open = (external_id: string, severity: string, escalation_level = 0): FixtureIncident => ({
    external_id,
    created_at: '2024-03-07T12:00:00',
    service: 'checkout',
    team: 'payments',
    severity,
    status: 'OPEN',
    resolved_at: null,
    escalation_level,
  });
  const ids = await insertIncidents(engine, [
    ...history,
    open('A', 'MEDIUM'),
    open('B', 'CRITICAL'),
    open('C', 'LOW', 1),
  ]);
  const e = engine;
  const models = {
    overall: await insertModel(e, {
      name: 'Daily incidents',
      type: 'INCIDENT_PREDICTION',
      version: '3',
      config: { granularity: 'day' },
    }),
    perService: await insertModel(e, {
      name: 'Incidents per service',
      type: 'INCIDENT_PREDICTION',
      config: { granularity: 'day', group_by: 'service' },
    }),
    severity: await insertModel(e, { name: 'Severity model', type: 'SEVERITY_PREDICTION' }),
    escalation: await insertModel(e, { name: 'Escalation model', type: 'ESCALATION_PREDICTION' }),
    resolution: await insertModel(e, { name: 'Resolution model', type: 'RESOLUTION_TIME_PREDICTION' }),
    anomaly: await insertModel(e, { name: 'Anomaly model', type: 'ANOMALY_DETECTION' }),
    inactive: await insertModel(e, { name: 'Not trained', type: 'SEVERITY_PREDICTION', status: 'INACTIVE' }),
  };
  // One anomaly a day at noon from 9 February to 7 March: 28 in the 28 days before now.
  for (let t = Date.parse('2024-02-09T12:00:00Z'); t < Date.parse('2024-03-08T00:00:00Z'); t += day) {
    await insertAnomaly(e, models.anomaly, new Date(t).toISOString().slice(0, 19), 'checkout');
  }
  const A = ids.get('A') as string;
  const B = ids.get('B') as string;
  const C = ids.get('C') as string;
  const calls: string[] = [];
  // Forecasts start at today's period, as the models capability's do: mean, lower and upper per day.
  const daily = (group: string | null, mean: number, lower: number, upper: number, horizon: number) => ({
    group,
    timestamps: Array.from({ length: horizon }, (_, i) =>
      new Date(Date.parse('2024-03-08T00:00:00Z') + i * day).toISOString(),
    ),
    mean: Array(horizon).fill(mean),
    lower: Array(horizon).fill(lower),
    upper: Array(horizon).fill(upper),
  });
  const source: InsightModelSource = {
    forecastCounts: async (id, horizon) => {
      calls.push(`forecast ${id === models.overall ? 'overall' : 'perService'} ${horizon}`);
      if (id === models.overall) return [daily(null, 6, 4, 9, horizon)];
      return [daily('checkout', 4, 3, 5, horizon), daily('search', 1, 0, 5, horizon)];
    },
    predict: async (id, input) => {
      calls.push(`predict ${input.incident_ids.length}`);
      if (id === models.severity) {
        return {
          predictions: [
            { incident_id: A, label: 'HIGH', probabilities: { HIGH: 0.7, CRITICAL: 0.1, MEDIUM: 0.2 } },
            { incident_id: B, label: 'CRITICAL', probabilities: { CRITICAL: 0.85, HIGH: 0.05, LOW: 0.1 } },
            { incident_id: C, label: 'LOW', probabilities: { LOW: 0.9, HIGH: 0.1 } },
          ],
        };
      }
      if (id === models.escalation) {
        return {
          predictions: [
            { incident_id: A, probability: 0.6, label: 'true' },
            { incident_id: B, probability: 0.4, label: 'false' },
            { incident_id: C, probability: 0.9, label: 'true' }, // already escalated: no risk left to tell
          ],
        };
      }
      return {
        predictions: [
          { incident_id: A, value: 12, lower: 8, upper: 16, unit: 'hours' },
          { incident_id: B, value: 6, lower: 4, upper: 8, unit: 'hours' },
          { incident_id: C, value: 20, lower: 18, upper: 22, unit: 'hours' },
        ],
      };
    },
  };
  const insights = insightServiceWith(e, source, { resolutionSlaHours: 8 });
  return { engine: e, insights, models, ids: { A, B, C }, calls, setClock: (d: Date) => (clock = d) };
}

/** Every stored insight, expired ones included, by type and title. */
export async function allInsights(insights: InsightService): Promise<PredictiveInsightRecord[]> {
  return (
    await insights.list({ filters: { include_expired: true }, pageSize: 100, ordering: 'insight_type,title' })
  ).results;
}
