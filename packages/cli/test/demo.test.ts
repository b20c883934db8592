import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEngine } from '@incident-insights/engine';
import { internalContext } from '@incident-insights/engine/internal';
import { afterAll, describe, expect, it } from 'vitest';
import { runInsights } from '../../../test/support/run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'insights-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const insights = runInsights;

describe('insights demo', () => {
  it('writes synthetic incidents into the database, then leaves it alone with --if-empty', async () => {
    const db = join(dir, 'demo.duckdb');
    const first = await insights(['--db', db, 'demo', '--incidents', '3000', '--seed', '4', '--json']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.stdout) as {
      written: number;
      inserted: number;
      anomalies: { kind: string; incidents: number }[];
      recurring: { fingerprint: string; incidents: number }[];
      configured: string[];
      end: string;
    };
    expect(summary.written).toBe(3000);
    expect(summary.inserted).toBe(3000);
    // 3,000 incidents over 90 days: enough volume (≥ 2,000) for every kind of planted anomaly.
    expect(new Set(summary.anomalies.map((a) => a.kind))).toEqual(
      new Set(['count_spike', 'mtta_shift', 'severity_mix', 'level_shift']),
    );
    expect(summary.recurring.map((r) => r.fingerprint)).toContain('nightly-etl-failure');
    // The window ends at the current hour.
    expect(Date.now() - Date.parse(summary.end)).toBeLessThan(2 * 3_600_000);

    // What the other analyses need: a cost model and a contract, three models, the spec's dashboard,
    // and the overview of every widget type that the web page opens.
    expect(summary.configured).toEqual([
      'cost model',
      'SLA contract',
      'predictive model',
      'predictive model',
      'predictive model',
      'executive dashboard',
      'operations overview dashboard',
    ]);

    const again = await insights(['demo', '--if-empty'], { INSIGHTS_DB: db });
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('The database already holds 3000 incidents; nothing written.\n');

    const engine = await openEngine({ path: db });
    try {
      expect(await engine.incidents.count()).toBe(3000);
      const row = await internalContext(engine).db.one<{ ids: bigint; first: string; last: string }>(
        "SELECT count(DISTINCT external_id) AS ids, min(external_id) FILTER (external_id = 'SYN-1') AS first, max(external_id) FILTER (external_id = 'SYN-3000') AS last FROM incidents",
      );
      expect(row).toEqual({ ids: 3000n, first: 'SYN-1', last: 'SYN-3000' });
      const models = await engine.models.list({ pageSize: 100 });
      expect(
        models.results
          .filter((m) => m.name.startsWith('Demo '))
          .map((m) => m.model_type)
          .sort(),
      ).toEqual(['ESCALATION_PREDICTION', 'INCIDENT_PREDICTION', 'SEVERITY_PREDICTION']);
      expect((await engine.dashboards.list()).results.map((d) => d.name).sort()).toEqual([
        'Executive Dashboard',
        'Operations Overview',
      ]);
      expect((await engine.costs.listModels()).map((m) => m.name)).toEqual(['Demo standard tier']);
    } finally {
      await engine.close();
    }
  });

  it('prints a readable summary with the planted anomalies and recurring problems', async () => {
    const db = join(dir, 'text.duckdb');
    const run = await insights(['--db', db, 'demo', '--incidents', '2500', '--days', '30']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^Wrote 2500 synthetic incidents \(SYN-1\.\.SYN-2500\) from .* into .*text\.duckdb: 2500 new, 0 updated\./,
    );
    expect(run.stdout).toContain('Planted anomalies:');
    expect(run.stdout).toContain('Configured for the analyses: cost model, SLA contract, predictive model');
    // A second run writes the same incidents again and configures nothing twice.
    const rerun = await insights(['--db', db, 'demo', '--incidents', '2500', '--days', '30', '--json']);
    expect(JSON.parse(rerun.stdout)).toMatchObject({ inserted: 0, configured: [] });
    expect(run.stdout).toContain('Recurring problems:');
  });

  it('refuses a bad count with exit code 2 and writes nothing', async () => {
    const db = join(dir, 'bad.duckdb');
    const run = await insights(['--db', db, 'demo', '--incidents', 'many']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('insights: --incidents must be an integer of at least 1, not "many"\n');
    expect(run.stdout).toBe('');
    expect(existsSync(db)).toBe(false);
  });
});
