import { internalContext } from '@incident-insights/engine/internal';
import { loadSyntheticIncidents } from '@incident-insights/engine/synth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/test-server.ts';

// The engine's clock is pinned; the insights below are written as rows, so that every count the
// summary and the filters give can be worked by hand from this table:
//
// | insight | type              | confidence  | acknowledged | validated (accuracy) | expires          |
// | A       | INCIDENT_FORECAST | HIGH 0.90   | no           | yes (0.80)           | now + 1 day      |
// | B       | SEVERITY_RISK     | MEDIUM 0.60 | yes          | no                   | now + 1 day      |
// | C       | ESCALATION_RISK   | LOW 0.30    | no           | no                   | now + 1 day      |
// | D       | INCIDENT_FORECAST | HIGH 0.85   | no           | yes (0.90)           | now − 2 days     |
// | E       | RESOLUTION_DELAY  | MEDIUM 0.55 | no           | no                   | never (null)     |
//
// and three models: two ACTIVE, one INACTIVE (rows too, without versions). The last test trains a
// real forecasting model and generates its insights, after the counts above have been checked.
const now = new Date('2026-03-01T12:00:00Z');
const day = 86_400_000;
const ids = {
  A: '00000000-0000-4000-8000-00000000000a',
  B: '00000000-0000-4000-8000-00000000000b',
  C: '00000000-0000-4000-8000-00000000000c',
  D: '00000000-0000-4000-8000-00000000000d',
  E: '00000000-0000-4000-8000-00000000000e',
} as const;
const modelId = '00000000-0000-4000-8000-0000000000f1';

let server: TestServer;

beforeAll(async () => {
  server = await startServer({
    engine: { now: () => now },
    populate: async (engine) => {
      // Incidents for the forecasting model of the last test; the rows below do not depend on them.
      await loadSyntheticIncidents(engine, { seed: 4, count: 1500, days: 60, end: now });
      const db = internalContext(engine).db;
      for (const [n, status] of ['ACTIVE', 'ACTIVE', 'INACTIVE'].entries()) {
        await db.run(
          `INSERT INTO predictive_models (id, name, model_type, algorithm_type, status, version, created_at, updated_at)
           VALUES ($id::UUID, $name, 'INCIDENT_PREDICTION', 'PROPHET', $status, '1', $now, $now)`,
          { id: n === 0 ? modelId : crypto.randomUUID(), name: `model ${n}`, status, now },
        );
      }
      const rows: [keyof typeof ids, string, string, number, boolean, number | null, number | null][] = [
        ['A', 'INCIDENT_FORECAST', 'HIGH', 0.9, false, 0.8, day],
        ['B', 'SEVERITY_RISK', 'MEDIUM', 0.6, true, null, day],
        ['C', 'ESCALATION_RISK', 'LOW', 0.3, false, null, day],
        ['D', 'INCIDENT_FORECAST', 'HIGH', 0.85, false, 0.9, -2 * day],
        ['E', 'RESOLUTION_DELAY', 'MEDIUM', 0.55, false, null, null],
      ];
      for (const [name, type, level, score, acknowledged, accuracy, expiresIn] of rows) {
        await db.run(
          `INSERT INTO predictive_insights (id, model_id, model_version, insight_type, title, description,
             prediction_value, confidence_level, confidence_score, predicted_at, prediction_window_start,
             prediction_window_end, is_acknowledged, is_validated, validated_at, accuracy, expires_at, created_at)
           VALUES ($id::UUID, $model::UUID, '1', $type, $title, 'described', '{"value": 42, "unit": "count"}', $level,
             $score, $predicted, $predicted, $end, $acknowledged, $validated, $validatedAt, $accuracy, $expires, $predicted)`,
          {
            id: ids[name],
            model: modelId,
            type,
            title: `insight ${name}`,
            level,
            score,
            // Older letters first: A is the oldest, so the default newest-first order is E, D, C, B, A.
            predicted: new Date(now.getTime() - (10 - name.charCodeAt(0) + 65) * 3_600_000),
            end: new Date(now.getTime() + day),
            acknowledged,
            validated: accuracy !== null,
            validatedAt: accuracy === null ? null : now,
            accuracy,
            expires: expiresIn === null ? null : new Date(now.getTime() + expiresIn),
          },
        );
      }
    },
  });
});
afterAll(async () => {
  await server.close();
  await server.engine.close();
});

const base = '/api/analytics/predictive-insights/';

interface Insight {
  id: string;
  prediction_window_start: string | null;
  prediction_window_end: string | null;
  title: string;
  model: string | null;
  model_version: string | null;
  insight_type: string;
  prediction_value: unknown;
  is_acknowledged: boolean;
  acknowledged_by: string | null;
  acknowledged_at: string | null;
  is_expired: boolean;
}
interface PageBody {
  count: number;
  results: Insight[];
}

async function titles(query: string): Promise<string[]> {
  const res = await server.fetch(`${base}${query}`, { as: 'viewer' });
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as PageBody).results.map((i) => i.title.replace('insight ', '')).sort();
}

describe('/api/analytics/predictive-insights/', () => {
  it('lists the insights that have not expired, each with its model and version', async () => {
    const res = await server.fetch(base, { as: 'viewer' });
    const body = (await res.json()) as PageBody;
    expect(body.count).toBe(4);
    expect(body.results[0]).toMatchObject({
      model: modelId,
      model_version: '1',
      prediction_value: { value: 42, unit: 'count' },
      is_expired: false,
    });
    expect(await titles('?include_expired=true')).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(await titles('?include_expired=false')).toEqual(['A', 'B', 'C', 'E']);
  });

  it('filters by insight_type, confidence_level, is_acknowledged and is_validated', async () => {
    expect(await titles('?insight_type=INCIDENT_FORECAST')).toEqual(['A']);
    expect(await titles('?insight_type=INCIDENT_FORECAST&include_expired=true')).toEqual(['A', 'D']);
    expect(await titles('?confidence_level=MEDIUM')).toEqual(['B', 'E']);
    expect(await titles('?is_acknowledged=true')).toEqual(['B']);
    expect(await titles('?is_acknowledged=false')).toEqual(['A', 'C', 'E']);
    expect(await titles('?is_validated=true&include_expired=true')).toEqual(['A', 'D']);
    expect(await titles('?is_validated=false&confidence_level=LOW')).toEqual(['C']);
  });

  it('refuses a value a filter cannot take, naming the parameter', async () => {
    for (const [query, parameter] of [
      ['?insight_type=WEATHER', 'insight_type'],
      ['?confidence_level=high-ish', 'confidence_level'],
      ['?include_expired=maybe', 'include_expired'],
      ['?is_validated=2', 'is_validated'],
    ] as const) {
      const res = await server.fetch(`${base}${query}`, { as: 'viewer' });
      expect(res.status, query).toBe(400);
      const body = (await res.json()) as { error: string; code: string };
      expect(body.code).toBe('VALIDATION_ERROR');
      expect(body.error).toContain(parameter);
    }
  });

  it("summarises with exactly the spec's fields, worked by hand from the table above", async () => {
    const res = await server.fetch(`${base}summary/`, { as: 'viewer' });
    expect(res.status).toBe(200);
    const summary = await res.json();
    expect(summary).toEqual({
      total_insights: 5,
      high_confidence_insights: 2,
      medium_confidence_insights: 2,
      low_confidence_insights: 1,
      acknowledged_insights: 1,
      validated_insights: 2,
      expired_insights: 1,
      // (0.80 + 0.90) / 2
      average_accuracy: '0.85',
      active_models: 2,
    });
  });

  it('shows one insight, an expired one too, and 404 for an unknown id', async () => {
    const res = await server.fetch(`${base}${ids.D}/`, { as: 'viewer' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      id: ids.D,
      is_expired: true,
      insight_type: 'INCIDENT_FORECAST',
    });
    const missing = await server.fetch(`${base}00000000-0000-4000-8000-000000000999/`, { as: 'viewer' });
    expect(missing.status).toBe(404);
  });

  it('acknowledges for analysts, recording who and when; viewers get 403', async () => {
    const viewer = await server.fetch(`${base}${ids.C}/acknowledge/`, { method: 'POST', as: 'viewer' });
    expect(viewer.status).toBe(403);
    const extra = await server.fetch(`${base}${ids.C}/acknowledge/`, {
      method: 'POST',
      as: 'analyst',
      json: { note: 'seen' },
    });
    expect(extra.status).toBe(400);
    expect(
      ((await server.fetch(`${base}${ids.C}/`, { as: 'viewer' }).then((r) => r.json())) as Insight)
        .is_acknowledged,
    ).toBe(false);

    const res = await server.fetch(`${base}${ids.C}/acknowledge/`, { method: 'POST', as: 'analyst' });
    expect(res.status).toBe(200);
    const analyst = (await (await server.fetch('/api/auth/me/', { as: 'analyst' })).json()) as { id: string };
    expect(await res.json()).toMatchObject({
      id: ids.C,
      is_acknowledged: true,
      acknowledged_by: analyst.id,
      acknowledged_at: now.toISOString(),
    });
    expect(await titles('?is_acknowledged=true')).toEqual(['B', 'C']);
  });

  it('shows the insights a trained model makes: a forecast of tomorrow and of the next week', async () => {
    const post = async (path: string, json: unknown) => {
      const res = await server.fetch(path, { method: 'POST', as: 'analyst', json });
      expect(res.status, await res.clone().text()).toBeLessThan(300);
      return (await res.json()) as { id: string };
    };
    const finished = async (jobId: string) => {
      for (let waited = 0; waited < 50_000; waited += 100) {
        const job = (await (await server.fetch(`/api/jobs/${jobId}/`, { as: 'viewer' })).json()) as {
          status: string;
          error: unknown;
        };
        if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(job.status)) return job;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`job ${jobId} did not finish`);
    };
    const model = await post('/api/analytics/predictive-models/', {
      name: 'Daily incidents',
      model_type: 'INCIDENT_PREDICTION',
      algorithm_type: 'PROPHET',
    });
    const training = await post(`/api/analytics/predictive-models/${model.id}/train/`, {});
    expect(await finished(training.id)).toMatchObject({ status: 'SUCCEEDED', error: null });
    const generating = await post('/api/jobs/', {
      kind: 'generate_insights',
      parameters: { model_id: model.id },
    });
    expect(await finished(generating.id)).toMatchObject({ status: 'SUCCEEDED', error: null });

    const res = await server.fetch(`${base}?insight_type=INCIDENT_FORECAST&ordering=prediction_window_end`, {
      as: 'viewer',
    });
    const made = ((await res.json()) as PageBody).results.filter((i) => i.model === model.id);
    // Tomorrow is 2026-03-02 (UTC), the day after the pinned clock; the week runs 7 days from it.
    expect(
      made.map((i) => [i.model_version, i.prediction_window_start, i.prediction_window_end, i.is_expired]),
    ).toEqual([
      ['1', '2026-03-02T00:00:00.000Z', '2026-03-03T00:00:00.000Z', false],
      ['1', '2026-03-02T00:00:00.000Z', '2026-03-09T00:00:00.000Z', false],
    ]);
    for (const insight of made) {
      expect(insight.prediction_value).toMatchObject({
        value: expect.any(Number),
        lower: expect.any(Number),
      });
    }
  }, 60_000);
});
