import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Engine, openEngine } from '@incident-insights/engine';
import { loadSyntheticIncidents } from '@incident-insights/engine/synth';
import { describe, it } from 'vitest';
import { demoContract, demoCostModel, demoServiceTier } from '../packages/cli/src/backend/demo-setup.ts';
import { runInsights } from './support/run-cli.ts';
import { startServer } from './support/test-server.ts';

/**
 * Every (model type, algorithm) pair the spec's enums allow together, with settings small enough to
 * train in about a second on demo data. COST_PREDICTION learns from cost analyses: the demo
 * database gets the cost model and SLA contract `insights demo` configures, and its costs are
 * calculated (a calculate_costs job, or `insights calculate-costs`) before the models train.
 */
const small = {
  RANDOM_FOREST: { n_estimators: 10, max_depth: 4 },
  XGBOOST: { n_estimators: 10, max_depth: 3 },
  SVM: { C: 1 },
  NEURAL_NETWORK: { hidden_layer_sizes: [16], max_iter: 20 },
} as const;
const pairs: { model_type: string; algorithm_type: string; model_config: Record<string, unknown> }[] = [
  ...(['ARIMA', 'PROPHET'] as const).map((algorithm_type) => ({
    model_type: 'INCIDENT_PREDICTION',
    algorithm_type,
    model_config: {},
  })),
  { model_type: 'INCIDENT_PREDICTION', algorithm_type: 'LSTM', model_config: { epochs: 5, units: 8 } },
  ...(['RANDOM_FOREST', 'XGBOOST', 'NEURAL_NETWORK'] as const).map((algorithm_type) => ({
    model_type: 'INCIDENT_PREDICTION',
    algorithm_type,
    model_config: small[algorithm_type],
  })),
  ...[
    'SEVERITY_PREDICTION',
    'ESCALATION_PREDICTION',
    'RESOLUTION_TIME_PREDICTION',
    'COST_PREDICTION',
  ].flatMap((model_type) =>
    (['RANDOM_FOREST', 'XGBOOST', 'SVM', 'NEURAL_NETWORK'] as const).map((algorithm_type) => ({
      model_type,
      algorithm_type,
      model_config: small[algorithm_type],
    })),
  ),
  { model_type: 'ANOMALY_DETECTION', algorithm_type: 'ISOLATION_FOREST', model_config: {} },
];

/** Hours of the window the costs are calculated over: the demo's 45 days and one more. */
const costWindowHours = 46 * 24;

/**
 * 1,200 seeded synthetic incidents over the 45 days before `end`, with the cost model (every
 * service) and the SLA contract (payments) of `insights demo` (packages/cli/src/backend/demo-setup.ts).
 */
async function demo(engine: Engine, end: Date): Promise<void> {
  await loadSyntheticIncidents(engine, { seed: 5, count: 1200, days: 45, end });
  await engine.costs.setServiceTier(demoServiceTier);
  await engine.costs.createModel(demoCostModel);
  await engine.costs.createContract(demoContract);
}

// The two tests share nothing (an engine in this process, a database file for the CLI's processes),
// so they run at the same time: training here and in the CLI's process use a core each.
describe.concurrent('every model type with every algorithm that fits it', () => {
  it('trains to ACTIVE through the API: created by POST, trained by train/ as a job', async ({ expect }) => {
    const now = new Date('2026-03-01T00:00:00Z');
    const server = await startServer({ engine: { now: () => now }, populate: (e) => demo(e, now) });
    try {
      const costs = await server.fetch('/api/jobs/', {
        method: 'POST',
        as: 'analyst',
        json: { kind: 'calculate_costs', parameters: { time_window: costWindowHours } },
      });
      expect(costs.status, await costs.clone().text()).toBe(202);
      const costJob = (await costs.json()) as { id: string };
      const calculated = await server.engine.jobs.wait(costJob.id, { signal: AbortSignal.timeout(60_000) });
      expect(calculated.status).toBe('SUCCEEDED');
      expect((calculated.result as { created: number }).created).toBeGreaterThan(100);
      for (const pair of pairs) {
        const name = `${pair.model_type} ${pair.algorithm_type}`;
        const created = await server.fetch('/api/analytics/predictive-models/', {
          method: 'POST',
          as: 'analyst',
          json: { name, ...pair, min_training_samples: 50 },
        });
        expect(created.status, await created.clone().text()).toBe(201);
        const { id } = (await created.json()) as { id: string };
        const train = await server.fetch(`/api/analytics/predictive-models/${id}/train/`, {
          method: 'POST',
          as: 'analyst',
          json: {},
        });
        expect(train.status, name).toBe(202);
        const job = (await train.json()) as { id: string };
        const done = await server.engine.jobs.wait(job.id, { signal: AbortSignal.timeout(120_000) });
        expect([name, done.status, done.error]).toEqual([name, 'SUCCEEDED', null]);
        const model = (await (
          await server.fetch(`/api/analytics/predictive-models/${id}/`, { as: 'viewer' })
        ).json()) as { status: string; version: string; training_samples_count: number };
        expect([name, model.status, model.version]).toEqual([name, 'ACTIVE', '1']);
        expect(model.training_samples_count, name).toBeGreaterThan(0);
      }
    } finally {
      await server.close();
      await server.engine.close();
    }
  }, 300_000);

  it('trains to ACTIVE through the CLI: insights train-predictive-models trains every model due', async ({
    expect,
  }) => {
    const dir = mkdtempSync(join(tmpdir(), 'insights-every-pair-'));
    const db = join(dir, 'models.duckdb');
    try {
      // The command runs on the real clock: the incidents end at the hour the test starts.
      const end = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
      const engine = await openEngine({ path: db });
      try {
        await demo(engine, end);
        for (const pair of pairs) {
          await engine.models.create({
            name: `${pair.model_type} ${pair.algorithm_type}`,
            ...pair,
            min_training_samples: 50,
          } as Parameters<Engine['models']['create']>[0]);
        }
      } finally {
        await engine.close();
      }
      const env = { INSIGHTS_DB: db };
      const costs = await runInsights(
        ['calculate-costs', '--time-window', `${costWindowHours}`, '--json'],
        env,
      );
      expect([costs.code, costs.stderr]).toEqual([0, '']);
      expect((JSON.parse(costs.stdout) as { created: number }).created).toBeGreaterThan(100);
      const run = await runInsights(['train-predictive-models', '--json'], env);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const outcomes = JSON.parse(run.stdout) as { name: string; status: string; version: string }[];
      expect(outcomes.map((o) => [o.name, o.status, o.version]).sort()).toEqual(
        pairs.map((p) => [`${p.model_type} ${p.algorithm_type}`, 'ACTIVE', '1']).sort(),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
