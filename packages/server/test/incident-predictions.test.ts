import { loadSyntheticIncidents } from '@incident-insights/engine/synth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/test-server.ts';

// 1,500 seeded synthetic incidents over the 30 days before a fixed instant, which is also the
// engine's clock: every predicted_at is that instant.
const now = new Date('2026-03-01T00:00:00Z');
let server: TestServer;

beforeAll(async () => {
  server = await startServer({
    engine: { now: () => now },
    populate: async (engine) => {
      await loadSyntheticIncidents(engine, { seed: 13, count: 1500, days: 30, end: now });
    },
  });
}, 60_000);
afterAll(async () => {
  await server.close();
  await server.engine.close();
});

interface Incident {
  id: string;
  title: string;
  predictions: Record<string, Record<string, unknown>> | null;
}
interface Page {
  count: number;
  results: Incident[];
}
interface Job {
  id: string;
  status: string;
  result: Record<string, unknown> | null;
  error: unknown;
}

async function json<T>(path: string, init: Parameters<TestServer['fetch']>[1] = { as: 'viewer' }) {
  const res = await server.fetch(path, init);
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return (await res.json()) as T;
}

/** Follows a job at /api/jobs/{id}/ until its status is final (at most 50 s). */
async function finished(jobId: string): Promise<Job> {
  for (let waited = 0; waited < 50_000; waited += 100) {
    const job = await json<Job>(`/api/jobs/${jobId}/`);
    if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(job.status)) return job;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`job ${jobId} did not finish`);
}

/** Creates a small forest of `modelType` and trains it through the API. */
async function trainedModel(modelType: string): Promise<string> {
  const model = await json<{ id: string }>('/api/analytics/predictive-models/', {
    method: 'POST',
    as: 'analyst',
    json: {
      name: `${modelType} for incident records`,
      model_type: modelType,
      algorithm_type: 'RANDOM_FOREST',
      model_config: { n_estimators: 10, max_depth: 5 },
      training_data_period_days: 30,
    },
  });
  const job = await json<Job>(`/api/analytics/predictive-models/${model.id}/train/`, {
    method: 'POST',
    as: 'analyst',
  });
  expect((await finished(job.id)).status).toBe('SUCCEEDED');
  return model.id;
}

/** What the engine stores for `id`, as the API must show it (timestamps as ISO 8601 text). */
async function stored(id: string): Promise<Record<string, Record<string, unknown>> | null> {
  const byKind = (await server.engine.models.predictionsFor([id]))[id];
  if (!byKind) return null;
  return Object.fromEntries(
    Object.entries(byKind).map(([kind, p]) => [
      kind,
      { ...p.value, model: p.model_id, version: p.version, predicted_at: p.predicted_at },
    ]),
  );
}

describe('predictions in the incident records of /api/incidents/', () => {
  it('are null before any model has scored an incident', async () => {
    const page = await json<Page>('/api/incidents/?page_size=20');
    expect(page.results).toHaveLength(20);
    expect(page.results.map((i) => i.predictions)).toEqual(Array(20).fill(null));
  });

  it('after score_incidents, show the stored values exactly in the detail and the list; null when unscored', async () => {
    const severityModel = await trainedModel('SEVERITY_PREDICTION');
    const escalationModel = await trainedModel('ESCALATION_PREDICTION');
    const queued = await json<Job>('/api/jobs/', {
      method: 'POST',
      as: 'analyst',
      json: { kind: 'score_incidents', parameters: { limit: 25 } },
    });
    const scoring = await finished(queued.id);
    expect([scoring.status, scoring.error]).toEqual(['SUCCEEDED', null]);
    // The 25 newest incidents, once per model.
    expect(scoring.result).toMatchObject({ scored: 50, models: 2 });

    const created = await json<Incident>('/api/incidents/', {
      method: 'POST',
      as: 'analyst',
      json: { title: 'Payment gateway timeouts', severity: 'HIGH', created_at: '2026-02-28T23:59:59Z' },
    });
    expect(created.predictions).toBeNull();

    const page = await json<Page>('/api/incidents/?page_size=20');
    expect(page.results[0]?.id).toBe(created.id);
    expect(page.results[0]?.predictions).toBeNull();
    for (const incident of page.results.slice(1)) {
      expect(Object.keys(incident.predictions ?? {})).toEqual(['severity', 'escalation']);
      expect(incident.predictions).toEqual(await stored(incident.id));
      expect(await json<Incident>(`/api/incidents/${incident.id}/`)).toEqual(incident);
    }
    const severity = page.results[1]?.predictions?.['severity'];
    expect(severity).toMatchObject({ model: severityModel, version: '1', predicted_at: now.toISOString() });
    expect(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']).toContain(severity?.['label']);
    const escalation = page.results[1]?.predictions?.['escalation'];
    expect(escalation).toMatchObject({
      model: escalationModel,
      version: '1',
      predicted_at: now.toISOString(),
    });
    expect(typeof escalation?.['probability']).toBe('number');

    // An incident the job did not reach (older than the 25 newest) shows null.
    const oldest = await json<Page>('/api/incidents/?page_size=1&ordering=created_at');
    expect(oldest.results[0]?.predictions).toBeNull();
    expect((await json<Incident>(`/api/incidents/${oldest.results[0]?.id}/`)).predictions).toBeNull();
  }, 60_000);

  it('are documented in the OpenAPI schema of an incident', async () => {
    const doc = await json<{
      components: { schemas: Record<string, { properties: Record<string, Record<string, unknown>> }> };
    }>('/api/openapi.json', {});
    const schemas = doc.components.schemas;
    expect(JSON.stringify(schemas['Incident']?.properties['predictions'])).toContain(
      '#/components/schemas/IncidentPredictions',
    );
    expect(Object.keys(schemas['IncidentPredictions']?.properties ?? {})).toEqual([
      'severity',
      'escalation',
      'resolution_time',
    ]);
    expect(
      Object.keys(schemas['IncidentPredictions']?.properties['resolution_time']?.['properties'] ?? {}),
    ).toEqual(['value', 'lower', 'upper', 'unit', 'model', 'version', 'predicted_at']);
  });
});
