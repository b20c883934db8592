import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../../../src/store/database.ts';

/** An incident of the root-cause fixtures; every incident is MEDIUM, P3, without subcategory. */
export interface CauseIncident {
  readonly service: string;
  readonly team: string;
  readonly category: string;
  readonly createdAt: Date;
  readonly ackMinutes: number;
  readonly tags: readonly string[];
  readonly title?: string;
}

const hourMs = 3_600_000;

/** End of the fixture's data (exclusive), a Tuesday; the history starts 28 days before. */
export const fixtureEnd = new Date('2026-03-10T00:00:00Z');
export const fixtureFrom = new Date('2026-02-10T00:00:00Z');

/** Services s1..s8; s1–s4 belong to team t1 and are tagged customer-facing, s5–s8 to t2, internal. */
export const services = ['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8'];
const teamOf = (service: string) => (Number(service.slice(1)) <= 4 ? 't1' : 't2');
const tagsOf = (service: string) => (teamOf(service) === 't1' ? ['customer-facing'] : ['internal']);
const categories = ['Network', 'Software', 'Hardware'];

/**
 * One incident per service per hour at minute 10, category `categories[(hour + i) % 3]` for service
 * s<i>, acknowledged after 10 minutes; on Saturday 2026-03-07 (UTC) team t1 acknowledges after 60.
 * Every hour of the week thus has the same incidents in every week: the baseline of any service in
 * any one hour is exactly one incident.
 */
export function background(): CauseIncident[] {
  const out: CauseIncident[] = [];
  const slowFrom = Date.parse('2026-03-07T00:00:00Z');
  const slowTo = Date.parse('2026-03-08T00:00:00Z');
  for (let t = fixtureFrom.getTime(); t < fixtureEnd.getTime(); t += hourMs) {
    const hour = new Date(t).getUTCHours();
    services.forEach((service, i) => {
      const slow = teamOf(service) === 't1' && t >= slowFrom && t < slowTo;
      out.push({
        service,
        team: teamOf(service),
        category: categories[(hour + i + 1) % 3]!,
        createdAt: new Date(t + 10 * 60_000),
        ackMinutes: slow ? 60 : 10,
        tags: tagsOf(service),
      });
    });
  }
  return out;
}

/** `count` extra incidents of `service` in the hour starting at `hour`, of `category` (or cycling). */
export function burst(service: string, hour: Date, count: number, category?: string): CauseIncident[] {
  return Array.from({ length: count }, (_, n) => ({
    service,
    team: teamOf(service),
    category: category ?? categories[n % 3]!,
    createdAt: new Date(hour.getTime() + (n + 1) * 60_000),
    ackMinutes: 10,
    tags: tagsOf(service),
  }));
}

/** Inserts the incidents in one statement (through a temporary NDJSON file); returns their ids. */
export async function insertCauseIncidents(
  db: Database,
  incidents: readonly CauseIncident[],
): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'root-cause-'));
  try {
    const ids = incidents.map(() => crypto.randomUUID());
    const lines = incidents.map((i, n) =>
      JSON.stringify({
        id: ids[n],
        external_id: `RC-${n + 1}`,
        title: i.title ?? `${i.category} trouble on ${i.service}`,
        category: i.category,
        service: i.service,
        team: i.team,
        created_at: i.createdAt.toISOString(),
        acknowledged_at: new Date(i.createdAt.getTime() + i.ackMinutes * 60_000).toISOString(),
        tags: i.tags,
      }),
    );
    const path = join(dir, 'incidents.ndjson');
    writeFileSync(path, `${lines.join('\n')}\n`);
    await db.run(
      `INSERT INTO incidents BY NAME
       SELECT id, external_id, title, category, 'MEDIUM' AS severity, 'P3' AS priority, 'ACKNOWLEDGED' AS status,
         service, team, created_at::TIMESTAMP AS created_at, acknowledged_at::TIMESTAMP AS acknowledged_at,
         0 AS escalation_level, 0 AS reopen_count, 0 AS reassignment_count, tags,
         now()::TIMESTAMP AS ingested_at, now()::TIMESTAMP AS updated_at
       FROM read_json($path, format = 'newline_delimited', columns = {
         id: 'UUID', external_id: 'VARCHAR', title: 'VARCHAR', category: 'VARCHAR', service: 'VARCHAR',
         team: 'VARCHAR', created_at: 'VARCHAR', acknowledged_at: 'VARCHAR', tags: 'VARCHAR[]'})`,
      { path },
    );
    return ids;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
