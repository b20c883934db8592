import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Engine, openEngine } from '../../src/index.ts';

let engine: Engine;
beforeAll(async () => {
  engine = await openEngine({ path: ':memory:', now: () => new Date('2026-03-01T00:00:00Z') });
});
afterAll(async () => {
  await engine.close();
});

describe('maintenance window dates', () => {
  it('refuses a day the month does not have instead of rolling it into the next month', async () => {
    // `new Date('2026-02-30')` would be 2026-03-02: the window would silently move two days.
    const error = await engine.kpis.maintenanceWindows
      .create({ service: 'api', start_at: '2026-02-30', end_at: '2026-03-05' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: { errors: [{ field: 'start_at', message: 'has day 30, but 2026-02 has days 01 to 28' }] },
    });
    expect((await engine.kpis.maintenanceWindows.list({})).count).toBe(0);
  });

  it('refuses an hour or minute off the clock and text that is not a date, naming the field', async () => {
    const cases: [string, string][] = [
      ['2026-02-01T24:00', 'has hour 24, which is not 00 to 23'],
      ['2026-02-01T10:61Z', 'has minute 61, which is not 00 to 59'],
      [
        'next tuesday',
        'must be an ISO 8601 date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM])',
      ],
    ];
    for (const [end_at, message] of cases) {
      await expect(
        engine.kpis.maintenanceWindows.create({ service: 'api', start_at: '2026-02-01', end_at }),
      ).rejects.toMatchObject({ details: { errors: [{ field: 'end_at', message }] } });
    }
    await expect(
      engine.kpis.maintenanceWindows.create({
        service: 'api',
        start_at: new Date(Number.NaN),
        end_at: '2026-02-02',
      }),
    ).rejects.toMatchObject({ details: { errors: [{ field: 'start_at', message: 'not a valid date' }] } });
    // An epoch number was read as milliseconds before; it says nothing of its unit, so it is refused.
    await expect(
      engine.kpis.maintenanceWindows.create({
        service: 'api',
        start_at: 1_770_000_000 as never,
        end_at: '2026-02-02',
      }),
    ).rejects.toMatchObject({
      details: { errors: [{ field: 'start_at', message: 'must be an ISO 8601 date or date-time' }] },
    });
    expect((await engine.kpis.maintenanceWindows.list({})).count).toBe(0);
  });

  it('reads valid dates as the API does: offsets converted, no offset as UTC, Dates as they are', async () => {
    // By hand: 2026-02-28T23:30-01:00 is 2026-03-01T00:30Z; a bare date is midnight UTC.
    const w = await engine.kpis.maintenanceWindows.create({
      service: 'api',
      start_at: '2026-02-28',
      end_at: '2026-02-28T23:30:00-01:00',
    });
    expect(w.start_at).toEqual(new Date('2026-02-28T00:00:00Z'));
    expect(w.end_at).toEqual(new Date('2026-03-01T00:30:00Z'));
    const d = await engine.kpis.maintenanceWindows.create({
      service: null,
      start_at: new Date('2024-02-29T10:00:00Z'),
      end_at: '2024-02-29T12:00',
    });
    expect(d.end_at).toEqual(new Date('2024-02-29T12:00:00Z'));
  });
});
