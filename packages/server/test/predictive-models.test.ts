import { loadSyntheticIncidents } from '@incident-insights/engine/synth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/test-server.ts';

// 2,000 seeded synthetic incidents over the 60 days before a fixed instant, which is also the
// engine's clock: the training window (the last 90 days) and every score are the same on each run.
const now = new Date('2026-03-01T00:00:00Z');
let server: TestServer;

beforeAll(async () => {
  server = await startServer({
    engine: { now: () => now },
    populate: async (engine) => {
      await loadSyntheticIncidents(engine, { seed: 11, count: 2000, days: 60, end: now });
    },
  });
}, 60_000);
afterAll(async () => {
  await server.close();
  await server.engine.close();
});

const base = '/api/analytics/predictive-models/';

interface Model {
  id: string;
  name: string;
  model_type: string;
  algorithm_type: string;
  model_config: Record<string, unknown>;
  feature_columns: string[];
  target_column: string | null;
  status: string;
  version: string;
  accuracy_score: number | null;
  precision_score: number | null;
  recall_score: number | null;
  f1_score: number | null;
  last_trained_at: string | null;
  training_samples_count: number | null;
  created_by: string | null;
  error_message?: string | null;
}
interface ErrorBody {
  error: string;
  code: string;
  details: { errors?: { field: string; message: string }[]; accepted?: string[] } | null;
}
interface Job {
  id: string;
  requested_by: string | null;
  requested_by_username: string;
  kind: string;
  status: string;
  parameters: Record<string, unknown>;
  error: { code: string; message: string } | null;
}

/** The spec's create body, with a small forest so that the test trains in a second or two. */
const severityModel = {
  name: 'Incident Severity Predictor',
  description: 'Predicts incident severity based on historical data',
  model_type: 'SEVERITY_PREDICTION',
  algorithm_type: 'RANDOM_FOREST',
  model_config: { n_estimators: 20, max_depth: 6 },
  feature_columns: ['title_length', 'description_length', 'category'],
  target_column: 'severity',
  training_data_period_days: 90,
  min_training_samples: 100,
};

async function create(body: unknown, as: 'admin' | 'analyst' | 'viewer' = 'analyst'): Promise<Response> {
  return server.fetch(base, { method: 'POST', as, json: body });
}

async function createModel(body: Record<string, unknown> = severityModel): Promise<Model> {
  const res = await create(body);
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as Model;
}

/** Follows a job at /api/jobs/{id}/ until its status is final (at most 50 s). */
async function finished(jobId: string): Promise<Job> {
  for (let waited = 0; waited < 50_000; waited += 100) {
    const job = (await (await server.fetch(`/api/jobs/${jobId}/`, { as: 'viewer' })).json()) as Job;
    if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(job.status)) return job;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`job ${jobId} did not finish`);
}

describe('/api/analytics/predictive-models/', () => {
  it('is listed in the API root with the insights', async () => {
    const root = (await (await server.fetch('/api/analytics/', { as: 'viewer' })).json()) as Record<
      string,
      string
    >;
    expect(root['predictive-models']).toBe(`${server.url}${base}`);
    expect(root['predictive-insights']).toBe(`${server.url}/api/analytics/predictive-insights/`);
  });

  it('creates the spec\'s model: 201 with every field of the record, INACTIVE at version "0"', async () => {
    const model = await createModel();
    expect(model).toMatchObject({
      ...severityModel,
      status: 'INACTIVE',
      version: '0',
      accuracy_score: null,
      f1_score: null,
      last_trained_at: null,
      training_samples_count: null,
    });
    expect(model.id).toMatch(/^[0-9a-f-]{36}$/);
    const analyst = (await (await server.fetch('/api/auth/me/', { as: 'analyst' })).json()) as { id: string };
    expect(model.created_by).toBe(analyst.id);
    for (const field of [
      'model_file_path',
      'training_duration_seconds',
      'auto_retrain_enabled',
      'retrain_frequency_days',
      'performance_threshold',
      'created_at',
      'updated_at',
    ]) {
      expect(model, field).toHaveProperty(field);
    }
  });

  it('refuses a model type and algorithm that do not fit, naming the valid algorithms', async () => {
    const res = await create({ ...severityModel, algorithm_type: 'ARIMA' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(body.code).toBe('VALIDATION_ERROR');
    for (const algorithm of ['RANDOM_FOREST', 'XGBOOST', 'SVM', 'NEURAL_NETWORK']) {
      expect(JSON.stringify(body)).toContain(algorithm);
    }
  });

  it('refuses an unknown field by name, and an unknown feature, and stores nothing', async () => {
    const before = ((await (await server.fetch(base, { as: 'viewer' })).json()) as { count: number }).count;
    const unknownField = await create({ ...severityModel, learning_rate: 0.1 });
    expect(unknownField.status).toBe(400);
    const body = (await unknownField.json()) as ErrorBody;
    expect(body.error).toMatch(/^Unknown field learning_rate/);
    expect(body.details?.accepted).toContain('model_config');

    const unknownFeature = await create({
      ...severityModel,
      feature_columns: ['title_length', 'moon_phase'],
    });
    expect(unknownFeature.status).toBe(400);
    expect(JSON.stringify(await unknownFeature.json())).toContain('moon_phase');
    const after = ((await (await server.fetch(base, { as: 'viewer' })).json()) as { count: number }).count;
    expect(after).toBe(before);
  });

  it('lets viewers read but not create or train (403)', async () => {
    expect((await create(severityModel, 'viewer')).status).toBe(403);
    const model = await createModel({ ...severityModel, name: 'viewer cannot train me' });
    const train = await server.fetch(`${base}${model.id}/train/`, { method: 'POST', as: 'viewer' });
    expect(train.status).toBe(403);
    expect(((await train.json()) as ErrorBody).code).toBe('FORBIDDEN');
    expect((await server.fetch(`${base}${model.id}/`, { as: 'viewer' })).status).toBe(200);
  });

  it('lists with model_type and status filters and ordering, and refuses a bad filter', async () => {
    await createModel({ name: 'Escalation', model_type: 'ESCALATION_PREDICTION', algorithm_type: 'XGBOOST' });
    const list = async (query: string) =>
      (await (await server.fetch(`${base}${query}`, { as: 'viewer' })).json()) as {
        count: number;
        results: Model[];
      };
    const escalation = await list('?model_type=ESCALATION_PREDICTION');
    expect(escalation.count).toBe(1);
    expect(escalation.results[0]).toMatchObject({ name: 'Escalation', target_column: 'escalated' });
    const severity = await list('?model_type=SEVERITY_PREDICTION&status=INACTIVE&ordering=name');
    expect(severity.results.map((m) => m.name)).toEqual(
      [...severity.results.map((m) => m.name)].sort((a, b) => a.localeCompare(b)),
    );
    expect(
      severity.results.every((m) => m.model_type === 'SEVERITY_PREDICTION' && m.status === 'INACTIVE'),
    ).toBe(true);
    expect((await list('?status=ACTIVE&model_type=ESCALATION_PREDICTION')).count).toBe(0);
    const bad = await server.fetch(`${base}?status=RUNNING`, { as: 'viewer' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorBody).error).toMatch(
      /^Invalid query parameter status: must be one of/,
    );
  });

  it('changes a model with PATCH and deletes it (204, then 404)', async () => {
    const model = await createModel({ ...severityModel, name: 'to change' });
    const patched = await server.fetch(`${base}${model.id}/`, {
      method: 'PATCH',
      as: 'analyst',
      json: { description: 'changed', min_training_samples: 50 },
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({
      description: 'changed',
      min_training_samples: 50,
      name: 'to change',
    });
    const unknown = await server.fetch(`${base}${model.id}/`, {
      method: 'PATCH',
      as: 'analyst',
      json: { nme: 'x' },
    });
    expect(unknown.status).toBe(400);
    const deleted = await server.fetch(`${base}${model.id}/`, { method: 'DELETE', as: 'analyst' });
    expect(deleted.status).toBe(204);
    expect((await server.fetch(`${base}${model.id}/`, { as: 'viewer' })).status).toBe(404);
  });

  it('answers 409 MODEL_NOT_TRAINED for the performance and predictions of a model never trained', async () => {
    const model = await createModel({ ...severityModel, name: 'never trained' });
    const performance = await server.fetch(`${base}${model.id}/performance/`, { as: 'viewer' });
    expect(performance.status).toBe(409);
    expect(await performance.json()).toMatchObject({
      code: 'MODEL_NOT_TRAINED',
      details: { id: model.id, status: 'INACTIVE' },
    });
    const predict = await server.fetch(`${base}${model.id}/predict/`, {
      method: 'POST',
      as: 'viewer',
      json: { incidents: [{ title: 'x' }] },
    });
    expect(predict.status).toBe(409);
    expect(((await predict.json()) as ErrorBody).code).toBe('MODEL_NOT_TRAINED');
    const missing = await server.fetch(`${base}00000000-0000-4000-8000-000000000999/performance/`, {
      as: 'viewer',
    });
    expect(missing.status).toBe(404);
  });

  it('trains as a job (202), ends ACTIVE with scores, shows its performance and predicts', async () => {
    const model = await createModel({ ...severityModel, name: 'trained' });
    const unknown = await server.fetch(`${base}${model.id}/train/`, {
      method: 'POST',
      as: 'analyst',
      json: { forse: true },
    });
    expect(unknown.status).toBe(400);

    const res = await server.fetch(`${base}${model.id}/train/`, { method: 'POST', as: 'analyst', json: {} });
    expect(res.status).toBe(202);
    const queued = (await res.json()) as Job;
    expect(res.headers.get('Location')).toBe(`/api/jobs/${queued.id}/`);
    expect(res.headers.get('X-Job-Deduplicated')).toBe('false');
    const analyst = (await (await server.fetch('/api/auth/me/', { as: 'analyst' })).json()) as { id: string };
    expect(queued).toMatchObject({ requested_by: analyst.id, requested_by_username: 'analyst' });
    expect(queued).toMatchObject({ kind: 'train_predictive_models', parameters: { model_id: model.id } });
    const job = await finished(queued.id);
    expect(job.error).toBeNull();
    expect(job.status).toBe('SUCCEEDED');

    const trained = (await (await server.fetch(`${base}${model.id}/`, { as: 'viewer' })).json()) as Model;
    expect(trained).toMatchObject({ status: 'ACTIVE', version: '1', error_message: null });
    expect(trained.last_trained_at).toBe(now.toISOString());
    expect(trained.training_samples_count).toBeGreaterThanOrEqual(100);
    for (const score of ['accuracy_score', 'precision_score', 'recall_score', 'f1_score'] as const) {
      expect(trained[score], score).toBeGreaterThanOrEqual(0);
      expect(trained[score], score).toBeLessThanOrEqual(1);
    }

    const performance = (await (
      await server.fetch(`${base}${model.id}/performance/`, { as: 'viewer' })
    ).json()) as {
      version: string;
      task: string;
      scores: Record<string, number | null>;
      metrics: {
        per_class: Record<string, unknown>;
        confusion_matrix: { labels: string[]; matrix: number[][] };
      };
      baseline: { name: string; metrics: { accuracy: number } };
      beats_baseline: boolean;
      verdict: string;
      evaluated_on: { train_rows: number; test_rows: number };
    };
    expect(performance).toMatchObject({ version: '1', task: 'classification' });
    expect(performance.scores['f1_score']).toBe(trained.f1_score);
    expect(performance.baseline.name).toBe('majority_class');
    expect(typeof performance.beats_baseline).toBe('boolean');
    expect(performance.verdict.length).toBeGreaterThan(0);
    const { labels, matrix } = performance.metrics.confusion_matrix;
    expect(matrix).toHaveLength(labels.length);
    // The confusion matrix counts every held-out row once.
    expect(matrix.flat().reduce((a, b) => a + b, 0)).toBe(performance.evaluated_on.test_rows);
    expect(performance.evaluated_on.train_rows + performance.evaluated_on.test_rows).toBe(
      trained.training_samples_count,
    );

    const predicted = await server.fetch(`${base}${model.id}/predict/`, {
      method: 'POST',
      as: 'viewer',
      json: {
        incidents: [
          { title: 'Checkout down for every customer', description: 'payments fail', category: 'Software' },
        ],
      },
    });
    expect(predicted.status, await predicted.clone().text()).toBe(200);
    const prediction = JSON.stringify(await predicted.json());
    expect(prediction).toMatch(/"label":"(LOW|MEDIUM|HIGH|CRITICAL)"/);
    expect(prediction).toContain('probabilities');

    const neither = await server.fetch(`${base}${model.id}/predict/`, {
      method: 'POST',
      as: 'viewer',
      json: {},
    });
    expect(neither.status).toBe(400);
  }, 60_000);
});
