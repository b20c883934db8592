import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertAnomaly } from '../../../../test/support/anomaly-fixtures.ts';
import { resolveAnomalyModel } from '../../src/anomaly/persist/anomaly-model.ts';
import { type Engine, openEngine } from '../../src/index.ts';
import { internalContext } from '../../src/internal.ts';

const clock = new Date('2026-03-10T12:00:00Z');
let engine: Engine;

beforeEach(async () => {
  engine = await openEngine({ path: ':memory:', now: () => clock });
});
afterEach(async () => {
  await engine.close();
});

/** Stores `n` anomalies under the model `modelId`; returns their ids. */
async function anomaliesOf(modelId: string, n: number): Promise<string[]> {
  const db = internalContext(engine).db;
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = await insertAnomaly(db, { severity: 'HIGH', detected_at: clock });
    await db.run('UPDATE anomaly_detections SET model_id = $m::UUID WHERE id = $id::UUID', {
      m: modelId,
      id,
    });
    ids.push(id);
  }
  return ids;
}

describe('the performance of the system anomaly model', () => {
  it('reports the reviews of its anomalies, since it is configured rather than trained', async () => {
    const system = await resolveAnomalyModel(internalContext(engine).db, clock);
    expect((await engine.models.get(system.id)).version).toBe('1');
    const [confirmed, rejected, confirmedToo] = await anomaliesOf(system.id, 4);
    await engine.anomalies.confirm(confirmed as string);
    await engine.anomalies.markFalsePositive(rejected as string);
    await engine.anomalies.confirm(confirmedToo as string);
    // A resolved anomaly keeps its review outcome.
    await engine.anomalies.resolve(confirmedToo as string, {});

    const performance = await engine.models.performance(system.id);
    // Worked by hand: 4 stored, 3 reviewed, 2 of them confirmed.
    expect(performance.metrics).toMatchObject({
      detections: 4,
      reviews: { detections: 4, reviewed: 3, confirmed: 2, false_positives: 1, review_precision: 2 / 3 },
    });
    expect(performance.scores).toEqual({
      accuracy_score: null,
      precision_score: 2 / 3,
      recall_score: null,
      f1_score: null,
    });
    expect(performance).toMatchObject({ task: 'anomaly', model_id: system.id, beats_baseline: null });
    expect(performance.verdict).toContain('2 of the 3 anomalies reviewed were confirmed (66.7%)');
  });

  it('says so when nothing is reviewed yet', async () => {
    const system = await resolveAnomalyModel(internalContext(engine).db, clock);
    await anomaliesOf(system.id, 2);
    const performance = await engine.models.performance(system.id);
    expect(performance.scores.precision_score).toBeNull();
    expect(performance.verdict).toContain('none of its 2 stored anomalies has been reviewed yet');
  });
});
