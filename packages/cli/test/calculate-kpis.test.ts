import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEngine } from '@incident-insights/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHandIncidents } from '../../../test/support/kpi-fixtures.ts';
import { type CliRun, runInsights } from '../../../test/support/run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'insights-kpis-'));
const db = join(dir, 'kpis.duckdb');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let mttaId = '';

beforeAll(async () => {
  const engine = await openEngine({ path: db });
  await loadHandIncidents(engine);
  mttaId = (await engine.kpis.list({ filters: { metric_type: 'MTTA' } })).results[0]!.id;
  await engine.close();
});

function insights(args: string[]): Promise<CliRun> {
  return runInsights(args, { INSIGHTS_DB: db });
}

const end = '2024-01-02T00:00:00Z';

describe('insights calculate-kpis', () => {
  it('measures every active metric and prints a table', async () => {
    const run = await insights(['calculate-kpis', '--end', end]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('Calculated 8 measurements, 0 already stored.');
    expect(lines[2]).toMatch(
      /^metric\s+type\s+value\s+unit\s+incidents\s+period start\s+period end\s+status/,
    );
    // The hand-worked values of the system metrics over 2024-01-01 (see kpi-metric-types.test.ts).
    expect(run.stdout).toMatch(
      /Mean Time to Acknowledge\s+MTTA\s+25\s+minutes\s+5\s+2024-01-01T00:00:00.000Z/,
    );
    // Availability counts outages (CRITICAL incidents) only, worked by hand from fixtures.ts: the one
    // CRITICAL incident is B on api, 02:00-04:00, so api is down 2 h of 24: 22/24 = 91.6667%; db
    // had incidents but no outage: 100%. Mean 95.8333%. One incident (B) counted.
    expect(run.stdout).toMatch(/Service Availability\s+AVAILABILITY\s+95\.8333\s+percent\s+1\s/);
  });

  it('returns the stored measurement unless --force, and prints JSON for machines', async () => {
    const stored = await insights(['calculate-kpis', '--metric-id', mttaId, '--end', end, '--json']);
    expect(stored.code).toBe(0);
    const [measurement] = JSON.parse(stored.stdout) as {
      value: string;
      computed: boolean;
      metric_id: string;
    }[];
    expect(measurement).toMatchObject({ value: '25', computed: false, metric_id: mttaId });
    const forced = await insights([
      'calculate-kpis',
      '--metric-id',
      mttaId,
      '--end',
      end,
      '--force',
      '--json',
    ]);
    expect(JSON.parse(forced.stdout)[0]).toMatchObject({ value: '25', computed: true });
  });

  it('takes another window: 1 hour ending 02:00 on 2024-01-01 holds only B (20 min)', async () => {
    const run = await insights([
      'calculate-kpis',
      '--metric-id',
      mttaId,
      '--time-window',
      '1',
      '--end',
      '2024-01-01T03:00:00Z',
      '--json',
    ]);
    expect(JSON.parse(run.stdout)[0]).toMatchObject({ value: '20', incident_count: 1 });
  });

  it('fails with one line and a non-zero exit for an unknown metric or a bad window', async () => {
    const unknown = await insights(['calculate-kpis', '--metric-id', '00000000-0000-4000-8000-000000000000']);
    expect(unknown.stdout).toBe('');
    expect(unknown.code).toBe(3);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    expect(unknown.stderr).toContain('KPI metric 00000000-0000-4000-8000-000000000000 was not found');
    const runs = await Promise.all(
      ['0', '1.5'].map((bad) => insights(['calculate-kpis', '--time-window', bad])),
    );
    for (const run of runs) {
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('--time-window must be a whole number of hours');
      expect(run.stdout).toBe('');
    }
  });
});
