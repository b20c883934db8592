import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertIncidents, stormFixture } from '../../../../../test/support/anomaly-fixtures.ts';
import { assessImpacts } from '../../../src/anomaly/explain/impact.ts';
import { explainInputs, persistGroups } from '../../../src/anomaly/persist/anomaly-persist.ts';
import type { AnomalyDraft } from '../../../src/anomaly/run/anomaly-merge.ts';
import { type Engine, openEngine } from '../../../src/index.ts';
import { internalContext } from '../../../src/internal.ts';

// The storm fixture: 35 days of seeded background incidents and 30 planted HIGH/CRITICAL checkout
// incidents between 2026-03-09T14:00 and 15:00 UTC, never resolved (test/support/anomaly-fixtures.ts).
const fixture = stormFixture();
const end = fixture.end;
let engine: Engine;
let stormIds: string[] = [];

beforeAll(async () => {
  engine = await openEngine({
    path: ':memory:',
    now: () => new Date('2026-03-10T00:05:00Z'),
    workers: { threads: 1 },
  });
  await insertIncidents(internalContext(engine).db, fixture.background);
  // 500 users each for the storm's incidents.
  stormIds = await insertIncidents(
    internalContext(engine).db,
    fixture.storm.map((i) => ({ ...i, affected_users: 500 })),
  );
  await engine.costs.createContract({
    name: 'checkout daily',
    service: 'checkout',
    period: 'DAY',
    availability_target: 99.9,
    penalty_tiers: [{ below: 99.9, amount: '1000.00' }],
    currency: 'USD',
    effective_from: '2024-01-01T00:00:00Z',
  });
});
afterAll(async () => {
  await engine.close();
});

describe('a run explains the anomalies it stores', () => {
  it('stores the impact and the root cause of a planted storm, in the record, the metadata and the event', async () => {
    await engine.anomalies.run({ end, windowHours: 48 });
    const page = await engine.anomalies.list({ pageSize: 100 });
    const storm = page.results.find(
      (a) => a.affected_metrics.includes('INCIDENT_COUNT') && a.related_incidents.includes(stormIds[0]!),
    );
    expect(storm).toBeDefined();
    const a = storm!;
    expect(a.root_cause_analysis).toEqual(expect.any(String));
    expect(a.root_cause_analysis).not.toBe('');
    expect(a.metadata['root_cause']).toEqual(expect.any(Object));
    expect(a.impact_assessment).toMatch(
      /^\d+ incidents, [\d,]+ users affected, [\d.]+ h of downtime on checkout/,
    );
    const impact = a.metadata['impact'] as Record<string, unknown>;
    // Every related incident is counted once; the storm's 30 bring 30 × 500 users (background
    // incidents have none).
    expect(impact['incidents']).toBe(a.related_incidents.length);
    expect(impact['affected_users']).toBe(15_000);
    // The storm's CRITICAL incidents are open outages from 14:00 on: the checkout day is breached.
    expect(impact['sla']).toEqual([
      expect.objectContaining({ name: 'checkout daily', status: 'BREACHED', availability_target: 99.9 }),
    ]);
    expect(impact['severity_floor']).toBe('HIGH');
    const events = await engine.events.after(0, { types: ['ANOMALY_DETECTED'] });
    const event = events.find((e) => e.payload['id'] === a.id);
    expect(event?.payload).toMatchObject({
      root_cause_analysis: a.root_cause_analysis,
      impact_assessment: a.impact_assessment,
    });
  });

  it('changes nothing when re-run over the same window', async () => {
    const before = (await engine.anomalies.list({ pageSize: 100 })).results;
    const eventsBefore = await engine.events.after(0);
    const again = await engine.anomalies.run({ end, windowHours: 48 });
    expect(again.anomaliesCreated).toBe(0);
    expect((await engine.anomalies.list({ pageSize: 100 })).results).toEqual(before);
    expect(await engine.events.after(0)).toHaveLength(eventsBefore.length);
  });

  it('never stores an anomaly that breaches an SLA as LOW', async () => {
    // A weak detection (score 1.2 × threshold, confidence 0.95: LOW by score) on the storm's hour.
    const weak: AnomalyDraft = {
      anomalyType: 'STATISTICAL',
      seriesKey: 'test:weak-checkout',
      rank: 0,
      score: 1.2,
      threshold: 1,
      confidence: 0.95,
      windowStart: fixture.stormStart.getTime(),
      windowEnd: fixture.stormEnd.getTime(),
      relatedIncidents: stormIds.slice(0, 3),
      affectedServices: ['checkout'],
      affectedMetrics: ['INCIDENT_COUNT'],
      description: 'weak',
      impact: { criticalCount: 0, highCount: 0, affectedUsers: 0 },
      metadata: { method: 'test' },
    };
    const groups = [{ primary: weak, members: [weak] }];
    const context = internalContext(engine);
    const inputs = await explainInputs(groups);
    const range = {
      from: new Date('2026-02-05T00:00:00Z'),
      start: new Date('2026-03-08T00:00:00Z'),
      to: end,
    };
    const [impact] = await assessImpacts(context, inputs, range);
    expect(impact?.severityFloor).toBe('HIGH');
    const plain = await persistGroups(context.db, context.events, groups, crypto.randomUUID(), end);
    expect((await engine.anomalies.get(plain.created[0]!)).severity).toBe('LOW');
    await context.db.run("DELETE FROM anomaly_detections WHERE series_key = 'test:weak-checkout'");
    const explained = await persistGroups(context.db, context.events, groups, crypto.randomUUID(), end, [
      { rootCause: null, impact: impact ?? null },
    ]);
    const stored = await engine.anomalies.get(explained.created[0]!);
    expect(stored.severity).toBe('HIGH');
    expect(stored.impact_assessment).toBe(impact?.text);
    expect(stored.root_cause_analysis).toBeNull();
  });
});
