import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertIncidents, stormFixture } from '../../../test/support/anomaly-fixtures.ts';
import { type Engine, openEngine } from '../src/index.ts';
import { internalContext } from '../src/internal.ts';

// The storm fixture: 35 days of seeded background incidents and 30 planted incidents for checkout
// between 2026-03-09T14:00 and 15:00 UTC (see test/support/anomaly-fixtures.ts).
const fixture = stormFixture();
const end = fixture.end;
const storm = { start: fixture.stormStart, end: fixture.stormEnd };
let engine: Engine;
let stormIds: string[] = [];

beforeAll(async () => {
  engine = await openEngine({
    path: ':memory:',
    now: () => new Date('2026-03-10T00:05:00Z'),
    workers: { threads: 1 },
  });
  await insertIncidents(internalContext(engine).db, fixture.background);
  stormIds = await insertIncidents(internalContext(engine).db, fixture.storm);
});
afterAll(async () => {
  await engine.close();
});

describe('running anomaly detection over incidents', () => {
  it('finds the planted storm as one anomaly with the spec record filled, and emits one event per anomaly', async () => {
    const progress: string[] = [];
    const result = await engine.anomalies.run({ end, windowHours: 48, onProgress: (m) => progress.push(m) });
    expect(progress.length).toBeGreaterThan(3);
    expect(result.anomaliesCreated).toBeGreaterThanOrEqual(1);
    const page = await engine.anomalies.list({ pageSize: 100 });
    const near = page.results.filter(
      (a) =>
        a.affected_services.includes('checkout') &&
        a.time_window_start < storm.end &&
        a.time_window_end > storm.start,
    );
    // One storm is one anomaly of incident volume, not one per series and detector; the change it
    // makes to checkout's severity mix over the days around it is a different kind of finding, a
    // BEHAVIORAL one, which merging keeps apart.
    const overlapping = near.filter((a) => a.affected_metrics.includes('INCIDENT_COUNT'));
    expect(overlapping).toHaveLength(1);
    for (const other of near.filter((a) => !overlapping.includes(a)))
      expect(other.anomaly_type).toBe('BEHAVIORAL');
    const a = overlapping[0]!;
    expect(a.status).toBe('DETECTED');
    expect(a.related_incidents).toEqual(expect.arrayContaining(stormIds));
    expect(a.affected_metrics).toContain('INCIDENT_COUNT');
    expect(a.confidence_score).toBeGreaterThan(0.99);
    expect(a.anomaly_score).toBeGreaterThan(a.threshold_used ?? Number.POSITIVE_INFINITY);
    // 30 storm incidents plus checkout's background in that hour; its rate is about 0.75 an hour then.
    expect(a.description).toMatch(
      /^\d+ incidents for checkout on 2026-03-09 between 14:00 and 15:00 UTC; expected/,
    );
    expect(a.severity).toBe('CRITICAL');
    expect(a.metadata).toMatchObject({ series_key: a.series_key, expected: expect.any(Number) });
    expect(a.model).toBe(result.modelId);
    const model = await internalContext(engine).db.one(
      'SELECT model_type, algorithm_type, is_system_model FROM predictive_models WHERE id = $id::UUID',
      { id: result.modelId },
    );
    expect(model).toEqual({
      model_type: 'ANOMALY_DETECTION',
      algorithm_type: 'ISOLATION_FOREST',
      is_system_model: true,
    });
    const events = await engine.events.after(0, { types: ['ANOMALY_DETECTED'] });
    expect(events.map((e) => e.payload['id']).sort()).toEqual(page.results.map((r) => r.id).sort());
  });

  it('adds nothing and emits nothing when re-run over the same window', async () => {
    const before = await engine.events.after(0);
    const count = (await engine.anomalies.list()).count;
    const again = await engine.anomalies.run({ end, windowHours: 48 });
    expect(again.anomaliesCreated).toBe(0);
    expect(again.duplicatesSkipped).toBeGreaterThan(0);
    expect((await engine.anomalies.list()).count).toBe(count);
    expect(await engine.events.after(0)).toHaveLength(before.length);
  });

  it('applies a user threshold as a THRESHOLD anomaly', async () => {
    await engine.anomalies.thresholds.create({
      name: 'payments daily cap',
      series: 'incident_count:day:service=payments',
      kind: 'STATIC',
      upper: 2,
    });
    const result = await engine.anomalies.run({ end, windowHours: 24 });
    const found = await engine.anomalies.list({ filters: { anomaly_type: 'THRESHOLD' } });
    expect(result.anomaliesCreated).toBeGreaterThanOrEqual(1);
    expect(found.results.some((a) => a.series_key === 'incident_count:day:service=payments')).toBe(true);
  });

  it('runs the detectors on series the caller holds, many at once through the pool', async () => {
    // Two hourly series of 500 points alternating 10 and 12; the second has 60 at point 300.
    const timestamps = Float64Array.from({ length: 500 }, (_, i) => Date.UTC(2026, 0, 1) + i * 3_600_000);
    const flat = Float64Array.from({ length: 500 }, (_, i) => (i % 2 ? 12 : 10));
    const spiked = flat.slice();
    spiked[300] = 60;
    const found = await engine.anomalies.detect(
      [
        { key: 'flat', timestamps, values: flat },
        { key: 'spiked', timestamps, values: spiked },
      ],
      { methods: ['robust_z'] },
    );
    expect(found.map((d) => d.seriesKey)).toEqual(['spiked']);
    expect(found[0]).toMatchObject({ start: timestamps[300], end: timestamps[300], observed: 60 });
    expect(found[0]?.score).toBeGreaterThan(found[0]?.threshold ?? Number.POSITIVE_INFINITY);
  });

  it('refuses an unknown model and a bad window without writing anything', async () => {
    const count = (await engine.anomalies.list()).count;
    await expect(engine.anomalies.run({ modelId: crypto.randomUUID() })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(engine.anomalies.run({ windowHours: 0 })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
    });
    expect((await engine.anomalies.list()).count).toBe(count);
  });

  it('does not read the days before the data as quiet days when the window reaches past them', async () => {
    // The fixture's 35 days of data; a 60-day window starts 25 days before the first incident.
    const first = await internalContext(engine).db.one<{ t: Date }>(
      'SELECT min(created_at) AS t FROM incidents',
    );
    const firstFullDay = Math.ceil(first!.t.getTime() / 86_400_000) * 86_400_000;
    await engine.anomalies.run({ end, windowHours: 60 * 24 });
    const page = await engine.anomalies.list({ pageSize: 100 });
    for (const a of page.results) expect(a.time_window_start.getTime()).toBeGreaterThanOrEqual(firstFullDay);
  });
});
