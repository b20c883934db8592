import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEngine } from '@incident-insights/engine';
import { internalContext } from '@incident-insights/engine/internal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertIncidents, stormFixture } from '../../../test/support/anomaly-fixtures.ts';
import { type CliRun, runInsights } from '../../../test/support/run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'insights-anomaly-'));
const db = join(dir, 'anomaly.duckdb');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function insights(args: string[]): Promise<CliRun> {
  return runInsights(args, { INSIGHTS_DB: db });
}

// The storm fixture (35 days, 4 services, 30 planted checkout incidents on 2026-03-09 14:00-15:00 UTC).
const fixture = stormFixture();

beforeAll(async () => {
  const engine = await openEngine({ path: db });
  try {
    await insertIncidents(internalContext(engine).db, [...fixture.background, ...fixture.storm]);
  } finally {
    await engine.close();
  }
});

describe('insights run-anomaly-detection', () => {
  it('reports progress on stderr, stores the storm, and prints the library summary as JSON', async () => {
    const run = await insights([
      'run-anomaly-detection',
      '--time-window',
      '48',
      '--end',
      '2026-03-10T00:00:00Z',
      '--json',
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/window 2026-03-08T00:00:00.000Z to 2026-03-10T00:00:00.000Z/);
    expect(run.stderr).toMatch(/new anomalies stored/);
    const out = JSON.parse(run.stdout) as {
      run: { anomalies_created: number; duplicates_skipped: number };
      anomalies: { description: string; affected_services: string[] }[];
      summary: Record<string, unknown>;
    };
    expect(out.run.anomalies_created).toBe(out.anomalies.length);
    // A fresh database knows nothing yet.
    expect(out.run.duplicates_skipped).toBe(0);
    expect(
      out.anomalies.some((a) =>
        a.description.startsWith('30 incidents for checkout on 2026-03-09 between 14:00'),
      ),
    ).toBe(true);
    const engine = await openEngine({ path: db });
    try {
      expect(out.summary).toEqual(await engine.anomalies.summary());
    } finally {
      await engine.close();
    }
  });

  it('prints a table and stores nothing new on a re-run over the same window', async () => {
    const run = await insights([
      'run-anomaly-detection',
      '--time-window',
      '48',
      '--end',
      '2026-03-10T00:00:00Z',
    ]);
    expect(run.code).toBe(0);
    // Where every detection went, in words: the alarm budget, merging, what was already known.
    expect(run.stdout).toMatch(
      /^No new anomalies\.\n\d+ detections? in the window 2026-03-08T00:00:00\.000Z to 2026-03-10T00:00:00\.000Z \(history examined from 2026-02-0\dT00:00:00\.000Z; \d+ more before the window, not reported\)\.\n/,
    );
    expect(run.stdout).toMatch(
      /\n\d+ below the alarm budget: not significant when re-tested on the data behind them/,
    );
    expect(run.stdout).toMatch(
      /\n\d+ kept, merged into \d+ anomal(y|ies) .*: 0 new, [1-9]\d* already known \(stored by an earlier run/,
    );
    expect(run.stdout).toMatch(/\n\nsummary +value\n/);
    expect(run.stdout).toMatch(/total_anomalies +\d+/);
    expect(run.stdout).toMatch(/false_positive_rate +0\.0/);
  });

  it('refuses a bad window with exit code 2 and an unknown model with exit code 3', async () => {
    const bad = await insights(['run-anomaly-detection', '--time-window', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('insights: --time-window must be a whole number of hours from 1, not soon\n');
    const unknown = await insights([
      'run-anomaly-detection',
      '--model-id',
      '00000000-0000-4000-8000-000000000000',
    ]);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toMatch(/predictive model 00000000-0000-4000-8000-000000000000 was not found/);
  });
});
