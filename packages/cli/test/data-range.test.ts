import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliRun, runInsights } from '../../../test/support/run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'insights-range-'));
const db = join(dir, 'old.duckdb');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Three incidents from March 2016, like the UCI log: any window near today holds none of them. */
const csv = join(dir, 'old.csv');
writeFileSync(
  csv,
  [
    'external_id,title,severity,service,created_at,acknowledged_at,resolved_at',
    'U-1,Mail down,HIGH,mail,2016-03-01T10:00:00Z,2016-03-01T10:20:00Z,2016-03-01T12:00:00Z',
    'U-2,VPN flaps,MEDIUM,vpn,2016-03-02T12:00:00Z,,',
    'U-3,Printer jam,LOW,office,2016-03-05T08:30:00Z,2016-03-05T09:00:00Z,2016-03-05T10:00:00Z',
  ].join('\n'),
);
const covers = 'the data covers 2016-03-01T10:00:00.000Z – 2016-03-05T08:30:00.000Z';

function insights(args: string[]): Promise<CliRun> {
  return runInsights(['--db', db, ...args]);
}

let ingest: CliRun;
beforeAll(async () => {
  ingest = await insights(['ingest', csv]);
});

describe('the range of the data', () => {
  it('is printed after an ingest: how many incidents the database holds, first to last', async () => {
    expect(ingest.stderr).toBe('');
    expect(ingest.code).toBe(0);
    expect(ingest.stdout.trimEnd().split('\n').at(-1)).toBe(
      'The database holds 3 incidents created 2016-03-01T10:00:00.000Z – 2016-03-05T08:30:00.000Z.',
    );
    const again = await insights(['ingest', csv, '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({
      received: 3,
      updated: 3,
      database: {
        count: 3,
        first_created_at: '2016-03-01T10:00:00.000Z',
        last_created_at: '2016-03-05T08:30:00.000Z',
      },
    });
  });

  it('is named by calculate-kpis when its window holds no incidents (exit code 0)', async () => {
    // The system metrics' window is 24 h: 2019-12-31 to 2020-01-01 holds none of the 2016 incidents.
    const run = await insights(['calculate-kpis', '--end', '2020-01-01T00:00:00Z']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Calculated 8 measurements/);
    expect(run.stderr).toBe(
      `insights: no incidents in the window 2019-12-31T00:00:00.000Z – 2020-01-01T00:00:00.000Z; ${covers}\n`,
    );
    // 2016-03-01 holds U-1: no such line.
    const full = await insights(['calculate-kpis', '--end', '2016-03-02T00:00:00Z', '--json']);
    expect(full.code).toBe(0);
    expect(full.stderr).toBe('');
  });

  it('is named by run-anomaly-detection when its window holds no incidents (exit code 0)', async () => {
    const run = await insights([
      'run-anomaly-detection',
      '--end',
      '2020-01-01T00:00:00Z',
      '--time-window',
      '24',
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr.split('\n')[0]).toBe(
      `insights: no incidents in the window 2019-12-31T00:00:00.000Z – 2020-01-01T00:00:00.000Z; ${covers}`,
    );
    const full = await insights([
      'run-anomaly-detection',
      '--end',
      '2016-03-06T00:00:00Z',
      '--time-window',
      '240',
    ]);
    expect(full.code).toBe(0);
    expect(full.stderr).not.toContain('no incidents in the window');
  });
});
