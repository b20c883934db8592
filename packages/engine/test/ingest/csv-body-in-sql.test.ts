import { describe, expect, it } from 'vitest';
import type { Engine, IngestProgress, IngestSource } from '../../src/index.ts';
import { ingestInJs } from '../../src/ingest/ingest.ts';
import { internalContext } from '../../src/internal.ts';
import { twinEngines } from './twin-engines.ts';

// Two engines on one pinned clock: `sql` takes every body through `incidents.ingest` (the HTTP bulk
// route's call), `js` the same body through the JS reading path, the reference.
let clock = new Date('2026-06-01T00:00:00Z');
const now = () => clock;
const engines = twinEngines(now);

/**
 * The UUID v4 given to row `i` of a body with external ids `${prefix}${i}` (lower case, as the DRF
 * peer's generator writes them); each prefix has its own ids.
 */
function idOf(prefix: string, i: number): string {
  const group = prefix.charCodeAt(0).toString(16).padStart(4, '0');
  return `${(0x20000000 + i).toString(16)}-${group}-4000-8000-${String(i).padStart(12, '0')}`;
}

/**
 * `count` rows shaped like the DRF peer's `gen_incidents.py` output (a given id per row, an empty
 * status every fourth row), external ids `${prefix}${i}`. More than one reader batch (8,192 rows),
 * so a body read by the JS path shows as two `reading` reports, one staged in SQL as one.
 */
function body(count: number, prefix: string, title = (i: number) => `Disk full ${i}`): string {
  const lines = ['id,external_id,title,severity,status,service,created_at,resolved_at,escalation_level'];
  for (let i = 0; i < count; i++) {
    const created = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
    const resolved = i % 3 === 0 ? '' : new Date(Date.UTC(2026, 0, 1) + i * 60_000 + 3_600_000).toISOString();
    const status = i % 4 === 0 ? '' : resolved ? 'RESOLVED' : 'OPEN';
    lines.push(
      `${idOf(prefix, i)},${prefix}${i},${title(i)},${['LOW', 'HIGH'][i % 2]},${status},api,${created},${resolved},${i % 4}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Ingests `source` into `engine` by its public call, returning the report and the `reading` reports. */
async function ingest(engine: Engine, source: IngestSource) {
  const reading: number[] = [];
  const onProgress = (p: IngestProgress) => p.phase === 'reading' && reading.push(p.received);
  const report = await engine.incidents.ingest(source, { onProgress });
  return { report, reading };
}

/** Every stored column of the incidents whose external id starts with `prefix`, ids as text. */
function stored(engine: Engine, prefix: string) {
  return internalContext(engine).db.all(
    `SELECT CAST(id AS VARCHAR) AS id, * EXCLUDE (id) FROM incidents WHERE external_id LIKE $p ORDER BY external_id`,
    { p: `${prefix}%` },
  );
}

describe('A CSV body in memory (the HTTP bulk upload)', () => {
  it('is read, checked and staged in DuckDB like a file, and stores what the JS path stores', async () => {
    const text = body(9000, 'T-');
    const { report, reading } = await ingest(engines.sql, { data: text, format: 'csv' });
    // One report: every row was staged in SQL (the JS path reports after each 8,192-row batch).
    expect(reading).toEqual([9000]);
    expect(report).toEqual({ received: 9000, inserted: 9000, updated: 0, skipped: 0, errors: [] });
    expect(await ingestInJs(internalContext(engines.js), { data: text, format: 'csv' })).toEqual(report);
    expect(await stored(engines.sql, 'T-')).toEqual(await stored(engines.js, 'T-'));

    const bytes = new TextEncoder().encode(body(9000, 'B-'));
    expect((await ingest(engines.sql, { data: bytes, format: 'csv' })).reading).toEqual([9000]);
    await ingestInJs(internalContext(engines.js), { data: bytes, format: 'csv' });
    expect(await stored(engines.sql, 'B-')).toEqual(await stored(engines.js, 'B-'));
  });

  it('leaves bytes that are not UTF-8 to the JS path, which reads them as it always did', async () => {
    const text = body(9000, 'X-');
    const bytes = new TextEncoder().encode(text);
    const at = text.indexOf('Disk full 5,');
    bytes[at + 4] = 0xff; // the space of "Disk full 5": a byte no UTF-8 text has
    const { report, reading } = await ingest(engines.sql, { data: bytes, format: 'csv' });
    expect(reading).toEqual([8192, 9000]);
    expect(report).toMatchObject({ received: 9000, inserted: 9000 });
    const [row] = (await internalContext(engines.sql).db.all(
      `SELECT title FROM incidents WHERE external_id = 'X-5'`,
    )) as { title: string }[];
    // TextDecoder's replacement character, as the JS path has always stored such a byte.
    expect(row?.title).toBe('Disk\ufffdfull 5');
  });

  it('upserts stored rows by external id: ids and ingested_at kept, updated_at moved, the same counts as the JS path', async () => {
    clock = new Date('2026-06-01T00:00:00Z');
    const first = body(9000, 'U-');
    await ingest(engines.sql, { data: first, format: 'csv' });
    await ingestInJs(internalContext(engines.js), { data: first, format: 'csv' });
    // Again one hour later: 9,000 rows stored (titles changed on every other row), 10 new ones,
    // every row with its own given id (those of stored rows are theirs, so no conflict).
    clock = new Date('2026-06-01T01:00:00Z');
    const again = body(9010, 'U-', (i) => (i % 2 === 0 ? `Disk full ${i}` : `Disk still full ${i}`));
    const { report, reading } = await ingest(engines.sql, { data: again, format: 'csv' });
    expect(reading).toEqual([9010]);
    expect(report).toEqual({ received: 9010, inserted: 10, updated: 9000, skipped: 0, errors: [] });
    expect(await ingestInJs(internalContext(engines.js), { data: again, format: 'csv' })).toEqual(report);
    const rows = await stored(engines.sql, 'U-');
    expect(rows).toEqual(await stored(engines.js, 'U-'));
    const byExternalId = new Map(rows.map((r) => [r['external_id'], r]));
    expect(byExternalId.get('U-1')).toMatchObject({
      id: idOf('U-', 1),
      title: 'Disk still full 1',
      ingested_at: new Date('2026-06-01T00:00:00Z'),
      updated_at: new Date('2026-06-01T01:00:00Z'),
    });
    expect(byExternalId.get('U-9005')).toMatchObject({
      id: idOf('U-', 9005),
      ingested_at: new Date('2026-06-01T01:00:00Z'),
      updated_at: new Date('2026-06-01T01:00:00Z'),
    });
  });

  it('refuses a given id that belongs to another stored incident, naming its row, and writes nothing', async () => {
    // Row 3 of this body gives the stored U-0's id to a new external id, C-2.
    const taken = body(9000, 'C-').replace(`${idOf('C-', 2)},C-2,`, `${idOf('U-', 0)},C-2,`);
    const before = await engines.sql.incidents.count();
    const outcome = (engine: Engine) =>
      ingest(engine, { data: taken, format: 'csv' }).catch((e: { code: string; details: unknown }) => e);
    const error = await outcome(engines.sql);
    expect(error).toMatchObject({ code: 'CONFLICT', details: { errors: [{ row: 3, field: 'id' }] } });
    expect(
      await ingestInJs(internalContext(engines.js), { data: taken, format: 'csv' }).catch((e: unknown) => e),
    ).toMatchObject({ code: 'CONFLICT', details: { errors: [{ row: 3, field: 'id' }] } });
    expect(await engines.sql.incidents.count()).toBe(before);
  });
});
