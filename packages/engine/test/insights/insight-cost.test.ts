import { afterEach, describe, expect, it } from 'vitest';
import { type Engine, openEngine } from '../../src/index.ts';
import { internalContext } from '../../src/internal.ts';
import { insertIncidents, insertModel, insightServiceWith } from './insight-fixtures.ts';

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

describe('cost forecasts', () => {
  it('sums the predicted cost of the open incidents per service and checks it against the cost analyses', async () => {
    let clock = new Date('2024-03-08T10:00:00Z');
    engine = await openEngine({ path: ':memory:', now: () => clock, workers: { threads: 1 } });
    const open = { created_at: '2024-03-08T08:00:00', status: 'OPEN', resolved_at: null };
    const ids = await insertIncidents(engine, [
      { ...open, external_id: 'X', service: 'checkout' },
      { ...open, external_id: 'Y', service: 'checkout' },
      { ...open, external_id: 'Z', service: 'search' },
    ]);
    const [X, Y, Z] = ['X', 'Y', 'Z'].map((name) => ids.get(name) as string);
    const model = await insertModel(engine, { name: 'Cost', type: 'COST_PREDICTION', version: '2' });
    const insights = insightServiceWith(engine, {
      forecastCounts: async () => [],
      predict: async () => ({
        predictions: [
          { incident_id: X, value: 1000, lower: 800, upper: 1500 },
          { incident_id: Y, value: 500, lower: 300, upper: 700 },
          { incident_id: Z, value: 0, lower: 0, upper: 0 }, // nothing to tell about search
        ],
      }),
    });
    expect(await insights.generate()).toMatchObject({ created: 1, byType: { COST_FORECAST: 1 } });
    const [cost] = (await insights.list()).results;
    // 1000 + 500 = 1500 between 800 + 300 = 1100 and 1500 + 700 = 2200;
    // confidence 1 / (1 + 1100 / 3000) = 0.7317 (by hand).
    expect(cost?.title).toBe('Open incidents on checkout expected to cost 1,500 USD');
    expect(cost?.description).toBe(
      'The model "Cost" expects the 2 open incidents on checkout to cost 1,500 USD (between 1,100 and 2,200).',
    );
    expect(cost?.prediction_value).toMatchObject({ value: 1500, lower: 1100, upper: 2200, unit: 'USD' });
    expect(cost?.prediction_value).not.toHaveProperty('probability');
    expect(cost?.confidence_score).toBeCloseTo(3000 / 4100, 10);
    expect([cost?.confidence_level, cost?.model, cost?.model_version, cost?.related_incidents]).toEqual([
      'MEDIUM',
      model,
      '2',
      [X, Y],
    ]);

    // The cost analyses written since: 900 for X, 300 for Y: actual 1200, accuracy 1 - 300 / 1500 = 0.8.
    await internalContext(engine).db.run(
      `INSERT INTO cost_analyses (id, incident_id, cost_type, cost_amount, created_at, updated_at)
       VALUES (uuid(), $x::UUID, 'DOWNTIME', 900, $now, $now), (uuid(), $y::UUID, 'LABOR', 300, $now, $now)`,
      { x: X, y: Y, now: clock },
    );
    clock = new Date('2024-03-09T11:00:00Z');
    expect(await insights.validateDue()).toBe(1);
    const validated = await insights.get(cost?.id as string);
    expect(validated.actual_value).toEqual({ value: 1200, unit: 'USD' });
    expect(validated.accuracy).toBeCloseTo(0.8, 10);
  });
});
