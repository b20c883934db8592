import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEngine } from '@incident-insights/engine';
import { loadSyntheticIncidents } from '@incident-insights/engine/synth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliRun, runInsights } from '../../../test/support/run-cli.ts';

// 1,000 seeded incidents over the 60 days before a fixed instant, which is the engine's clock when
// the severity model is trained here in-process; the commands then only read the stored version,
// so nothing below depends on the day the test runs.
const now = new Date('2026-03-01T00:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'insights-models-'));
const db = join(dir, 'models.duckdb');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ids = { trained: '', untrained: '', incident: '', expected: '' };

beforeAll(async () => {
  const engine = await openEngine({ path: db, now: () => now });
  try {
    await loadSyntheticIncidents(engine, { seed: 8, count: 1000, days: 60, end: now });
    const trained = await engine.models.create({
      name: 'Severity',
      model_type: 'SEVERITY_PREDICTION',
      algorithm_type: 'RANDOM_FOREST',
      model_config: { n_estimators: 10, max_depth: 4 },
    });
    await engine.models.trainNow(trained.id);
    ids.trained = trained.id;
    ids.untrained = (
      await engine.models.create({
        name: 'Later',
        model_type: 'ESCALATION_PREDICTION',
        algorithm_type: 'SVM',
      })
    ).id;
    ids.incident = (await engine.incidents.list({ pageSize: 1 })).results[0]!.id;
    // What the library predicts for that incident: the command must print the same.
    const prediction = await engine.models.predict(ids.trained, { incident_ids: [ids.incident] });
    ids.expected = String(prediction.predictions?.[0]?.['label']);
  } finally {
    await engine.close();
  }
}, 60_000);

function insights(args: string[]): Promise<CliRun> {
  return runInsights(args, { INSIGHTS_DB: db });
}

describe('insights models', () => {
  it('lists the models with their status and version', async () => {
    const run = await insights(['models', 'list', '--status', 'ACTIVE']);
    expect(run.stderr).toBe('');
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^id\s+name\s+type\s+algorithm\s+status\s+version\s+accuracy\s+f1\s+samples\s+last trained$/,
    );
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(
      new RegExp(`^${ids.trained}\\s+Severity\\s+SEVERITY_PREDICTION\\s+RANDOM_FOREST\\s+ACTIVE\\s+1\\s`),
    );
  }, 30_000);

  it('predicts a stored incident with the serving version, as the library does', async () => {
    const run = await insights(['models', 'predict', ids.trained, '--incident-id', ids.incident, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const prediction = JSON.parse(run.stdout) as { version: string; predictions: Record<string, unknown>[] };
    expect(prediction.version).toBe('1');
    expect(prediction.predictions).toEqual([
      expect.objectContaining({ incident_id: ids.incident, label: ids.expected }),
    ]);
  }, 30_000);

  it('refuses a model never trained (exit 4) and a bad horizon (exit 2), each with one line', async () => {
    const untrained = await insights(['models', 'predict', ids.untrained, '--incident-id', ids.incident]);
    expect(untrained.code).toBe(4);
    expect(untrained.stderr).toBe(
      `insights: Predictive model ${ids.untrained} has not been trained yet (status INACTIVE)\n`,
    );
    const horizon = await insights(['models', 'predict', ids.trained, '--horizon', '0']);
    expect(horizon.code).toBe(2);
    expect(horizon.stderr).toBe('insights: --horizon must be a whole number from 1 to 1000, not 0\n');
  }, 30_000);
});
