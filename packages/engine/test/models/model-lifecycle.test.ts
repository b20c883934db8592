import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, type Engine, openEngine } from '../../src/index.ts';
import { internalContext } from '../../src/internal.ts';
import { loadLearners, type ModelLearners } from '../../src/models/model-learners.ts';
import { ModelService } from '../../src/models/model-service.ts';
import { loadSyntheticIncidents } from '../../src/synth/loader.ts';

// 1,500 seeded synthetic incidents over the 30 days before a pinned clock, in a file so that the
// engine can be closed and reopened.
const clock = new Date('2025-01-01T00:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'insights-models-'));
const path = join(dir, 'insights.duckdb');
let engine: Engine;

const open = () => openEngine({ path, now: () => clock, workers: { threads: 2 } });
const severity = (name: string) => ({
  name,
  model_type: 'SEVERITY_PREDICTION' as const,
  algorithm_type: 'RANDOM_FOREST' as const,
  model_config: { n_estimators: 10, max_depth: 5 },
  training_data_period_days: 30,
});

beforeAll(async () => {
  engine = await open();
  await loadSyntheticIncidents(engine, { seed: 3, count: 1500, days: 30 });
}, 60_000);
afterAll(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The real learners, with a training that waits for `gate` (or fails) when asked. */
function controlledLearners(
  real: ModelLearners,
  control: { gate?: Promise<void>; fail?: boolean },
): ModelLearners {
  return {
    ...real,
    trainModel: async (rows, spec, options) => {
      if (control.fail) throw new Error('the learner ran out of patience');
      await control.gate;
      return real.trainModel(rows, spec, options);
    },
  };
}

describe('the training state machine', () => {
  it('TRAINING → ACTIVE version 1 with the event in the outbox; RETRAINING keeps version 1 serving until version 2 is stored', async () => {
    const model = await engine.models.create(severity('state machine'));
    const first = await engine.models.trainNow(model.id);
    expect(first).toMatchObject({ status: 'ACTIVE', version: '1' });
    const events = await internalContext(engine).events.after(0, { types: ['MODEL_TRAINING_COMPLETED'] });
    const mine = events.filter((e) => e.payload['model_id'] === model.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.payload).toMatchObject({
      version: '1',
      f1_score: first.scores.f1_score,
      accuracy_score: first.scores.accuracy_score,
    });

    const ids = (await engine.incidents.list({ pageSize: 3 })).results.map((i) => i.id);
    const before = await engine.models.predict(model.id, { incident_ids: ids });
    let release!: () => void;
    const control = { gate: new Promise<void>((resolve) => (release = resolve)) };
    const service = new ModelService(
      internalContext(engine),
      controlledLearners(await loadLearners(), control),
    );
    const retraining = service.trainNow(model.id);
    while ((await engine.models.get(model.id)).status !== 'RETRAINING')
      await new Promise((r) => setTimeout(r, 5));
    // While the new version trains the old one answers.
    expect(await engine.models.predict(model.id, { incident_ids: ids })).toEqual(before);
    expect((await engine.models.get(model.id)).version).toBe('1');
    await expect(engine.models.delete(model.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    release();
    expect(await retraining).toMatchObject({ status: 'ACTIVE', version: '2' });
    expect(await engine.models.get(model.id)).toMatchObject({
      status: 'ACTIVE',
      version: '2',
      model_file_path: `duckdb:predictive_model_versions/${model.id}/2`,
    });
  }, 60_000);

  it('a failed retraining goes back to ACTIVE on the old version with the error recorded; a failed first training is ERROR', async () => {
    const model = await engine.models.create(severity('fails later'));
    await engine.models.trainNow(model.id);
    const failing = new ModelService(
      internalContext(engine),
      controlledLearners(await loadLearners(), { fail: true }),
    );
    const outcome = await failing.trainNow(model.id);
    expect(outcome).toMatchObject({
      status: 'ACTIVE',
      version: '1',
      error: { code: 'INTERNAL', message: 'the learner ran out of patience' },
    });
    expect(await engine.models.get(model.id)).toMatchObject({
      status: 'ACTIVE',
      version: '1',
      error_message: 'INTERNAL: the learner ran out of patience',
    });
    const fresh = await engine.models.create(severity('fails at once'));
    expect(await failing.trainNow(fresh.id)).toMatchObject({ status: 'ERROR', version: '0' });
    expect((await engine.models.get(fresh.id)).status).toBe('ERROR');
  }, 60_000);

  it('a cancelled training stops at its next safe point and leaves the model as it was', async () => {
    const model = await engine.models.create(severity('cancelled'));
    let release!: () => void;
    const control = { gate: new Promise<void>((resolve) => (release = resolve)) };
    const service = new ModelService(
      internalContext(engine),
      controlledLearners(await loadLearners(), control),
    );
    const abort = new AbortController();
    const training = service.trainNow(model.id, { signal: abort.signal });
    while ((await engine.models.get(model.id)).status !== 'TRAINING')
      await new Promise((r) => setTimeout(r, 5));
    abort.abort();
    release();
    await expect(training).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(await engine.models.get(model.id)).toMatchObject({ status: 'INACTIVE', version: '0' });
  }, 60_000);

  it('changing the configuration of an ACTIVE model keeps it serving its version and makes it due', async () => {
    const model = await engine.models.create(severity('reconfigured'));
    await engine.models.trainNow(model.id);
    const updated = await engine.models.update(model.id, { model_config: { n_estimators: 5, max_depth: 3 } });
    expect(updated).toMatchObject({
      status: 'ACTIVE',
      version: '1',
      model_config: { n_estimators: 5, max_depth: 3 },
    });
    const due = await engine.models.trainDue();
    // Due: this one (reconfigured) and every model never trained; not the ones trained and unchanged.
    expect(due.map((o) => o.name)).toContain('reconfigured');
    expect(due.map((o) => o.name)).not.toContain('state machine');
    expect((await engine.models.get(model.id)).version).toBe('2');
    expect((await engine.models.trainDue()).map((o) => o.name)).not.toContain('reconfigured');
  }, 60_000);
});

describe('auto-retrain', () => {
  it('retrains a model whose live accuracy (mean over its validated insights) fell below its threshold', async () => {
    const model = await engine.models.create({
      ...severity('drifting'),
      auto_retrain_enabled: true,
      performance_threshold: 0.7,
    });
    await engine.models.trainNow(model.id);
    expect((await engine.models.trainDue()).map((o) => o.name)).not.toContain('drifting');
    // Two validated insights of accuracy 0.5 and 0.7: live accuracy 0.6 < 0.7.
    for (const accuracy of [0.5, 0.7]) {
      await internalContext(engine).db.run(
        `INSERT INTO predictive_insights (id, model_id, insight_type, title, confidence_level, confidence_score,
           predicted_at, is_validated, accuracy, created_at)
         VALUES (uuid(), $model::UUID, 'SEVERITY_RISK', 't', 'HIGH', 0.9, $now, true, $accuracy, $now)`,
        { model: model.id, now: clock, accuracy },
      );
    }
    expect(await engine.models.liveAccuracy(model.id)).toEqual({ accuracy: 0.6, validated: 2 });
    expect((await engine.models.performance(model.id)).live_accuracy).toEqual({
      accuracy: 0.6,
      validated_insights: 2,
    });
    const retrained = (await engine.models.trainDue()).find((o) => o.name === 'drifting');
    expect(retrained?.version).toBe('2');
  }, 60_000);
});

describe('train_predictive_models and score_incidents as jobs', () => {
  it('trains through engine.jobs (train() answers the job) and fails with INSUFFICIENT_DATA and the count', async () => {
    const runner = engine.jobs.startRunner({ pollMs: 10, schedules: false });
    try {
      const model = await engine.models.create(severity('by job'));
      const ana: Actor = {
        userId: '00000000-0000-4000-8000-000000000002',
        username: 'ana',
        roles: ['analyst'],
      };
      const { job, deduplicated } = await engine.as(ana).models.train(model.id);
      // The job records who asked, as a job submitted through engine.as(ana).jobs would.
      expect(job).toMatchObject({
        kind: 'train_predictive_models',
        parameters: { model_id: model.id },
        requested_by: ana.userId,
        requested_by_username: 'ana',
      });
      expect(deduplicated).toBe(false);
      const viewer: Actor = { userId: null, username: 'vera', roles: ['viewer'] };
      await expect(engine.as(viewer).models.train(model.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
      const done = await engine.jobs.wait(job.id);
      expect([done.status, done.error]).toEqual(['SUCCEEDED', null]);
      expect((await engine.models.get(model.id)).status).toBe('ACTIVE');

      const greedy = await engine.models.create({
        ...severity('too greedy'),
        min_training_samples: 1_000_000,
      });
      const { job: failing } = await engine.jobs.submit({
        kind: 'train_predictive_models',
        parameters: { model_id: greedy.id },
      });
      const failed = await engine.jobs.wait(failing.id);
      expect(failed.status).toBe('FAILED');
      expect(failed.error?.code).toBe('INSUFFICIENT_DATA');
      const stored = await engine.models.get(greedy.id);
      expect(stored.status).toBe('ERROR');
      // The count found is in the message (severity is known at creation: every incident of the window is a sample).
      expect(stored.error_message).toMatch(
        /^INSUFFICIENT_DATA: \d+ training samples in the training window, at least 1000000 needed$/,
      );

      const { job: scoring } = await engine.jobs.submit({
        kind: 'score_incidents',
        parameters: { limit: 50 },
      });
      const scored = await engine.jobs.wait(scoring.id);
      expect(scored.status).toBe('SUCCEEDED');
      expect(scored.result).toMatchObject({ scored: 50, models: 1 });
    } finally {
      await runner.stop();
    }
  }, 60_000);

  it('stores predictions on incidents and shows them by incident id', async () => {
    const [incident] = (await engine.incidents.list({ pageSize: 1, ordering: 'created_at' })).results;
    const id = incident?.id as string;
    expect(await engine.models.scoreIncidents([id])).toBe(1);
    const stored = await engine.models.predictionsFor([id]);
    const prediction = stored[id]?.['severity'];
    expect(prediction?.value['label']).toMatch(/^(LOW|MEDIUM|HIGH|CRITICAL)$/);
    expect(
      Object.values(prediction?.value['probabilities'] as Record<string, number>).reduce((a, b) => a + b, 0),
    ).toBeCloseTo(1, 6);
  }, 60_000);
});

describe('a restart', () => {
  it('reopens every trained model from the file and predicts exactly what it predicted before', async () => {
    const tabular = await engine.models.create({
      ...severity('restart tabular'),
      model_config: { n_estimators: 40, max_depth: 8 },
    });
    const forecaster = await engine.models.create({
      name: 'restart forecaster',
      model_type: 'INCIDENT_PREDICTION',
      algorithm_type: 'XGBOOST',
      model_config: { n_estimators: 10 },
      training_data_period_days: 30,
    });
    await engine.models.trainNow(tabular.id);
    await engine.models.trainNow(forecaster.id);
    const fields = {
      title: 'Database down',
      description: 'primary unreachable',
      category: 'Database',
      service: 'orders',
      priority: 'P1',
      created_at: '2024-12-31T08:00:00Z',
    };
    const ids = (await engine.incidents.list({ pageSize: 5 })).results.map((i) => i.id);
    const before = [
      await engine.models.predict(tabular.id, { incidents: [fields] }),
      await engine.models.predict(tabular.id, { incident_ids: ids }),
      await engine.models.forecastCounts(forecaster.id, 5),
      await engine.models.performance(tabular.id),
    ];
    // Artefacts above 64 KiB of JSON (the 40-tree forest) are stored gzip-compressed, smaller ones as JSON.
    const encodings = await internalContext(engine).db.all(
      `SELECT model_id::VARCHAR AS id, artifact_encoding AS e FROM predictive_model_versions
       WHERE list_contains($ids, model_id::VARCHAR)`,
      { ids: [tabular.id, forecaster.id] },
    );
    expect(Object.fromEntries(encodings.map((r) => [r['id'], r['e']]))).toEqual({
      [tabular.id]: 'json+gzip',
      [forecaster.id]: 'json',
    });
    await engine.close();
    engine = await open();
    const after = [
      await engine.models.predict(tabular.id, { incidents: [fields] }),
      await engine.models.predict(tabular.id, { incident_ids: ids }),
      await engine.models.forecastCounts(forecaster.id, 5),
      await engine.models.performance(tabular.id),
    ];
    expect(after).toEqual(before);
  }, 60_000);
});
