import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Engine, type IncidentInput, type KpiOptions, openEngine } from '../../src/index.ts';

/**
 * Outages (CRITICAL: the services are down) worked by hand; the window is 2024-01-01 (UTC), the
 * clock 2024-01-02T00:00Z.
 *
 * | key   | service | created     | resolved |
 * | stale | x       | 12-20 00:00 | never (a forgotten ticket, 12 days old) |
 * | x1    | x       | 01:00       | 02:00    |
 * | x2    | x       | 05:00       | 06:00    |
 * | y1    | y       | 06:00       | 07:00    |
 * | z1    | z       | 20:00       | open (a real outage, 4 hours old) |
 */
const outages: IncidentInput[] = [
  ['stale', 'x', '2023-12-20T00:00:00Z', null],
  ['x1', 'x', '2024-01-01T01:00:00Z', '2024-01-01T02:00:00Z'],
  ['x2', 'x', '2024-01-01T05:00:00Z', '2024-01-01T06:00:00Z'],
  ['y1', 'y', '2024-01-01T06:00:00Z', '2024-01-01T07:00:00Z'],
  ['z1', 'z', '2024-01-01T20:00:00Z', null],
].map(([key, service, created, resolved]) => ({
  external_id: key as string,
  title: `outage ${key}`,
  severity: 'CRITICAL',
  service: service as string,
  created_at: created as string,
  resolved_at: resolved,
}));

const clock = new Date('2024-01-02T00:00:00Z');
let engine: Engine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

async function open(kpi?: KpiOptions): Promise<Engine> {
  engine = await openEngine({ path: ':memory:', now: () => clock, ...(kpi ? { kpis: kpi } : {}) });
  await engine.incidents.ingest({ records: outages });
  return engine;
}

/** The summary value and the calculate() value of a metric, which must agree. */
async function both(e: Engine, name: string): Promise<[string | null, string | null]> {
  const item = (await e.kpis.summary()).find((s) => s.metric_name === name)!;
  const metric = (await e.kpis.list({ pageSize: 100 })).results.find((m) => m.name === name)!;
  const { measurement } = await e.kpis.calculate(metric.id);
  horizons.push(measurement.details['open_outage_horizon_hours']);
  return [item.current_value, measurement.value];
}
/** The horizon each measurement says it used. */
let horizons: unknown[] = [];
afterEach(() => {
  horizons = [];
});

describe('an open outage incident', () => {
  it('stops counting as downtime 72 hours after its creation by default', async () => {
    const e = await open();
    // x: the stale ticket ended on 12-23, so x is down 01–02 and 05–06: 22/24 = 91.6667%.
    // y: down 06–07: 95.8333%. z: open since 20:00, within 72 hours: down 20–24, 83.3333%.
    // Mean (91.6667 + 95.8333 + 83.3333) / 3 = 90.2778. With the stale ticket down until now x
    // would be 0% and the mean 59.7222%.
    expect(await both(e, 'Service Availability')).toEqual(['90.2778', '90.2778']);
    await e.kpis.create({ name: 'x availability', metric_type: 'AVAILABILITY', services: ['x'] });
    expect(await both(e, 'x availability')).toEqual(['91.6667', '91.6667']);
    expect(horizons).toEqual([72, 72]);
  });

  it('no longer swallows the outages after it, so MTBF and MTBSI have intervals again', async () => {
    const e = await open();
    // x's outages: [12-20 00:00, 12-23 00:00] (capped), [01:00, 02:00], [05:00, 06:00].
    // MTBF: 01-01 01:00 − 12-23 00:00 = 217 h and 05:00 − 02:00 = 3 h → 110 h.
    // MTBSI: 01-01 01:00 − 12-20 00:00 = 289 h and 05:00 − 01:00 = 4 h → 146.5 h.
    // Down until resolved (never), the stale ticket would merge everything after it: no value.
    expect(await both(e, 'Mean Time Between Failures')).toEqual(['110', '110']);
    expect(await both(e, 'Mean Time Between Service Incidents')).toEqual(['146.5', '146.5']);
  });

  it('follows a configured horizon, the same for system and user metrics', async () => {
    const e = await open({ openOutageHorizonHours: 2 });
    // x 91.6667 (stale ended 12-20 02:00), y 95.8333, z down 20–22 only: 91.6667 → mean 93.0556.
    expect(await both(e, 'Service Availability')).toEqual(['93.0556', '93.0556']);
    await e.kpis.create({ name: 'z availability', metric_type: 'AVAILABILITY', services: ['z'] });
    expect(await both(e, 'z availability')).toEqual(['91.6667', '91.6667']);
    // MTBF: 01-01 01:00 − 12-20 02:00 = 287 h and 3 h → 145 h.
    expect(await both(e, 'Mean Time Between Failures')).toEqual(['145', '145']);
    expect(horizons).toEqual([2, 2, 2]);
  });

  it('stays down until now with an infinite horizon (the rule before the cap)', async () => {
    const e = await open({ openOutageHorizonHours: Number.POSITIVE_INFINITY });
    expect(await both(e, 'Service Availability')).toEqual(['59.7222', '59.7222']);
    expect(await both(e, 'Mean Time Between Failures')).toEqual([null, null]);
    expect(horizons).toEqual([null, null]);
  });

  it('rejects a horizon that is not a positive number of hours, before opening anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kpi-horizon-'));
    try {
      for (const hours of [0, -1, Number.NaN, 1e9]) {
        const path = join(dir, 'never.duckdb');
        await expect(openEngine({ path, kpis: { openOutageHorizonHours: hours } })).rejects.toMatchObject({
          code: 'VALIDATION_ERROR',
        });
        expect(existsSync(path)).toBe(false);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
