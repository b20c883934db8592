import { internalContext } from '@incident-insights/engine/internal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAnomaly } from '../../../test/support/anomaly-fixtures.ts';
import { startServer, type TestServer } from '../../../test/support/test-server.ts';

let server: TestServer;
let clock = new Date('2026-03-10T12:00:00Z');
let id = '';

beforeAll(async () => {
  server = await startServer({
    engine: { now: () => clock },
    populate: async (engine) => {
      id = await insertAnomaly(internalContext(engine).db, { severity: 'HIGH', detected_at: clock });
    },
  });
});
afterAll(async () => {
  await server.close();
  await server.engine.close();
});

const post = (action: string, json?: unknown) =>
  server.fetch(`/api/analytics/anomaly-detections/${id}/${action}/`, {
    method: 'POST',
    as: 'analyst',
    ...(json === undefined ? {} : { json }),
  });

describe('action notes through the API', () => {
  it('refuses a bad note or an unknown field with 400 and changes nothing', async () => {
    const before = await (
      await server.fetch(`/api/analytics/anomaly-detections/${id}/`, { as: 'viewer' })
    ).json();
    for (const body of [{ action_note: 'x'.repeat(2001) }, { action_note: 42 }, { note: 'unknown field' }]) {
      const res = await post('acknowledge', body);
      expect(res.status).toBe(400);
    }
    expect((await post('resolve', { action_note: ['a list'] })).status).toBe(400);
    const after = await (
      await server.fetch(`/api/analytics/anomaly-detections/${id}/`, { as: 'viewer' })
    ).json();
    expect(after).toEqual(before);
  });

  it('appends each note with when and who, in order, and shows them in the detail', async () => {
    clock = new Date('2026-03-10T12:05:00Z');
    expect((await post('acknowledge', { action_note: 'paging the payments team' })).status).toBe(200);
    clock = new Date('2026-03-10T12:20:00Z');
    expect((await post('confirm', { action_note: 'deploy 4.2 is the cause' })).status).toBe(200);
    clock = new Date('2026-03-10T13:00:00Z');
    const resolved = await post('resolve', {
      actions_taken: ['rolled back'],
      action_note: 'post-mortem booked',
    });
    expect(resolved.status).toBe(200);
    const detail = (await (
      await server.fetch(`/api/analytics/anomaly-detections/${id}/`, { as: 'viewer' })
    ).json()) as { actions_taken: string[]; metadata: { actions: unknown[] } };
    expect(detail.actions_taken).toEqual([
      '2026-03-10T12:05:00.000Z analyst: paging the payments team',
      '2026-03-10T12:20:00.000Z analyst: deploy 4.2 is the cause',
      '2026-03-10T13:00:00.000Z analyst: rolled back',
      '2026-03-10T13:00:00.000Z analyst: post-mortem booked',
    ]);
    expect(detail.metadata.actions).toHaveLength(4);
    expect(detail.metadata.actions[1]).toMatchObject({
      at: '2026-03-10T12:20:00.000Z',
      user: 'analyst',
      action: 'confirm',
      note: 'deploy 4.2 is the cause',
      by: expect.any(String),
    });
  });
});
