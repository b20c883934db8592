import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEngine } from '@incident-insights/engine';
import { loadSyntheticIncidents } from '@incident-insights/engine/synth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliRun, runInsights } from '../../../test/support/run-cli.ts';

// The command runs in its own process on the real clock and trains on the last 90 days before it,
// so the 1,500 seeded incidents are placed in the 60 days before the hour the test starts. Nothing
// asserted depends on the date: statuses, versions, the table's shape and the failure of the cost
// model (there are no cost analyses at all).
const dir = mkdtempSync(join(tmpdir(), 'insights-train-'));
const db = join(dir, 'train.duckdb');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ids = { severity: '', escalation: '', cost: '' };

beforeAll(async () => {
  const engine = await openEngine({ path: db });
  try {
    const end = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
    await loadSyntheticIncidents(engine, { seed: 3, count: 1500, days: 60, end });
    const small = { n_estimators: 20, max_depth: 5 };
    ids.severity = (
      await engine.models.create({
        name: 'Severity',
        model_type: 'SEVERITY_PREDICTION',
        algorithm_type: 'RANDOM_FOREST',
        model_config: small,
      })
    ).id;
    ids.escalation = (
      await engine.models.create({
        name: 'Escalation',
        model_type: 'ESCALATION_PREDICTION',
        algorithm_type: 'XGBOOST',
        model_config: small,
      })
    ).id;
    ids.cost = (
      await engine.models.create({
        name: 'Cost',
        model_type: 'COST_PREDICTION',
        algorithm_type: 'RANDOM_FOREST',
      })
    ).id;
  } finally {
    await engine.close();
  }
}, 60_000);

function insights(args: string[]): Promise<CliRun> {
  return runInsights(args, { INSIGHTS_DB: db });
}

interface Outcome {
  model_id: string;
  name: string;
  model_type: string | null;
  algorithm_type: string | null;
  status: string;
  version: string;
  samples: number;
  scores: Record<string, number | null>;
  baseline: Record<string, number | null>;
  beats_baseline: boolean | null;
  error?: { code: string; message: string };
}

describe('insights train-predictive-models', () => {
  it('trains one model and prints its scores with the baseline beside each', async () => {
    const run = await insights(['train-predictive-models', '--model-id', ids.severity]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'Trained 1 of 1 model; each score is followed by its naive baseline in parentheses.',
    );
    expect(lines[2]).toMatch(
      /^model\s+type\s+algorithm\s+status\s+version\s+samples\s+accuracy \(baseline\)\s+precision \(baseline\)\s+recall \(baseline\)\s+f1 \(baseline\)\s+beats baseline\s+seconds$/,
    );
    // Four scores of the classifier, each `0.123 (0.456)`, then yes or no.
    expect(lines[4]).toMatch(
      /^Severity\s+SEVERITY_PREDICTION\s+RANDOM_FOREST\s+ACTIVE\s+1\s+\d+(\s+\d\.\d{3} \(\d\.\d{3}\)){4}\s+(yes|no)\s+\d/,
    );
  }, 60_000);

  it('trains every model due, and exits non-zero with one line for each that failed', async () => {
    // Due: Escalation and Cost (never trained); Severity has just been trained and is not due.
    const run = await insights(['train-predictive-models', '--json']);
    const outcomes = JSON.parse(run.stdout) as Outcome[];
    expect(outcomes.map((o) => [o.name, o.status, o.version])).toEqual([
      ['Escalation', 'ACTIVE', '1'],
      ['Cost', 'ERROR', '0'],
    ]);
    expect(outcomes[0]).toMatchObject({ model_type: 'ESCALATION_PREDICTION', algorithm_type: 'XGBOOST' });
    expect(outcomes[0]?.baseline['f1_score']).toEqual(expect.any(Number));
    expect(outcomes[1]?.error).toEqual({ code: 'INSUFFICIENT_DATA', message: 'no cost analyses yet' });
    expect(run.stderr).toBe(
      `insights: model Cost (${ids.cost}) failed to train: INSUFFICIENT_DATA: no cost analyses yet\n`,
    );
    expect(run.code).toBe(5); // INSUFFICIENT_DATA's exit code
  }, 60_000);

  it('refuses a model id that is not a UUID with one line', async () => {
    const run = await insights(['train-predictive-models', '--model-id', 'nope']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toBe('insights: --model-id must be a model id (a UUID), not nope\n');
  }, 30_000);
});
