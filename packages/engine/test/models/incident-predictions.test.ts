import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Engine, type IncidentRecord, openEngine, severities } from '../../src/index.ts';
import { internalContext } from '../../src/internal.ts';
import { loadSyntheticIncidents } from '../../src/synth/loader.ts';

// 1,500 seeded synthetic incidents over the 30 days before a pinned clock; the clock moves only
// where a test says so, so every predicted_at is known.
const start = new Date('2025-01-01T00:00:00Z');
let clock = start;
let engine: Engine;

/** A small forest of `modelType`, trained on the demo data (seconds). */
async function trained(
  modelType: 'SEVERITY_PREDICTION' | 'ESCALATION_PREDICTION' | 'RESOLUTION_TIME_PREDICTION',
) {
  const model = await engine.models.create({
    name: `${modelType} for incident records`,
    model_type: modelType,
    algorithm_type: 'RANDOM_FOREST',
    model_config: { n_estimators: 10, max_depth: 5 },
    training_data_period_days: 30,
  });
  const outcome = await engine.models.trainNow(model.id);
  expect([modelType, outcome.error, outcome.status]).toEqual([modelType, undefined, 'ACTIVE']);
  return model.id;
}

/**
 * What `incident_predictions` holds for `id`, read straight from the table and put in the shape the
 * incident record documents: the stored JSON value, then model, version (text) and predicted_at.
 */
async function storedPredictions(id: string): Promise<Record<string, unknown> | null> {
  const rows = await internalContext(engine).db.all(
    `SELECT prediction_type, value::VARCHAR AS value, model_id::VARCHAR AS model, version, predicted_at
     FROM incident_predictions WHERE incident_id = $id::UUID`,
    { id },
  );
  if (rows.length === 0) return null;
  return Object.fromEntries(
    rows.map((r) => [
      String(r['prediction_type']),
      {
        ...(JSON.parse(String(r['value'])) as Record<string, unknown>),
        model: String(r['model']),
        version: String(r['version']),
        predicted_at: r['predicted_at'],
      },
    ]),
  );
}

const newest = async (pageSize = 20) => (await engine.incidents.list({ pageSize })).results;

beforeAll(async () => {
  engine = await openEngine({ path: ':memory:', now: () => clock, workers: { threads: 2 } });
  await loadSyntheticIncidents(engine, { seed: 5, count: 1500, days: 30 });
}, 60_000);
afterAll(async () => {
  await engine.close();
});

describe('predictions stored on incidents appear in their records', () => {
  let severityModel: string;

  it('shows predictions: null on every incident before any model has scored it', async () => {
    const page = await newest();
    expect(page).toHaveLength(20);
    expect(page.every((incident) => incident.predictions === null)).toBe(true);
    expect((await engine.incidents.get(page[0]?.id as string)).predictions).toBeNull();
  });

  it('shows only the kinds predicted: a severity model alone gives a record with `severity` only', async () => {
    severityModel = await trained('SEVERITY_PREDICTION');
    const [incident] = await newest(1);
    const id = incident?.id as string;
    expect(await engine.models.scoreIncidents([id])).toBe(1);

    const record = await engine.incidents.get(id);
    expect(Object.keys(record.predictions ?? {})).toEqual(['severity']);
    const severity = record.predictions?.severity;
    expect(severity?.model).toBe(severityModel);
    expect(severity?.version).toBe('1');
    expect(severity?.predicted_at).toEqual(start);
    expect(severities).toContain(severity?.label);
    const probabilities = Object.values(severity?.probabilities ?? {});
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    // The label is the most probable class.
    expect(severity?.probabilities[severity.label]).toBe(Math.max(...probabilities));
    expect(record.predictions).toEqual(await storedPredictions(id));
  }, 60_000);

  it('after score_incidents, GET and the list show exactly what is stored, and null for an unscored incident', async () => {
    const escalationModel = await trained('ESCALATION_PREDICTION');
    const resolutionModel = await trained('RESOLUTION_TIME_PREDICTION');
    const runner = engine.jobs.startRunner({ pollMs: 10, schedules: false });
    try {
      const { job } = await engine.jobs.submit({ kind: 'score_incidents', parameters: { limit: 30 } });
      const done = await engine.jobs.wait(job.id);
      expect([done.status, done.error]).toEqual(['SUCCEEDED', null]);
      // Per model the 30 newest incidents without a prediction of its kind: 3 x 30.
      expect(done.result).toMatchObject({ scored: 90, models: 3 });
    } finally {
      await runner.stop();
    }
    // An incident created after the run has not been scored.
    const unscored = await engine.incidents.create({
      title: 'Checkout latency',
      severity: 'HIGH',
      created_at: '2024-12-31T23:59:59Z',
    });
    expect(unscored.predictions).toBeNull();

    const page = await newest();
    expect(page[0]?.id).toBe(unscored.id);
    expect(page[0]?.predictions).toBeNull();
    for (const incident of page.slice(1)) {
      expect(Object.keys(incident.predictions ?? {})).toEqual(['severity', 'escalation', 'resolution_time']);
      expect(incident.predictions).toEqual(await storedPredictions(incident.id));
      expect(await engine.incidents.get(incident.id)).toEqual(incident);
    }
    const scored = page[1] as IncidentRecord;
    const { escalation, resolution_time } = scored.predictions ?? {};
    expect([escalation?.model, escalation?.version]).toEqual([escalationModel, '1']);
    expect(escalation?.probability).toBeGreaterThanOrEqual(0);
    expect(escalation?.probability).toBeLessThanOrEqual(1);
    expect(escalation?.label).toBe((escalation?.probability ?? 0) > 0.5 ? 'true' : 'false');
    expect([resolution_time?.model, resolution_time?.unit]).toEqual([resolutionModel, 'hours']);
    expect(resolution_time?.lower).toBeLessThanOrEqual(resolution_time?.value as number);
    expect(resolution_time?.upper).toBeGreaterThanOrEqual(resolution_time?.value as number);
    // The same values as the models capability reads them.
    const viaModels = (await engine.models.predictionsFor([scored.id]))[scored.id];
    expect(escalation?.probability).toBe(viaModels?.['escalation']?.value['probability']);
    expect(resolution_time?.value).toBe(viaModels?.['resolution_time']?.value['value']);
  }, 60_000);

  it('reads the predictions of a page in one call for its ids, never one per incident', async () => {
    const read = vi.spyOn(engine.models, 'predictionsFor');
    try {
      const page = await engine.incidents.list({ pageSize: 20, ordering: 'created_at' });
      expect(read).toHaveBeenCalledTimes(1);
      expect(read.mock.calls[0]?.[0]).toEqual(page.results.map((i) => i.id));
    } finally {
      read.mockRestore();
    }
  });

  it('shows the new prediction after a re-score, one per kind, and keeps them through an update', async () => {
    const [, incident] = await newest(2);
    const id = incident?.id as string;
    clock = new Date('2025-01-01T01:00:00Z');
    try {
      expect(await engine.models.scoreIncidents([id])).toBe(3);
      const record = await engine.incidents.get(id);
      for (const kind of ['severity', 'escalation', 'resolution_time'] as const) {
        expect(record.predictions?.[kind]?.predicted_at).toEqual(clock);
      }
      expect(record.predictions).toEqual(await storedPredictions(id));
      const count = await internalContext(engine).db.one(
        'SELECT count(*)::INTEGER AS n FROM incident_predictions WHERE incident_id = $id::UUID',
        { id },
      );
      expect(count?.['n']).toBe(3);

      const updated = await engine.incidents.update(id, { title: 'Renamed incident' });
      expect(updated.title).toBe('Renamed incident');
      expect(updated.predictions).toEqual(record.predictions);
    } finally {
      clock = start;
    }
  }, 60_000);
});
