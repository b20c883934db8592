import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { countIn, runInsights } from '../../../test/support/run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'insights-ingest-columns-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('insights ingest with a column that is not an incident field', () => {
  const csv = join(dir, 'export.csv');
  writeFileSync(
    csv,
    ['Number,title,severity,created_at,Assigned To', 'A-1,Database down,HIGH,2024-01-01T10:00:00Z,ann'].join(
      '\n',
    ),
  );

  it('fails naming the column and how to go on, writing nothing', async () => {
    const db = join(dir, 'refused.duckdb');
    const run = await runInsights(['--db', db, 'ingest', csv, '--map', 'external_id=Number']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^insights: column "Assigned To" is not an incident field \(accepted: .+\): .*--ignore-column header/,
    );
    expect(await countIn(db)).toBe(0);
  });

  it('reads the file once the column is ignored with --ignore-column', async () => {
    const db = join(dir, 'ignored.duckdb');
    const run = await runInsights([
      '--db',
      db,
      'ingest',
      csv,
      '--map',
      'external_id=Number',
      '--ignore-column',
      'Assigned To',
      '--json',
    ]);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({ received: 1, inserted: 1, errors: [] });
    expect(await countIn(db)).toBe(1);
  });
});
