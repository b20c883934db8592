import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FixtureIncident,
  insertIncidents,
  stormFixture,
} from '../../../test/support/anomaly-fixtures.ts';
import type { AnomalyDetection } from '../src/anomaly/persist/anomaly-record.ts';
import type { AnomalyRunResult } from '../src/anomaly/run/anomaly-run.ts';
import { readDataStart } from '../src/anomaly/run/data-start.ts';
import { type Engine, openEngine } from '../src/index.ts';
import { internalContext } from '../src/internal.ts';
import { mulberry32 as seeded } from '../src/random/mulberry32.ts';

// The storm fixture (35 days of four services ending 2026-03-10T00:00Z, 30 checkout incidents on
// 2026-03-09 14:00-15:00 UTC; test/support/anomaly-fixtures.ts) plus a service, `billing`, that only
// starts on 2026-03-01 (about one incident an hour from then on). One engine holds exactly that;
// the other also holds a single incident from 2024, as the README's library example ingests.
const fixture = stormFixture();
const end = fixture.end;
const windowHours = 60 * 24; // reaches 25 days before the first incident of the fixture
const billingStart = Date.UTC(2026, 2, 1);
const random = seeded(11);
const billing: FixtureIncident[] = Array.from({ length: 9 * 24 }, (_, h) => {
  const created = new Date(billingStart + h * 3_600_000 + Math.floor(random() * 3_600_000));
  return {
    service: 'billing',
    team: 'billing-team',
    created_at: created,
    acknowledged_at: new Date(created.getTime() + 10 * 60_000),
    resolved_at: new Date(created.getTime() + 2 * 3_600_000),
  };
});
const oldIncident: FixtureIncident = {
  service: 'checkout',
  severity: 'HIGH',
  created_at: new Date('2024-05-01T08:00:00Z'),
  acknowledged_at: new Date('2024-05-01T08:04:00Z'),
  resolved_at: new Date('2024-05-01T09:30:00Z'),
};
const firstFixtureIncident = Math.min(...fixture.background.map((i) => i.created_at.getTime()));
const firstFullDay = Math.ceil(firstFixtureIncident / 86_400_000) * 86_400_000;

interface Outcome {
  engine: Engine;
  result: AnomalyRunResult;
  progress: string[];
  anomalies: AnomalyDetection[];
}
let plain: Outcome;
let withOld: Outcome;

async function runOn(extra: FixtureIncident[]): Promise<Outcome> {
  const engine = await openEngine({ path: ':memory:', now: () => end, workers: { threads: 1 } });
  await insertIncidents(internalContext(engine).db, [
    ...fixture.background,
    ...fixture.storm,
    ...billing,
    ...extra,
  ]);
  const progress: string[] = [];
  const result = await engine.anomalies.run({ end, windowHours, onProgress: (m) => progress.push(m) });
  const anomalies = (await engine.anomalies.list({ pageSize: 100 })).results;
  return { engine, result, progress, anomalies };
}

beforeAll(async () => {
  plain = await runOn([]);
  withOld = await runOn([oldIncident]);
}, 120_000);
afterAll(async () => {
  await plain?.engine.close();
  await withOld?.engine.close();
});

const statisticalCount = (progress: string[]) =>
  Number(progress.find((line) => line.startsWith('STATISTICAL:'))?.match(/^STATISTICAL: (\d+)/)?.[1]);
const signature = (a: AnomalyDetection) =>
  `${a.anomaly_type} ${a.series_key} ${a.time_window_start.toISOString()} ${a.time_window_end.toISOString()}`;

describe('where the history of an anomaly run starts', () => {
  it('starts at the first full day of continuous data, not at an isolated old incident', () => {
    expect(plain.result.historyStart.getTime()).toBe(firstFullDay);
    expect(withOld.result.historyStart.getTime()).toBe(firstFullDay);
  });

  it('finds the same detections and stores the same anomalies with one isolated old incident', () => {
    expect(Number.isFinite(statisticalCount(plain.progress))).toBe(true);
    expect(statisticalCount(withOld.progress)).toBe(statisticalCount(plain.progress));
    expect(withOld.result.detectionsFound).toBe(plain.result.detectionsFound);
    expect(withOld.anomalies.map(signature).sort()).toEqual(plain.anomalies.map(signature).sort());
  });

  it('never dates a detection before its series has data', () => {
    for (const { anomalies } of [plain, withOld]) {
      expect(anomalies.length).toBeGreaterThan(0);
      for (const a of anomalies) {
        expect(a.time_window_start.getTime(), a.description).toBeGreaterThanOrEqual(firstFullDay);
        const merged =
          (a.metadata['merged_detections'] as { series_key: string; time_window_start: string }[]) ?? [];
        for (const m of [
          { series_key: a.series_key, time_window_start: a.time_window_start.toISOString() },
          ...merged,
        ]) {
          if (m.series_key.includes('billing')) {
            expect(Date.parse(m.time_window_start), m.series_key).toBeGreaterThanOrEqual(billingStart);
          }
        }
      }
    }
  });

  it("names as affected services exactly the services of the anomaly's own related incidents", async () => {
    for (const a of plain.anomalies) {
      const rows = await internalContext(plain.engine).db.all(
        `SELECT DISTINCT service FROM incidents WHERE list_contains($ids, id::VARCHAR) AND service IS NOT NULL
         ORDER BY service`,
        { ids: a.related_incidents },
      );
      expect(a.affected_services, a.description).toEqual(rows.map((r) => String(r['service'])));
    }
    const storm = plain.anomalies.find((a) => a.series_key === 'incident_count:hour:service=checkout');
    expect(storm?.affected_services).toEqual(['checkout']);
  });

  it('reports nothing as already known on a first run', () => {
    expect(plain.result.duplicatesSkipped).toBe(0);
    expect(plain.result.anomaliesCreated).toBe(plain.result.anomaliesFound);
  });
});

describe('where the data starts (readDataStart, 7 quiet days cut, 5% share)', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openEngine({ path: ':memory:', workers: { threads: 1 } });
  });
  afterAll(async () => {
    await engine.close();
  });
  const day = (d: number, h = 10) => new Date(Date.UTC(2026, 0, 1 + d, h));
  async function startOf(days: number[]): Promise<Date | null> {
    await internalContext(engine).db.run('DELETE FROM incidents');
    await insertIncidents(
      internalContext(engine).db,
      days.map((d) => ({ created_at: day(d) })),
    );
    return readDataStart(internalContext(engine).db, day(1000), 7);
  }
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

  it('skips an isolated old incident before the continuous data', async () => {
    expect(await startOf([-600, ...range(0, 30)])).toEqual(day(0));
  });

  it('keeps the bulk of an export when sparse stragglers follow it after gaps', async () => {
    // 94 busy days, then 1, 3 and 24 incidents separated by gaps of 7+ quiet days (the shape of
    // the ServiceNow log): the stragglers are later data, not a reason to start after them.
    const bulk = range(0, 94).flatMap((d) => [d, d, d]);
    expect(await startOf([...bulk, 102, 112, 113, 114, ...range(124, 148)])).toEqual(day(0));
  });

  it('cuts at 7 quiet days in a row, not at 6', async () => {
    // Days 0-9 (10 of 210 incidents, under 5%), then days 10-16 are 7 quiet days: a cut, and the
    // first span is too small to start at; with day 16 instead, 10-15 are 6 quiet days: no cut.
    expect(await startOf([...range(0, 10), ...range(17, 217)])).toEqual(day(17));
    expect(await startOf([...range(0, 10), ...range(16, 216)])).toEqual(day(0));
  });

  it('starts at the largest span when no span holds 5% of the incidents', async () => {
    // 45 single incidents 10 days apart (1 of 47, 2.1% each), then a span of 2 (4.3%): the largest.
    expect(await startOf([...range(0, 45).map((k) => k * 10), 500, 501])).toEqual(day(500));
  });
});
