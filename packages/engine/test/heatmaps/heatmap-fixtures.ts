import { type Engine, openEngine } from '../../src/index.ts';
import { internalContext } from '../../src/internal.ts';

/** The engine clock of these tests: Friday 2024-03-15 12:00 UTC. */
export const fixedNow = new Date('2024-03-15T12:00:00Z');

/** Four whole ISO weeks, Monday 2024-02-19 to Monday 2024-03-18 (exclusive). */
export const fourWeeks = { start: new Date('2024-02-19T00:00:00Z'), end: new Date('2024-03-18T00:00:00Z') };

/**
 * Six incidents, five of them inside {@link fourWeeks} (UTC):
 *
 * | id | created | weekday, hour | service | category | resolved after |
 * | --- | --- | --- | --- | --- | --- |
 * | A | 2024-03-04 09:15 | Mon 09 | api | network | 2 h |
 * | B | 2024-03-04 09:45 | Mon 09 | api | network | 4 h |
 * | C | 2024-03-05 14:00 | Tue 14 | db | storage | open |
 * | D | 2024-03-11 09:30 | Mon 09 | — | — | 1 h |
 * | E | 2024-02-20 23:59 | Tue 23 | db | storage | 0.5 h |
 * | F | 2024-01-01 10:00 | outside | api | network | 1 h |
 */
const incidents = [
  { external_id: 'A', created_at: '2024-03-04T09:15:00Z', service: 'api', category: 'network', hours: 2 },
  { external_id: 'B', created_at: '2024-03-04T09:45:00Z', service: 'api', category: 'network', hours: 4 },
  { external_id: 'C', created_at: '2024-03-05T14:00:00Z', service: 'db', category: 'storage', hours: null },
  { external_id: 'D', created_at: '2024-03-11T09:30:00Z', service: null, category: null, hours: 1 },
  { external_id: 'E', created_at: '2024-02-20T23:59:00Z', service: 'db', category: 'storage', hours: 0.5 },
  { external_id: 'F', created_at: '2024-01-01T10:00:00Z', service: 'api', category: 'network', hours: 1 },
] as const;

/** An engine on `:memory:` at {@link fixedNow} holding {@link incidents}. */
export async function heatmapEngine(now: () => Date = () => fixedNow): Promise<Engine> {
  const engine = await openEngine({ path: ':memory:', now, workers: { threads: 1 } });
  const report = await engine.incidents.ingest({
    records: incidents.map((i) => ({
      external_id: i.external_id,
      title: `incident ${i.external_id}`,
      severity: i.external_id === 'D' ? 'LOW' : 'HIGH',
      ...(i.service === null ? {} : { service: i.service }),
      ...(i.category === null ? {} : { category: i.category }),
      created_at: i.created_at,
      ...(i.hours === null
        ? {}
        : { resolved_at: new Date(Date.parse(i.created_at) + i.hours * 3_600_000).toISOString() }),
    })),
  });
  if (report.inserted !== incidents.length) throw new Error(JSON.stringify(report.errors));
  return engine;
}

/** Adds cost analyses: A 100.10 + 50.05 (two cost types), C 200.00 (USD). */
export async function addCosts(engine: Engine): Promise<void> {
  const db = internalContext(engine).db;
  for (const [externalId, type, amount] of [
    ['A', 'DOWNTIME', '100.10'],
    ['A', 'RESOURCE_COST', '50.05'],
    ['C', 'DOWNTIME', '200.00'],
  ] as const) {
    await db.run(
      `INSERT INTO cost_analyses (id, incident_id, cost_type, cost_amount, created_at, updated_at)
       SELECT uuid(), id, $type, $amount::DECIMAL(18, 2), TIMESTAMP '2024-03-15', TIMESTAMP '2024-03-15'
       FROM incidents WHERE external_id = $externalId`,
      { externalId, type, amount },
    );
  }
}

/**
 * Adds two anomalies: X, window from Monday 2024-03-04 09:00, services api and db, series
 * `incident_count:hour:category=network`, HIGH; Y, window from Tuesday 2024-03-12 03:00, no
 * service, series `mttr_hours:day:all`, LOW.
 */
export async function addAnomalies(engine: Engine): Promise<void> {
  const db = internalContext(engine).db;
  for (const [start, services, key, severity] of [
    ['2024-03-04 09:00:00', ['api', 'db'], 'incident_count:hour:category=network', 'HIGH'],
    ['2024-03-12 03:00:00', [], 'mttr_hours:day:all', 'LOW'],
  ] as const) {
    await db.run(
      `INSERT INTO anomaly_detections (id, anomaly_type, severity, status, series_key, confidence_score, anomaly_score,
         detected_at, time_window_start, time_window_end, affected_services)
       VALUES (uuid(), 'INCIDENT_SPIKE', $severity, 'DETECTED', $key, 0.9, 5, $start::TIMESTAMP,
         $start::TIMESTAMP, $start::TIMESTAMP + INTERVAL 1 HOUR, $services::VARCHAR[])`,
      { start, services: [...services], key, severity },
    );
  }
}
