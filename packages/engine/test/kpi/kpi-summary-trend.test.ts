import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Engine, type IncidentInput, openEngine } from '../../src/index.ts';

/**
 * Outages (CRITICAL, 10 minutes each) worked by hand. The summary's windows: current 2024-01-02,
 * previous 2024-01-01 (24 hours each, clock 2024-01-03T00:00Z).
 *
 * - `rare`: 01-01 00:00 and 12:00, 01-02 06:00. One interval ends in each window: 12:00 − 00:10 =
 *   11 h 50 min, then 06:00 − 12:10 = 17 h 50 min. The trend would read +50.7% from one gap each.
 * - `busy`: 01-01 at 00, 02, 04, 06, 08, 10 h; 01-02 at 00, 04, 08, 12, 16, 20 h. Previous window:
 *   five gaps of 1 h 50 min, mean 11/6 h. Current window: 00:00 − 10:10 = 13 h 50 min and five gaps of
 *   3 h 50 min, mean (83/6 + 5 × 23/6) / 6 = 5.5 h; trend (5.5 − 11/6) / (11/6) = +200%.
 */
const outages: IncidentInput[] = [
  ['rare', ['2024-01-01T00:00', '2024-01-01T12:00', '2024-01-02T06:00']],
  [
    'busy',
    [
      ...[0, 2, 4, 6, 8, 10].map((h) => `2024-01-01T${String(h).padStart(2, '0')}:00`),
      ...[0, 4, 8, 12, 16, 20].map((h) => `2024-01-02T${String(h).padStart(2, '0')}:00`),
    ],
  ],
].flatMap(([service, starts]) =>
  (starts as string[]).map((start, k) => {
    const created = new Date(`${start}:00Z`);
    return {
      external_id: `${service}-${k}`,
      title: `${service} down`,
      severity: 'CRITICAL' as const,
      service: service as string,
      created_at: created,
      resolved_at: new Date(created.getTime() + 10 * 60_000),
    };
  }),
);

const clock = new Date('2024-01-03T00:00:00Z');
let engine: Engine;

beforeAll(async () => {
  engine = await openEngine({ path: ':memory:', now: () => clock });
  await engine.incidents.ingest({ records: outages });
  for (const service of ['rare', 'busy']) {
    await engine.kpis.create({ name: `MTBF ${service}`, metric_type: 'MTBF', services: [service] });
  }
});
afterAll(async () => {
  await engine.close();
});

async function line(name: string) {
  return (await engine.kpis.summary()).find((s) => s.metric_name === name);
}

describe('the summary trend of MTBF', () => {
  it('is not told from fewer than five intervals in a window: one gap against one gap is noise', async () => {
    expect(await line('MTBF rare')).toMatchObject({
      current_value: '17.8333',
      trend: null,
      trend_percentage: null,
    });
  });

  it('is told when both windows have enough intervals', async () => {
    expect(await line('MTBF busy')).toMatchObject({
      current_value: '5.5',
      trend: 'up',
      trend_percentage: '200',
    });
  });
});
