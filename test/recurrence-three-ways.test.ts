import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEngine } from '@incident-insights/engine';
import { loadSyntheticIncidents } from '@incident-insights/engine/synth';
import { serve } from '@incident-insights/server';
import { afterAll, describe, expect, it } from 'vitest';
import { type CliRun, runInsights } from './support/run-cli.ts';

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
  metadata: { evidence: { missing_share: number; periodicity_verdict: string } };
}

// The demo data and the analysis are pinned to this instant. With the data ending at the current
// hour the test failed on some days only: at some instants a background title arrives at irregular
// gaps that, folded onto a median gap of about a day, look regular, while more than half of the
// occurrences such a schedule implies are missing. At this one (seed 4, 3000 incidents) the analysis
// once called "Unhandled exception in reporting after deploy" PERIODIC (35 arrivals, 50 of 85
// expected occurrences missing), and "Replication lag on orders-db-13" too (34 arrivals, folded
// interval CV 0.34, 44% missing) under the former CV limit of 0.35.
const end = new Date('2026-11-27T00:00:00Z');

describe('recurrence found by the CLI, read through the library and the HTTP API', () => {
  it('gives the same analyses each way and finds the planted periodic problems', async () => {
    // The demo data (what `insights demo --incidents 3000 --seed 4` writes, but ending at a fixed
    // instant): 90 days of synthetic incidents with the generator's five planted recurring problems
    // (three periodic: 6 h, 24 h and 168 h).
    const loader = await openEngine({ path: db });
    const planted = await loadSyntheticIncidents(loader, { count: 3000, seed: 4, days: 90, end })
      .then(({ data }) =>
        data.truth.recurring.map((r) => ({
          fingerprint: r.fingerprint,
          incidents: r.incidentExternalIds.length,
        })),
      )
      .finally(() => loader.close());

    const run = await cli([
      'analyze-recurrence',
      '--time-window',
      String(91 * 24),
      '--end',
      end.toISOString(),
      '--json',
    ]);
    expect(run.stderr).toBe('');
    const fromCli = (JSON.parse(run.stdout) as { analyses: Analysis[] }).analyses;
    const periodic = fromCli.filter((a) => a.recurrence_type === 'PERIODIC');
    // Only the three planted schedules are periodic (below). No analysis that misses more than half
    // of its expected occurrences is, and each says why in its evidence.
    for (const a of fromCli) {
      const evidence = a.metadata.evidence;
      expect(typeof evidence.periodicity_verdict).toBe('string');
      if (evidence.missing_share > 0.5) {
        expect(a.recurrence_type).not.toBe('PERIODIC');
        expect(['irregular', 'too many missing']).toContain(evidence.periodicity_verdict);
      }
    }
    // The title described above is among them: regular once folded, rejected for what it misses.
    expect(fromCli.some((a) => a.metadata.evidence.periodicity_verdict === 'too many missing')).toBe(true);
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
    const key = (a: Pick<Analysis, 'id' | 'recurrence_type' | 'occurrence_count' | 'confidence_score'>) =>
      `${a.id} ${a.recurrence_type} ${a.occurrence_count} ${a.confidence_score}`;
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
