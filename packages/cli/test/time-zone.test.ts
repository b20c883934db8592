import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEngine } from '@incident-insights/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHandIncidents } from '../../../test/support/kpi-fixtures.ts';
import { runInsights } from '../../../test/support/run-cli.ts';
import { startServer, type TestServer } from '../../../test/support/test-server.ts';

/**
 * `--end 2024-01-01T02:00` (no zone) is 02:00 UTC for every command and for the API, whatever the
 * machine's time zone. New York is UTC−5 on that date, so a local reading would end the windows at
 * 07:00 UTC instead. The seven hand incidents (test/support/kpi-fixtures.ts) tell the two apart:
 * the 24 hours before 02:00 UTC hold F (created 12-31 20:00, acknowledged after 5 min) and
 * A (01:00, 10 min), so MTTA is (5 + 10) / 2 = 7.5 min over 2 incidents; the 24 hours before
 * 07:00 UTC would also hold B (02:00, 20 min) and D (05:00, 40 min): 18.75 min over 4.
 */
const endText = '2024-01-01T02:00';
const startText = '2023-12-31T02:00';
const endUtc = '2024-01-01T02:00:00.000Z';
const startUtc = '2023-12-31T02:00:00.000Z';
const newYork = { TZ: 'America/New_York' };

const dir = mkdtempSync(join(tmpdir(), 'insights-tz-'));
const db = join(dir, 'tz.duckdb');
let mttaId = '';
let api: TestServer;

beforeAll(async () => {
  const engine = await openEngine({ path: db });
  await loadHandIncidents(engine);
  mttaId = (await engine.kpis.list({ filters: { metric_type: 'MTTA' } })).results[0]!.id;
  await engine.close();
  api = await startServer({ populate: loadHandIncidents });
});

afterAll(async () => {
  await api?.close();
  rmSync(dir, { recursive: true, force: true });
});

function insights(args: string[]) {
  return runInsights(['--db', db, ...args], newYork);
}

describe('a time without a zone, under TZ=America/New_York', () => {
  it('is read by the API as UTC: the window holds F and A', async () => {
    const response = await api.fetch(
      `/api/incidents/?created_after=${startText}&created_before=${endText}&ordering=created_at`,
      { as: 'viewer' },
    );
    expect(response.status).toBe(200);
    const page = (await response.json()) as { count: number; results: { external_id: string }[] };
    expect(page.results.map((i) => i.external_id)).toEqual(['F', 'A']);
  });

  it('ends the KPI window where the API does', async () => {
    const run = await insights([
      'calculate-kpis',
      '--metric-id',
      mttaId,
      '--time-window',
      '24',
      '--end',
      endText,
      '--json',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [measurement] = JSON.parse(run.stdout) as {
      period_start: string;
      period_end: string;
      value: string;
      incident_count: number;
    }[];
    expect(measurement).toMatchObject({
      period_start: startUtc,
      period_end: endUtc,
      value: '7.5',
      incident_count: 2,
    });
  });

  it('ends the anomaly window there too', async () => {
    const run = await insights(['run-anomaly-detection', '--time-window', '24', '--end', endText, '--json']);
    expect(run.code).toBe(0);
    const { run: result } = JSON.parse(run.stdout) as {
      run: { time_window_start: string; time_window_end: string };
    };
    expect(result).toMatchObject({ time_window_start: startUtc, time_window_end: endUtc });
  });

  it('ends the recurrence window there too', async () => {
    const run = await insights(['analyze-recurrence', '--time-window', '24', '--end', endText, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { windowStart: string; windowEnd: string };
    expect(result).toMatchObject({ windowStart: startUtc, windowEnd: endUtc });
  });

  it('still honours an explicit offset, and refuses an impossible date with exit code 2', async () => {
    const offset = await insights([
      'analyze-recurrence',
      '--time-window',
      '24',
      '--end',
      '2024-01-01T02:00-05:00',
      '--json',
    ]);
    expect(JSON.parse(offset.stdout)).toMatchObject({ windowEnd: '2024-01-01T07:00:00.000Z' });
    const impossible = await insights(['calculate-kpis', '--end', '2024-02-30T02:00']);
    expect(impossible.code).toBe(2);
    expect(impossible.stdout).toBe('');
    expect(impossible.stderr).toBe(
      'insights: --end 2024-02-30T02:00 has day 30, but 2024-02 has days 01 to 29\n',
    );
  });
});
