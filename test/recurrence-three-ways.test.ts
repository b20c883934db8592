import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEngine } from '@incident-insights/engine';
import { serve } from '@incident-insights/server';
import { afterAll, describe, expect, it } from 'vitest';
import { type CliRun, runInsights } from '../packages/cli/test/support/run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'insights-recurrence-e2e-'));
const db = join(dir, 'recurrence.duckdb');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[]): Promise<CliRun> {
  return runInsights(args, { INSIGHTS_DB: db });
}

interface Analysis {
  id: string;
  recurrence_type: string;
  occurrence_count: number;
  confidence_score: number;
  description: string;
}

describe('recurrence found by the CLI, read through the library and the HTTP API', () => {
  it('gives the same analyses each way and finds the planted periodic problems', async () => {
    // The demo data: 90 days of synthetic incidents ending at the current hour, with the generator's
    // five planted recurring problems (three periodic: 6 h, 24 h and 168 h).
    const demo = await cli(['demo', '--incidents', '3000', '--seed', '4', '--json']);
    expect(demo.code).toBe(0);
    const planted = (JSON.parse(demo.stdout) as { recurring: { fingerprint: string; incidents: number }[] })
      .recurring;

    const run = await cli(['analyze-recurrence', '--time-window', String(91 * 24), '--json']);
    expect(run.stderr).toBe('');
    const fromCli = (JSON.parse(run.stdout) as { analyses: Analysis[] }).analyses;
    const periodic = fromCli.filter((a) => a.recurrence_type === 'PERIODIC');
    expect(periodic.map((a) => a.description.split("'")[1]?.replace(/\d+/g, 'N')).sort()).toEqual([
      'Health check flapping on search-index node N',
      'Nightly ETL job warehouse-load failed with exit code N',
      'Weekly full backup of orders-db overran its window by N minutes',
    ]);
    for (const problem of planted.filter((p) => /nightly|weekly|search/.test(p.fingerprint))) {
      expect(periodic.map((a) => a.occurrence_count)).toContain(problem.incidents);
    }

    const engine = await openEngine({ path: db });
    await engine.auth.createUser({ username: 'ana', password: 'password-ana', role: 'analyst' });
    const token = (await engine.auth.createToken({ user: 'ana', name: 'e2e' })).key;
    const library = await engine.recurrence.list({ pageSize: 100, ordering: '-confidence_score' });
    const key = (a: Analysis) => `${a.id} ${a.recurrence_type} ${a.occurrence_count} ${a.confidence_score}`;
    expect(library.results.map(key).sort()).toEqual(fromCli.map(key).sort());

    const server = await serve(engine, {
      port: 0,
      handleSignals: false,
      app: { rateLimit: false, logger: false },
    });
    try {
      const response = await fetch(
        `${server.url}/api/analytics/recurrence-analyses/?recurrence_type=PERIODIC`,
        {
          headers: { Authorization: `Token ${token}` },
        },
      );
      expect(response.status).toBe(200);
      const body = (await response.json()) as { count: number; results: Analysis[] };
      expect(body.results.map(key).sort()).toEqual(periodic.map(key).sort());
    } finally {
      await server.close();
    }
  });
});
