import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { end, loadHandIncidents } from '../../../../test/support/kpi-fixtures.ts';
import { type Engine, openEngine } from '../../src/index.ts';

describe('the KPI metric list stays fresh when a calculation writes measurements', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openEngine({ path: ':memory:', now: () => new Date('2024-01-02T00:30:00Z') });
    await loadHandIncidents(engine);
  });
  afterAll(async () => {
    await engine.close();
  });

  it('shows the new measurement on the next identical read', async () => {
    const request = { filters: { metric_type: 'MTTR', is_system_metric: true } };
    const before = (await engine.kpis.list(request)).results[0];
    expect(before?.measurement_count).toBe(0);
    expect((await engine.kpis.list(request)).results[0]?.measurement_count).toBe(0); // a remembered answer
    if (!before) throw new Error('the MTTR system metric exists from the first open');
    await engine.kpis.calculate(before.id, { end });
    const after = (await engine.kpis.list(request)).results[0];
    expect(after?.measurement_count).toBe(1);
    expect(after?.latest_measurement).not.toBeNull();
  });

  it('keeps other filters apart', async () => {
    const mttr = await engine.kpis.list({ filters: { metric_type: 'MTTR', is_system_metric: true } });
    const mtta = await engine.kpis.list({ filters: { metric_type: 'MTTA', is_system_metric: true } });
    expect(mttr.results.map((m) => m.metric_type)).toEqual(['MTTR']);
    expect(mtta.results.map((m) => m.metric_type)).toEqual(['MTTA']);
    expect((await engine.kpis.list({ pageSize: 100 })).count).toBe(8); // one system metric per type but CUSTOM
  });
});
