import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertAnomaly } from '../../../../test/support/anomaly-fixtures.ts';
import { type Engine, openEngine } from '../../src/index.ts';
import { internalContext } from '../../src/internal.ts';

let clock = new Date('2026-03-10T12:00:00Z');
let engine: Engine;
const advance = (minutes: number) => {
  clock = new Date(clock.getTime() + minutes * 60_000);
};

beforeEach(async () => {
  clock = new Date('2026-03-10T12:00:00Z');
  engine = await openEngine({ path: ':memory:', now: () => clock });
});
afterEach(async () => {
  await engine.close();
});

describe('action notes on the anomaly lifecycle', () => {
  it('appends each note with when and who, in order, to actions_taken and metadata.actions', async () => {
    const alice = await engine.auth.createUser({ username: 'alice', role: 'analyst' });
    const bob = await engine.auth.createUser({ username: 'bob', role: 'analyst' });
    const id = await insertAnomaly(internalContext(engine).db, { severity: 'HIGH', detected_at: clock });
    advance(5);
    await engine.anomalies.acknowledge(id, { by: alice.id, note: '  looking at checkout logs ' });
    advance(10);
    await engine.anomalies.confirm(id, { by: bob.id, note: 'real: deploy 4.2 broke payments' });
    advance(30);
    const resolved = await engine.anomalies.resolve(id, {
      resolvedBy: alice.id,
      actionsTaken: ['rolled back 4.2'],
      note: 'added a canary stage',
    });
    expect(resolved.actions_taken).toEqual([
      '2026-03-10T12:05:00.000Z alice: looking at checkout logs',
      '2026-03-10T12:15:00.000Z bob: real: deploy 4.2 broke payments',
      '2026-03-10T12:45:00.000Z alice: rolled back 4.2',
      '2026-03-10T12:45:00.000Z alice: added a canary stage',
    ]);
    expect(resolved.metadata['actions']).toEqual([
      {
        at: '2026-03-10T12:05:00.000Z',
        by: alice.id,
        user: 'alice',
        action: 'acknowledge',
        note: 'looking at checkout logs',
      },
      {
        at: '2026-03-10T12:15:00.000Z',
        by: bob.id,
        user: 'bob',
        action: 'confirm',
        note: 'real: deploy 4.2 broke payments',
      },
      {
        at: '2026-03-10T12:45:00.000Z',
        by: alice.id,
        user: 'alice',
        action: 'resolve',
        note: 'rolled back 4.2',
      },
      {
        at: '2026-03-10T12:45:00.000Z',
        by: alice.id,
        user: 'alice',
        action: 'resolve',
        note: 'added a canary stage',
      },
    ]);
    expect(resolved.status).toBe('RESOLVED');
  });

  it('keeps the metadata the run stored and adds nothing for a blank note', async () => {
    const id = await insertAnomaly(internalContext(engine).db, { severity: 'LOW', detected_at: clock });
    await internalContext(engine).db.run(
      `UPDATE anomaly_detections SET metadata = '{"impact": {"incidents": 3}}' WHERE id = $id::UUID`,
      { id },
    );
    await engine.anomalies.acknowledge(id, { note: '   ' });
    const marked = await engine.anomalies.markFalsePositive(id, { note: 'noise from a load test' });
    expect(marked.actions_taken).toEqual(['2026-03-10T12:00:00.000Z system: noise from a load test']);
    expect(marked.metadata).toEqual({
      impact: { incidents: 3 },
      actions: [
        {
          at: '2026-03-10T12:00:00.000Z',
          by: null,
          user: 'system',
          action: 'mark_false_positive',
          note: 'noise from a load test',
        },
      ],
    });
  });

  it('keeps the root cause and impact the run stored when the resolution gives none', async () => {
    const id = await insertAnomaly(internalContext(engine).db, { severity: 'LOW', detected_at: clock });
    await internalContext(engine).db.run(
      `UPDATE anomaly_detections SET root_cause_analysis = 'the checkout slice', impact_assessment = '3 incidents.'
       WHERE id = $id::UUID`,
      { id },
    );
    const resolved = await engine.anomalies.resolve(id, { note: 'done' });
    expect(resolved).toMatchObject({
      root_cause_analysis: 'the checkout slice',
      impact_assessment: '3 incidents.',
    });
  });

  it('refuses a bad note with a validation error and changes nothing', async () => {
    const id = await insertAnomaly(internalContext(engine).db, { severity: 'LOW', detected_at: clock });
    const before = await engine.anomalies.get(id);
    await expect(engine.anomalies.acknowledge(id, { note: 'x'.repeat(2001) })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
      details: { field: 'note' },
    });
    await expect(engine.anomalies.confirm(id, { note: 42 as unknown as string })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
    });
    await expect(engine.anomalies.resolve(id, { note: 'x'.repeat(2001) })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
    });
    expect(await engine.anomalies.get(id)).toEqual(before);
  });
});
