import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { countIn, runInsights } from '../../../test/support/run-cli.ts';

const root = resolve(import.meta.dirname, '../../..');
const ucizip = resolve(root, '../shared/data/incident_event_log.zip');
const dir = mkdtempSync(join(tmpdir(), 'insights-ingest-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const insights = runInsights;

describe('insights ingest', () => {
  const csv = join(dir, 'incidents.csv');
  writeFileSync(
    csv,
    [
      'Number,Headline,severity,created_at,resolved_at',
      'A-1,Database down,CRITICAL,2024-01-01T10:00:00+01:00,2024-01-01T11:00:00Z',
      'A-2,Slow page,LOW,2024-01-02T10:00:00Z,',
      'A-3,Broken,HUGE,2024-01-03T10:00:00Z,',
      'A-4,Late,LOW,2024-01-04T10:00:00Z,2024-01-03T10:00:00Z',
    ].join('\n'),
  );
  const mapping = ['--map', 'external_id=Number', '--map', 'title=Headline'];

  it('fails on an invalid file with one line naming the first bad row and the count, writing nothing', async () => {
    const db = join(dir, 'bad.duckdb');
    const run = await insights(['--db', db, 'ingest', csv, ...mapping]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    // Row 3 is on line 4 (the header is line 1); two rows are bad.
    expect(lines[0]).toMatch(
      /^insights: 2 invalid rows, nothing was written: line 4 severity: .+ \(and 1 more\)$/,
    );
    expect(await countIn(db)).toBe(0);
  });

  it('with --skip-invalid writes the good rows and prints the report with the errors', async () => {
    const db = join(dir, 'skip.duckdb');
    const run = await insights(['--db', db, 'ingest', csv, ...mapping, '--skip-invalid', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as {
      received: number;
      inserted: number;
      skipped: number;
      errors: { row: number; line: number; field: string }[];
    };
    expect(report).toMatchObject({ received: 4, inserted: 2, updated: 0, skipped: 2 });
    expect(report.errors.map((e) => [e.row, e.line, e.field])).toEqual([
      [3, 4, 'severity'],
      [4, 5, 'resolved_at'],
    ]);
    const table = await insights(['--db', db, 'ingest', csv, ...mapping, '--skip-invalid']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/received\s+inserted\s+updated\s+skipped\n[- ]+\n\s+4\s+0\s+2\s+2/);
    expect(await countIn(db)).toBe(2);
  });

  it('takes the database from INSIGHTS_DB and refuses an unknown format', async () => {
    const db = join(dir, 'env.duckdb');
    const bad = await insights(['ingest', csv, '--format', 'xml'], { INSIGHTS_DB: db });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--format must be one of/);
    const run = await insights(['ingest', csv, ...mapping, '--skip-invalid', '--json'], { INSIGHTS_DB: db });
    expect(run.code).toBe(0);
    expect(await countIn(db)).toBe(2);
  });

  it('loads the UCI ServiceNow log from its zip into 24,918 incidents', async () => {
    // The second-ingest check lives in the engine's ingest-servicenow test; one run here proves the shell.
    const db = join(dir, 'uci.duckdb');
    const run = await insights(['--db', db, 'ingest', ucizip, '--json']);
    expect(run.stderr).toBe('');
    const { database, ...report } = JSON.parse(run.stdout) as {
      database: { count: number; first_created_at: string; last_created_at: string };
    };
    expect(report).toEqual({ received: 24_918, inserted: 24_918, updated: 0, skipped: 0, errors: [] });
    // The range tells a user which windows to analyse. pandas on the same zip: the earliest and
    // latest `opened_at` over the 24,918 incident numbers are 2016-02-29 01:16 and 2017-02-16 14:17.
    expect(database).toEqual({
      count: 24_918,
      first_created_at: '2016-02-29T01:16:00.000Z',
      last_created_at: '2017-02-16T14:17:00.000Z',
    });
    expect(await countIn(db)).toBe(24_918);
  });
});
