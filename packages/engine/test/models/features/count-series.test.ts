import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Engine, type IncidentInput, openEngine } from '../../../src/index.ts';
import { internalContext } from '../../../src/internal.ts';
import { minIncidentsPerGroup, readCountSeries } from '../../../src/models/features/index.ts';

const day = 86_400_000;
const hour = 3_600_000;
const jan1 = Date.UTC(2024, 0, 1);
let engine: Engine;

/** One incident record created at `at` (epoch ms) of `service`. */
function incident(name: string, at: number, service: string | null): IncidentInput {
  return { external_id: name, title: name, severity: 'LOW', service, created_at: new Date(at).toISOString() };
}

beforeAll(async () => {
  engine = await openEngine({
    path: ':memory:',
    now: () => new Date('2024-02-01T00:00:00Z'),
    workers: { threads: 1 },
  });
  const records = [
    // 20 incidents of "big": 10 on Jan 1 at 10:00, 10 on Jan 3 at 05:30.
    ...Array.from({ length: 10 }, (_, i) => incident(`big-a${i}`, jan1 + 10 * hour, 'big')),
    ...Array.from({ length: 10 }, (_, i) => incident(`big-b${i}`, jan1 + 2 * day + 5.5 * hour, 'big')),
    // 3 of "small" on Jan 2 and Jan 5 23:59, 2 without a service on Jan 5.
    incident('small-1', jan1 + day, 'small'),
    incident('small-2', jan1 + day + hour, 'small'),
    incident('small-3', jan1 + 5 * day - 60_000, 'small'),
    incident('none-1', jan1 + 4 * day, null),
    incident('none-2', jan1 + 4 * day + 2 * hour, ''),
    // Outside [Jan 1, Jan 6): at the end itself and before the start.
    incident('at-end', jan1 + 5 * day, 'big'),
    incident('before', jan1 - 1, 'big'),
  ];
  const report = await engine.incidents.ingest({ records });
  expect(report.inserted).toBe(records.length);
});
afterAll(() => engine.close());

const days = [0, 1, 2, 3, 4].map((i) => jan1 + i * day);

describe('readCountSeries', () => {
  it('counts incidents per day over [start, end), every day present, zero-filled', async () => {
    const db = internalContext(engine).db;
    const series = await readCountSeries(db, {
      granularity: 'day',
      start: new Date(jan1),
      end: new Date(jan1 + 5 * day),
    });
    // Jan 1: 10; Jan 2: 2; Jan 3: 10; Jan 4: 0; Jan 5: 2 + 1 (small-3 at 23:59); Jan 6 00:00 is the end.
    expect(series).toEqual([{ group: null, timestamps: days, values: [10, 2, 10, 0, 3] }]);
  });

  it(`keeps groups of at least ${minIncidentsPerGroup} incidents and folds the rest into group null`, async () => {
    const db = internalContext(engine).db;
    const series = await readCountSeries(db, {
      granularity: 'day',
      start: new Date(jan1),
      end: new Date(jan1 + 5 * day),
      groupBy: 'service',
    });
    expect(series).toEqual([
      { group: 'big', timestamps: days, values: [10, 0, 10, 0, 0] },
      // small (3 incidents) and the two without a service.
      { group: null, timestamps: days, values: [0, 2, 0, 0, 3] },
    ]);
  });

  it('counts per hour, and a span cut off a period boundary counts only what lies inside', async () => {
    const db = internalContext(engine).db;
    const [series] = await readCountSeries(db, {
      granularity: 'hour',
      start: new Date(jan1 + day + 30 * 60_000), // Jan 2 00:30: small-1 at 00:00 is before it
      end: new Date(jan1 + day + 3 * hour),
    });
    expect(series).toEqual({
      group: null,
      timestamps: [0, 1, 2].map((h) => jan1 + day + h * hour),
      values: [0, 1, 0],
    });
  });

  it('gives one all-zero series without incidents, and no series per group', async () => {
    const db = internalContext(engine).db;
    const empty = {
      granularity: 'day' as const,
      start: new Date(Date.UTC(2023, 5, 1)),
      end: new Date(Date.UTC(2023, 5, 3)),
    };
    expect(await readCountSeries(db, empty)).toEqual([
      { group: null, timestamps: [Date.UTC(2023, 5, 1), Date.UTC(2023, 5, 2)], values: [0, 0] },
    ]);
    expect(await readCountSeries(db, { ...empty, groupBy: 'team' })).toEqual([]);
  });

  it('refuses a bad granularity, grouping or span', async () => {
    const db = internalContext(engine).db;
    const span = { start: new Date(jan1), end: new Date(jan1 + day) };
    await expect(readCountSeries(db, { ...span, granularity: 'week' as never })).rejects.toThrow(
      /hour or day/,
    );
    await expect(
      readCountSeries(db, { ...span, granularity: 'day', groupBy: 'title' as never }),
    ).rejects.toThrow(/service, team or category/);
    await expect(readCountSeries(db, { ...span, granularity: 'day', end: span.start })).rejects.toThrow(
      /end after start/,
    );
  });
});
