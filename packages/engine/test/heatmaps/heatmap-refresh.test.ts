import { afterEach, describe, expect, it } from 'vitest';
import { type Engine, EngineError } from '../../src/index.ts';
import { internalContext } from '../../src/internal.ts';
import { defaultSchedules } from '../../src/jobs/schedule-slots.ts';
import { fixedNow, fourWeeks, heatmapEngine } from './heatmap-fixtures.ts';

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

async function storedCount(e: Engine): Promise<number> {
  const row = await internalContext(e).db.one('SELECT count(*)::INTEGER AS n FROM heatmap_data');
  return Number(row?.['n']);
}

describe('heatmap refresh', () => {
  it('stores every type × granularity over each default period ending with the current day, week or month', async () => {
    engine = await heatmapEngine();
    const result = await engine.heatmaps.refresh();
    expect(result.heatmaps).toHaveLength(16);
    expect(result.heatmaps.every((h) => !h.replaced)).toBe(true);
    // Now is Friday 2024-03-15 12:00 UTC: 28 and 30 days up to the end of the 15th, the 12 ISO weeks
    // up to Sunday 17 March, the 12 months up to the end of March.
    const periods = Object.fromEntries(
      result.heatmaps
        .filter((h) => h.heatmap_type === 'INCIDENT_FREQUENCY')
        .map((h) => [h.time_granularity, [h.period_start.toISOString(), h.period_end.toISOString()]]),
    );
    expect(periods).toEqual({
      HOURLY: ['2024-02-17T00:00:00.000Z', '2024-03-16T00:00:00.000Z'],
      DAILY: ['2024-02-15T00:00:00.000Z', '2024-03-16T00:00:00.000Z'],
      WEEKLY: ['2023-12-25T00:00:00.000Z', '2024-03-18T00:00:00.000Z'],
      MONTHLY: ['2023-04-01T00:00:00.000Z', '2024-04-01T00:00:00.000Z'],
    });
    expect(await storedCount(engine)).toBe(16);
    const page = await engine.heatmaps.list({
      filters: { heatmap_type: 'RESOLUTION_TIME', time_granularity: 'WEEKLY' },
    });
    expect(page.count).toBe(1);
    const stored = page.results[0];
    expect(stored?.name).toBe('Resolution time (MTTR, hours) by category and week');
    expect(stored?.columns).toHaveLength(12);
    expect(stored?.computed_at).toEqual(fixedNow);
    expect(stored?.filters).toEqual({});
  });

  it('replaces the heatmap of the same type, granularity, period and filters, keeping its id', async () => {
    let now = fixedNow;
    engine = await heatmapEngine(() => now);
    const request = {
      heatmapType: 'INCIDENT_FREQUENCY',
      timeGranularity: 'HOURLY',
      periodStart: fourWeeks.start,
      periodEnd: fourWeeks.end,
    } as const;
    const first = await engine.heatmaps.refresh(request);
    const id = first.heatmaps[0]?.id as string;
    expect((await engine.heatmaps.get(id)).values[0]?.[9]).toBe(3);

    // A fourth Monday-09 incident arrives; the refresh an hour later rewrites the same row.
    await engine.incidents.ingest({
      records: [{ external_id: 'G', title: 'late', severity: 'LOW', created_at: '2024-03-04T09:05:00Z' }],
    });
    now = new Date(fixedNow.getTime() + 3_600_000);
    const second = await engine.heatmaps.refresh(request);
    expect(second.heatmaps[0]).toMatchObject({ id, replaced: true });
    const stored = await engine.heatmaps.get(id);
    expect(stored.values[0]?.[9]).toBe(4);
    expect(stored.computed_at).toEqual(now);
    expect(stored.created_at).toEqual(fixedNow);
    expect(await storedCount(engine)).toBe(1);

    // Other filters or another period are another heatmap.
    const filtered = await engine.heatmaps.refresh({ ...request, filters: { service: 'api' } });
    expect(filtered.heatmaps[0]?.replaced).toBe(false);
    expect((await engine.heatmaps.get(filtered.heatmaps[0]?.id as string)).filters).toEqual({
      service: 'api',
    });
    expect(await storedCount(engine)).toBe(2);
    const again = await engine.heatmaps.refresh({ ...request, filters: { service: 'api' } });
    expect(again.heatmaps[0]).toMatchObject({ id: filtered.heatmaps[0]?.id, replaced: true });
    expect(await storedCount(engine)).toBe(2);
  });

  it('refuses bad input with a clear error and writes nothing', async () => {
    engine = await heatmapEngine();
    const e = engine;
    const cases: [() => Promise<unknown>, string][] = [
      [() => e.heatmaps.refresh({ heatmapType: 'HEAT' as never }), 'heatmap_type must be one of'],
      [() => e.heatmaps.refresh({ timeGranularity: 'YEARLY' as never }), 'time_granularity must be one of'],
      [() => e.heatmaps.refresh({ periodStart: fourWeeks.start }), 'give both period_start and period_end'],
      [
        () => e.heatmaps.refresh({ periodStart: fourWeeks.end, periodEnd: fourWeeks.start }),
        'period_end must be after period_start',
      ],
      [
        () =>
          e.heatmaps.refresh({
            timeGranularity: 'DAILY',
            periodStart: new Date('2023-01-01T00:00:00Z'),
            periodEnd: new Date('2024-03-01T00:00:00Z'),
          }),
        'a DAILY heatmap has at most 366 columns; this period has 425',
      ],
      [() => e.heatmaps.refresh({ filters: { team: 'x' } }), 'unknown heatmap filter team'],
      [() => e.heatmaps.refresh({ filters: { severity: 'URGENT' } }), 'filters.severity must be one of'],
      [() => e.heatmaps.list({ filters: { heatmap_type: 'nope' } }), 'heatmap_type must be one of'],
    ];
    for (const [call, message] of cases) {
      const error = await call().catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(EngineError);
      expect((error as EngineError).code).toBe('VALIDATION_ERROR');
      expect((error as EngineError).message).toContain(message);
    }
    expect(await storedCount(engine)).toBe(0);
    await expect(e.heatmaps.get('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(e.heatmaps.get('not-an-id')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('runs as the refresh_heatmaps job, scheduled hourly', async () => {
    engine = await heatmapEngine();
    expect(engine.jobs.kinds().map((k) => k.kind)).toContain('refresh_heatmaps');
    expect(defaultSchedules.find((s) => s.kind === 'refresh_heatmaps')).toEqual({
      name: 'heatmaps-hourly',
      kind: 'refresh_heatmaps',
      everySeconds: 3600,
    });
    const done = await engine.jobs.run({
      kind: 'refresh_heatmaps',
      parameters: { heatmap_type: 'ANOMALY_DENSITY', time_granularity: 'WEEKLY' },
    });
    expect(done.status).toBe('SUCCEEDED');
    expect(done.result).toMatchObject({
      heatmaps: [{ heatmap_type: 'ANOMALY_DENSITY', time_granularity: 'WEEKLY', replaced: false }],
    });
    await expect(
      engine.jobs.submit({ kind: 'refresh_heatmaps', parameters: { time_granularity: 'YEARLY' } }),
    ).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(await storedCount(engine)).toBe(1);
  });
});
