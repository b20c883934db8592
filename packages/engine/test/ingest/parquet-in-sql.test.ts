import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type IngestProgress, openEngine } from '../../src/index.ts';
import { ingestInJs } from '../../src/ingest/ingest.ts';
import { internalContext } from '../../src/internal.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'insights-parquet-in-sql-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const now = () => new Date('2026-06-01T00:00:00Z');

/**
 * 9,000 rows shaped like the DRF peer's generator output (`gen_incidents.py`): a given lower-case
 * UUID v4 per row, no `reopen_count`/`reassignment_count`/`tags`/`subcategory` columns, every
 * fourth status empty (derived from the timestamps), timestamps with `Z`. 9,000 is more than one
 * reader batch (8,192), so rows that leave the SQL path show as two `reading` reports.
 */
function peerLikeCsv(): string {
  const lines = [
    'id,external_id,title,description,category,severity,priority,status,service,team,created_at,resolved_at,escalation_level,affected_users',
  ];
  for (let i = 0; i < 9000; i++) {
    const id = `${(0x10000000 + i).toString(16)}-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const created = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString().replace('.000', '');
    const resolved = i % 3 === 0 ? '' : new Date(Date.UTC(2026, 0, 1) + i * 60_000 + 3_600_000).toISOString();
    const status = i % 4 === 0 ? '' : resolved ? 'RESOLVED' : 'OPEN';
    lines.push(
      `${id},INC-${i},Disk full ${i},Medium incident on api; about ${i} users,Database,${['LOW', 'HIGH'][i % 2]},P3,${status},api,Platform,${created},${resolved},${i % 4},${i}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

describe('Parquet from another generator', () => {
  it('stays on the SQL path with given ids and derived statuses, and stores what the JS path stores', async () => {
    const csv = peerLikeCsv();
    const csvFile = path.join(dir, 'peer.csv');
    const parquetFile = path.join(dir, 'peer.parquet');
    writeFileSync(csvFile, csv);
    const fromParquet = await openEngine({ path: ':memory:', now });
    const fromObjects = await openEngine({ path: ':memory:', now });
    try {
      // As the issue converted the peer's file: DuckDB's own CSV sniffing, then Parquet.
      await internalContext(fromParquet).db.run(
        `COPY (SELECT * FROM read_csv('${csvFile}')) TO '${parquetFile}' (FORMAT parquet)`,
      );
      const reading: number[] = [];
      const onProgress = (p: IngestProgress) => p.phase === 'reading' && reading.push(p.received);
      const report = await fromParquet.incidents.ingest({ path: parquetFile }, { onProgress });
      expect(report).toMatchObject({ received: 9000, inserted: 9000, skipped: 0 });
      // One report: every row was staged in SQL (rows for the schema come in batches of 8,192).
      expect(reading).toEqual([9000]);
      await ingestInJs(internalContext(fromObjects), { data: csv, format: 'csv' });
      const all = 'SELECT CAST(id AS VARCHAR) AS id, * EXCLUDE (id) FROM incidents ORDER BY external_id';
      const stored = await internalContext(fromParquet).db.all(all);
      expect(stored).toEqual(await internalContext(fromObjects).db.all(all));
      // Worked by hand: row 0 has no resolved_at and no status, so it is OPEN; its id is kept.
      expect(stored.find((r) => r['external_id'] === 'INC-0')).toMatchObject({
        id: '10000000-0000-4000-8000-000000000000',
        status: 'OPEN',
      });
    } finally {
      await fromParquet.close();
      await fromObjects.close();
    }
  });
});
