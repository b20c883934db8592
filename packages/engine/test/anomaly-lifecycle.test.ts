import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertAnomaly } from '../../../test/support/anomaly-fixtures.ts';
import { type Engine, EngineError, openEngine } from '../src/index.ts';
import { internalContext } from '../src/internal.ts';

let clock = new Date('2026-03-10T12:00:00Z');
let engine: Engine;
const user = '11111111-1111-4111-8111-111111111111';
const advance = (seconds: number) => {
  clock = new Date(clock.getTime() + seconds * 1000);
};

beforeEach(async () => {
  clock = new Date('2026-03-10T12:00:00Z');
  engine = await openEngine({ path: ':memory:', now: () => clock });
});
afterEach(async () => {
  await engine.close();
});

async function conflict(action: Promise<unknown>): Promise<EngineError> {
  const error = await action.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EngineError);
  expect((error as EngineError).code).toBe('CONFLICT');
  return error as EngineError;
}

describe('the anomaly lifecycle', () => {
  it('walks DETECTED → INVESTIGATING → CONFIRMED → RESOLVED recording who, when and the resolution', async () => {
    const id = await insertAnomaly(internalContext(engine).db, { severity: 'HIGH', detected_at: clock });
    advance(600);
    const acked = await engine.anomalies.acknowledge(id, { by: user });
    expect(acked.status).toBe('INVESTIGATING');
    expect(acked.acknowledged_at?.toISOString()).toBe('2026-03-10T12:10:00.000Z');
    expect(acked.acknowledged_by).toBe(user);
    const confirmed = await engine.anomalies.confirm(id, { by: user });
    expect(confirmed.status).toBe('CONFIRMED');
    expect(confirmed.review_outcome).toBe('CONFIRMED');
    advance(3600);
    const resolved = await engine.anomalies.resolve(id, {
      resolvedBy: user,
      rootCauseAnalysis: 'Bad deploy of checkout 4.2',
      impactAssessment: '12% of orders failed for 40 minutes',
      actionsTaken: ['rolled back', 'added canary'],
    });
    expect(resolved.status).toBe('RESOLVED');
    expect(resolved.resolved_at?.toISOString()).toBe('2026-03-10T13:10:00.000Z');
    expect(resolved.resolved_by).toBe(user);
    expect(resolved.root_cause_analysis).toBe('Bad deploy of checkout 4.2');
    expect(resolved.impact_assessment).toBe('12% of orders failed for 40 minutes');
    // Each entry with when and who (the user id: no user of that id exists to name).
    expect(resolved.actions_taken).toEqual([
      `2026-03-10T13:10:00.000Z ${user}: rolled back`,
      `2026-03-10T13:10:00.000Z ${user}: added canary`,
    ]);
    expect(resolved.review_outcome).toBe('CONFIRMED');
  });

  it('refuses illegal transitions with CONFLICT and leaves the anomaly unchanged', async () => {
    const id = await insertAnomaly(internalContext(engine).db, { severity: 'LOW', detected_at: clock });
    await engine.anomalies.acknowledge(id);
    const error = await conflict(engine.anomalies.acknowledge(id));
    expect(error.details).toMatchObject({ status: 'INVESTIGATING', action: 'acknowledge' });
    await engine.anomalies.markFalsePositive(id);
    await conflict(engine.anomalies.confirm(id));
    await conflict(engine.anomalies.acknowledge(id));
    await engine.anomalies.resolve(id, { actionsTaken: 'closed as noise' });
    await conflict(engine.anomalies.resolve(id));
    await conflict(engine.anomalies.markFalsePositive(id));
    const after = await engine.anomalies.get(id);
    expect(after.status).toBe('RESOLVED');
    expect(after.review_outcome).toBe('FALSE_POSITIVE');
    expect(after.actions_taken).toEqual(['2026-03-10T12:00:00.000Z system: closed as noise']);
  });

  it('lets a review skip the acknowledgement and stamps it then', async () => {
    const id = await insertAnomaly(internalContext(engine).db, { severity: 'LOW', detected_at: clock });
    advance(60);
    const reviewed = await engine.anomalies.confirm(id, { by: user });
    expect(reviewed.status).toBe('CONFIRMED');
    expect(reviewed.acknowledged_at?.toISOString()).toBe('2026-03-10T12:01:00.000Z');
  });

  it('answers NOT_FOUND for an unknown id and VALIDATION_ERROR for a bad body', async () => {
    await expect(engine.anomalies.get(crypto.randomUUID())).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(engine.anomalies.acknowledge('not-a-uuid')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const id = await insertAnomaly(internalContext(engine).db, { severity: 'LOW', detected_at: clock });
    await expect(engine.anomalies.resolve(id, { resolvedBy: 'nobody' })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
    });
    expect((await engine.anomalies.get(id)).status).toBe('DETECTED');
  });
});

describe('the anomaly summary', () => {
  it('computes the spec fields on a hand-made fixture', async () => {
    const db = internalContext(engine).db;
    const t0 = new Date('2026-03-10T12:00:00Z');
    // Seven anomalies: 1 CRITICAL, 2 HIGH, 3 MEDIUM, 1 LOW.
    const ids = [];
    for (const severity of ['CRITICAL', 'HIGH', 'HIGH', 'MEDIUM', 'MEDIUM', 'MEDIUM', 'LOW'] as const) {
      ids.push(await insertAnomaly(db, { severity, detected_at: t0 }));
    }
    const [a, b, c, d, e, f] = ids as [string, string, string, string, string, string];
    // a: confirmed, resolved 2:30:00 after detection; b: false positive, resolved 1:00:00 after;
    // c: confirmed; d: false positive; e: investigating; f, g: detected.
    await engine.anomalies.confirm(a);
    await engine.anomalies.markFalsePositive(b);
    await engine.anomalies.confirm(c);
    await engine.anomalies.markFalsePositive(d);
    await engine.anomalies.acknowledge(e);
    clock = new Date(t0.getTime() + 3600_000);
    await engine.anomalies.resolve(b);
    clock = new Date(t0.getTime() + 9000_000);
    await engine.anomalies.resolve(a);
    // By hand: unresolved = c (CONFIRMED) + e (INVESTIGATING) + f, g (DETECTED) = 4; d is a dismissed
    // false positive. Reviewed = a, b, c, d; false positives = b, d → 2/4 = 50.0%.
    // Mean resolution = (9000 s + 3600 s) / 2 = 6300 s = 1:45:00.
    expect(await engine.anomalies.summary()).toEqual({
      total_anomalies: 7,
      critical_anomalies: 1,
      high_anomalies: 2,
      medium_anomalies: 3,
      low_anomalies: 1,
      unresolved_anomalies: 4,
      false_positive_rate: '50.0',
      average_resolution_time: '1:45:00',
    });
    void f;
  });

  it('reports 0.0% and no resolution time on an empty store', async () => {
    expect(await engine.anomalies.summary()).toEqual({
      total_anomalies: 0,
      critical_anomalies: 0,
      high_anomalies: 0,
      medium_anomalies: 0,
      low_anomalies: 0,
      unresolved_anomalies: 0,
      false_positive_rate: '0.0',
      average_resolution_time: null,
    });
  });
});

describe('listing anomalies', () => {
  it('filters by type, severity, status and detection date, and searches descriptions', async () => {
    const db = internalContext(engine).db;
    const a = await insertAnomaly(db, {
      severity: 'HIGH',
      detected_at: new Date('2026-03-01T08:00:00Z'),
      anomaly_type: 'TEMPORAL',
      description: '47 incidents for checkout',
    });
    await insertAnomaly(db, { severity: 'LOW', detected_at: new Date('2026-03-02T23:59:00Z') });
    await insertAnomaly(db, { severity: 'LOW', detected_at: new Date('2026-03-03T00:00:00Z') });
    await engine.anomalies.acknowledge(a);
    const list = (filters: Record<string, string>) => engine.anomalies.list({ filters });
    expect((await list({ anomaly_type: 'TEMPORAL' })).results.map((r) => r.id)).toEqual([a]);
    expect((await list({ severity: 'LOW' })).count).toBe(2);
    expect((await list({ status: 'INVESTIGATING' })).count).toBe(1);
    expect((await list({ start_date: '2026-03-02' })).count).toBe(2);
    // A date alone as end_date includes that whole day.
    expect((await list({ end_date: '2026-03-02' })).count).toBe(2);
    expect((await list({ end_date: '2026-03-02T12:00:00Z' })).count).toBe(1);
    expect((await engine.anomalies.list({ search: 'checkout' })).results.map((r) => r.id)).toEqual([a]);
    const ordered = await engine.anomalies.list({ ordering: '-severity' });
    expect(ordered.results[0]?.severity).toBe('HIGH');
    await expect(list({ severity: 'URGENT' })).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    await expect(list({ start_date: 'yesterday' })).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
  });
});
