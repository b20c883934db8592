import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEngine } from '@incident-insights/engine';
import { internalContext } from '@incident-insights/engine/internal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliRun, runInsights } from '../../../test/support/run-cli.ts';

// The command runs in its own process on the real clock, so the rows are placed relative to the
// time the test starts, each far (days) from the cut-offs asked for:
//   insights expired 40 and 10 days ago, one expiring in a day, one that never expires;
//   KPI measurements whose period ended 400, 100 and 1 day(s) ago.
const dir = mkdtempSync(join(tmpdir(), 'insights-cleanup-'));
const db = join(dir, 'cleanup.duckdb');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const day = 86_400_000;

beforeAll(async () => {
  const started = Date.now();
  const engine = await openEngine({ path: db });
  try {
    const sql = internalContext(engine).db;
    for (const expiresIn of [-40, -10, 1, null]) {
      await sql.run(
        `INSERT INTO predictive_insights (id, insight_type, title, confidence_level, confidence_score,
           predicted_at, expires_at, created_at)
         VALUES (uuid(), 'INCIDENT_FORECAST', $title, 'HIGH', 0.9, $at, $expires, $at)`,
        {
          title: `expires in ${expiresIn} days`,
          at: new Date(started - 50 * day),
          expires: expiresIn === null ? null : new Date(started + expiresIn * day),
        },
      );
    }
    for (const endedAgo of [400, 100, 1]) {
      const end = new Date(started - endedAgo * day);
      await sql.run(
        `INSERT INTO kpi_measurements (id, metric_id, value, unit, period_start, period_end, incident_count,
           sample_count, calculated_at)
         VALUES (uuid(), uuid(), 1, 'count', $start, $end, 1, 1, $end)`,
        { start: new Date(end.getTime() - day), end },
      );
    }
  } finally {
    await engine.close();
  }
});

function insights(args: string[]): Promise<CliRun> {
  return runInsights(args, { INSIGHTS_DB: db });
}

async function remaining(): Promise<{ insights: number; measurements: number }> {
  const engine = await openEngine({ path: db });
  try {
    const row = await internalContext(engine).db.one(
      `SELECT (SELECT count(*) FROM predictive_insights)::INTEGER AS insights,
              (SELECT count(*) FROM kpi_measurements)::INTEGER AS measurements`,
    );
    return { insights: Number(row?.['insights']), measurements: Number(row?.['measurements']) };
  } finally {
    await engine.close();
  }
}

describe('insights cleanup', () => {
  it('refuses a bad day count with one line and deletes nothing', async () => {
    for (const [args, message] of [
      [['--expired-insights-days', '0'], '--expired-insights-days must be a whole number of days from 1'],
      [
        ['--measurements-older-than-days', '3.5'],
        '--measurements-older-than-days must be a whole number of days',
      ],
      [
        ['--finished-jobs-older-than-days', '-1'],
        '--finished-jobs-older-than-days must be a whole number of days',
      ],
    ] as const) {
      const run = await insights(['cleanup', ...args]);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(run.stderr).toContain(message);
    }
    expect(await remaining()).toEqual({ insights: 4, measurements: 3 });
  });

  it('deletes what is older than the days given and says how many', async () => {
    // Insights: only the one expired 40 days ago is past 30 days. Measurements: 400 and 100 days
    // are past 90, 1 day is not.
    const run = await insights([
      'cleanup',
      '--expired-insights-days',
      '30',
      '--measurements-older-than-days',
      '90',
      '--json',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ insights_deleted: 1, measurements_deleted: 2, jobs_deleted: 0 });
    expect(await remaining()).toEqual({ insights: 3, measurements: 1 });

    // 5 days takes the insight expired 10 days ago; the ones not expired, or never expiring, stay.
    const five = await insights(['cleanup', '--expired-insights-days', '5']);
    expect(five.code).toBe(0);
    // The job records of these runs finished moments ago: none is older than a day.
    expect(five.stdout).toBe('Deleted 1 expired insight, 0 KPI measurements and 0 finished job records.\n');
    expect(await remaining()).toEqual({ insights: 2, measurements: 1 });
  });
});
