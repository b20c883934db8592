import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32 } from '../../packages/engine/src/random/mulberry32.ts';
import type { Severity } from '../../packages/engine/src/schema/enums.ts';
import type { Database } from '../../packages/engine/src/store/database.ts';

/** An incident of a test fixture; unspecified columns get plain defaults. */
export interface FixtureIncident {
  id?: string;
  title?: string;
  category?: string | null;
  severity?: Severity;
  service?: string | null;
  team?: string | null;
  created_at: Date;
  acknowledged_at?: Date | null;
  resolved_at?: Date | null;
  escalation_level?: number;
  affected_users?: number | null;
}

/** Inserts fixture incidents in one statement (through a temporary NDJSON file read by DuckDB). */
export async function insertIncidents(
  db: Database,
  incidents: readonly FixtureIncident[],
): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'anomaly-fixture-'));
  try {
    const ids: string[] = [];
    const lines = incidents.map((i, n) => {
      const id = i.id ?? crypto.randomUUID();
      ids.push(id);
      return JSON.stringify({
        id,
        external_id: `FX-${n + 1}`,
        title: i.title ?? `incident ${n + 1}`,
        category: i.category === undefined ? 'Software' : i.category,
        severity: i.severity ?? 'MEDIUM',
        status: i.resolved_at ? 'RESOLVED' : i.acknowledged_at ? 'ACKNOWLEDGED' : 'OPEN',
        service: i.service === undefined ? 'api' : i.service,
        team: i.team === undefined ? 'core' : i.team,
        created_at: i.created_at.toISOString(),
        acknowledged_at: i.acknowledged_at?.toISOString() ?? null,
        resolved_at: i.resolved_at?.toISOString() ?? null,
        escalation_level: i.escalation_level ?? 0,
        affected_users: i.affected_users ?? null,
      });
    });
    const path = join(dir, 'incidents.ndjson');
    writeFileSync(path, `${lines.join('\n')}\n`);
    await db.run(
      `INSERT INTO incidents BY NAME
       SELECT id, external_id, title, category, severity, status, service, team,
         created_at::TIMESTAMP AS created_at, acknowledged_at::TIMESTAMP AS acknowledged_at,
         resolved_at::TIMESTAMP AS resolved_at, escalation_level, 0 AS reopen_count, 0 AS reassignment_count,
         affected_users, now()::TIMESTAMP AS ingested_at, now()::TIMESTAMP AS updated_at
       FROM read_json($path, format = 'newline_delimited', columns = {
         id: 'UUID', external_id: 'VARCHAR', title: 'VARCHAR', category: 'VARCHAR', severity: 'VARCHAR',
         status: 'VARCHAR', service: 'VARCHAR', team: 'VARCHAR', created_at: 'VARCHAR',
         acknowledged_at: 'VARCHAR', resolved_at: 'VARCHAR', escalation_level: 'INTEGER', affected_users: 'INTEGER'})`,
      { path },
    );
    return ids;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Inserts a stored anomaly directly (status DETECTED), for lifecycle and summary fixtures. */
export async function insertAnomaly(
  db: Database,
  a: {
    severity: Severity;
    detected_at: Date;
    series_key?: string;
    anomaly_type?: string;
    description?: string;
  },
): Promise<string> {
  const id = crypto.randomUUID();
  await db.run(
    `INSERT INTO anomaly_detections (id, anomaly_type, severity, status, series_key, member_series, confidence_score,
       anomaly_score, threshold_used, detected_at, time_window_start, time_window_end, description, metadata)
     VALUES ($id::UUID, $type, $severity, 'DETECTED', $key, [$key], 0.99, 5, 3.5, $at, $at, $at, $description, '{}')`,
    {
      id,
      type: a.anomaly_type ?? 'STATISTICAL',
      severity: a.severity,
      key: a.series_key ?? `fixture:${id}`,
      at: a.detected_at,
      description: a.description ?? '',
    },
  );
  return id;
}

/** A Poisson draw by inversion (Knuth); fine for the small rates of fixtures. */
function poisson(random: () => number, lambda: number): number {
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = random();
  while (p > limit) {
    k++;
    p *= random();
  }
  return k;
}

/** A storm data set: its incidents, the planted storm's incidents, its end and the storm's hour. */
export interface StormFixture {
  readonly background: FixtureIncident[];
  readonly storm: FixtureIncident[];
  readonly end: Date;
  readonly stormStart: Date;
  readonly stormEnd: Date;
}

/**
 * 35 days of background incidents for four services (Poisson per hour, seeded; × 1.5 from 08:00 to
 * 18:00 UTC, × 0.5 otherwise) ending 2026-03-10T00:00Z, plus 30 planted HIGH/CRITICAL incidents for
 * checkout between 2026-03-09T14:00 and 15:00 UTC.
 */
export function stormFixture(seed = 7): StormFixture {
  const end = new Date('2026-03-10T00:00:00Z');
  const days = 35;
  const stormStart = new Date('2026-03-09T14:00:00Z');
  const stormEnd = new Date('2026-03-09T15:00:00Z');
  const random = mulberry32(seed);
  const background: FixtureIncident[] = [];
  const services = { checkout: 0.5, payments: 0.4, search: 0.3, auth: 0.25 } as const;
  const categories = ['Software', 'Network', 'Database'];
  const severities = ['LOW', 'MEDIUM', 'MEDIUM', 'HIGH'] as const;
  const from = end.getTime() - days * 86_400_000;
  for (let h = 0; h < days * 24; h++) {
    const hourStart = from + h * 3_600_000;
    const hour = new Date(hourStart).getUTCHours();
    const factor = hour >= 8 && hour < 18 ? 1.5 : 0.5;
    for (const [service, rate] of Object.entries(services)) {
      const n = poisson(random, rate * factor);
      for (let k = 0; k < n; k++) {
        const created = new Date(hourStart + Math.floor(random() * 3_600_000));
        background.push({
          service,
          team: `${service}-team`,
          category: categories[Math.floor(random() * 3)] ?? 'Software',
          severity: severities[Math.floor(random() * 4)] ?? 'LOW',
          created_at: created,
          acknowledged_at: new Date(created.getTime() + (5 + random() * 20) * 60_000),
          resolved_at: new Date(created.getTime() + (1 + random() * 4) * 3_600_000),
        });
      }
    }
  }
  const storm: FixtureIncident[] = [];
  for (let k = 0; k < 30; k++) {
    const created = new Date(stormStart.getTime() + k * 110_000);
    storm.push({
      service: 'checkout',
      team: 'checkout-team',
      category: 'Software',
      severity: k % 3 === 0 ? 'CRITICAL' : 'HIGH',
      title: 'checkout 500 errors',
      created_at: created,
      acknowledged_at: new Date(created.getTime() + 10 * 60_000),
    });
  }
  return { background, storm, end, stormStart, stormEnd };
}
