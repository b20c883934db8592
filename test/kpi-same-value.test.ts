import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEngine } from '@incident-insights/engine';
import { serve } from '@incident-insights/server';
import { afterAll, describe, expect, it } from 'vitest';
import { end, loadHandIncidents } from './support/kpi-fixtures.ts';
import { type CliRun, runInsights } from './support/run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'insights-kpi-e2e-'));
const db = join(dir, 'kpi.duckdb');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[]): Promise<CliRun> {
  return runInsights(args, { INSIGHTS_DB: db });
}

describe('one KPI asked through the library, the HTTP API and the CLI', () => {
  it('gives the same value each way', async () => {
    // Library: load the hand-worked incidents, make two metrics, measure them.
    const engine = await openEngine({ path: db });
    await loadHandIncidents(engine);
    await engine.auth.createUser({ username: 'ana', password: 'password-ana', role: 'analyst' });
    const token = (await engine.auth.createToken({ user: 'ana', name: 'e2e' })).key;
    const p95 = await engine.kpis.create({
      name: 'MTTA p95',
      metric_type: 'MTTA',
      aggregation_type: 'PERCENTILE_95',
    });
    const ratio = await engine.kpis.create({
      name: 'ratio',
      metric_type: 'CUSTOM',
      calculation_formula: 'MTTR / MTTA',
    });
    const library = {
      p95: (await engine.kpis.calculate(p95.id, { end })).measurement.value,
      ratio: (await engine.kpis.calculate(ratio.id, { end })).measurement.value,
    };
    await engine.close();
    // Worked by hand (fixtures.ts): acknowledgement minutes 10, 20, 30, 40 → p95 38.5; 6000 s / 1500 s = 4.
    expect(library).toEqual({ p95: '38.5', ratio: '4' });

    // CLI: recompute both (forced) in a separate process.
    const run = await cli([
      'calculate-kpis',
      '--metric-id',
      p95.id,
      '--end',
      end.toISOString(),
      '--force',
      '--json',
    ]);
    expect(run.stderr).toBe('');
    const runRatio = await cli([
      'calculate-kpis',
      '--metric-id',
      ratio.id,
      '--end',
      end.toISOString(),
      '--force',
      '--json',
    ]);
    const fromCli = { p95: JSON.parse(run.stdout)[0].value, ratio: JSON.parse(runRatio.stdout)[0].value };
    expect(fromCli).toEqual(library);

    // HTTP: the stored measurements and the metric records as the API shows them.
    const served = await openEngine({ path: db });
    const server = await serve(served, {
      port: 0,
      handleSignals: false,
      app: { rateLimit: false, logger: false },
    });
    try {
      const get = async (path: string) => {
        const response = await fetch(`${server.url}${path}`, {
          headers: { Authorization: `Token ${token}` },
        });
        expect(response.status).toBe(200);
        return (await response.json()) as Record<string, unknown>;
      };
      const measurements = async (id: string) =>
        ((await get(`/api/analytics/kpi-metrics/${id}/measurements/`))['results'] as { value: string }[]).map(
          (m) => m.value,
        );
      expect({ p95: await measurements(p95.id), ratio: await measurements(ratio.id) }).toEqual({
        p95: [library.p95],
        ratio: [library.ratio],
      });
      const record = await get(`/api/analytics/kpi-metrics/${p95.id}/`);
      expect(record['latest_measurement']).toMatchObject({
        value: library.p95,
        unit: 'minutes',
        incident_count: 5,
      });
    } finally {
      await server.close();
      await served.close();
    }
  });
});
