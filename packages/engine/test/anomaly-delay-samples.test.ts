import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { insertIncidents, stormFixture } from '../../../test/support/anomaly-fixtures.ts';
import { binomialTail } from '../src/anomaly/kernels/binomial-tail.ts';
import { ksTwoSample } from '../src/anomaly/kernels/ks-two-sample.ts';
import { quantileSorted, sortedCopy } from '../src/anomaly/kernels/order-stats.ts';
import { calibrateSample, DelaySamples } from '../src/anomaly/run/sample-calibration.ts';
import { type Engine, openEngine } from '../src/index.ts';
import { internalContext } from '../src/internal.ts';

// The re-test of daily MTTA and MTTR detections reads a run's delays once and splits them per
// window. The reference below is the straightforward reading: the window's delays and the rest's,
// each fetched with SQL, then the two-sample KS test and the rest's quantiles.
let engine: Engine;
const range = { from: new Date('2026-02-03T00:00:00Z'), to: new Date('2026-03-10T00:00:00Z') };

beforeAll(async () => {
  engine = await openEngine({ path: ':memory:', now: () => range.to });
  const fixture = stormFixture(11);
  await insertIncidents(internalContext(engine).db, [...fixture.background, ...fixture.storm]);
});
afterAll(() => engine.close());

async function reference(column: 'acknowledged_at' | 'resolved_at', unit: number, start: Date, end: Date) {
  const rows = await internalContext(engine).db.all(
    `SELECT created_at >= $start AND created_at < $end AS inside,
       (epoch(${column}) - epoch(created_at)) / ${unit}.0 AS d
     FROM incidents WHERE created_at >= $from AND created_at < $to AND ${column} IS NOT NULL`,
    { from: range.from, to: range.to, start, end },
  );
  const inside = rows.filter((r) => r['inside'] === true).map((r) => Number(r['d']));
  const outside = rows.filter((r) => r['inside'] === false).map((r) => Number(r['d']));
  const base = sortedCopy(outside);
  return {
    pValue: ksTwoSample(outside, inside).pValue,
    observed: inside.reduce((sum, v) => sum + v / inside.length, 0),
    expected: quantileSorted(base, 0.5),
    lower: quantileSorted(base, 0.1),
    upper: quantileSorted(base, 0.9),
  };
}

describe('delay samples shared by a run', () => {
  it('give each window the same test as reading its delays and the rest separately', async () => {
    const db = internalContext(engine).db;
    const delays = new DelaySamples(db, range);
    const days = ['2026-02-10', '2026-02-20', '2026-03-01', '2026-03-09'];
    for (const [metric, column, unit] of [
      ['mtta_minutes', 'acknowledged_at', 60],
      ['mttr_hours', 'resolved_at', 3600],
    ] as const) {
      for (const day of days) {
        const window = { start: new Date(`${day}T00:00:00Z`), end: new Date(`${day}T00:00:00Z`) };
        window.end = new Date(window.start.getTime() + 86_400_000);
        const shared = await calibrateSample(db, metric, window, range, delays);
        const expected = await reference(column, unit, window.start, window.end);
        expect(shared).toBeDefined();
        expect(shared?.pValue).toBeCloseTo(expected.pValue, 12);
        expect(shared?.observed).toBeCloseTo(expected.observed, 9);
        expect(shared?.expected).toBe(expected.expected);
        expect(shared?.lower).toBe(expected.lower);
        expect(shared?.upper).toBe(expected.upper);
      }
    }
  });

  it('read the incidents once per metric (two ordered reads), however many windows are tested', async () => {
    const db = internalContext(engine).db;
    const delays = new DelaySamples(db, range);
    const reads = vi.spyOn(db, 'withReader');
    try {
      for (let d = 0; d < 20; d++) {
        const start = new Date(range.from.getTime() + (d + 5) * 86_400_000);
        await calibrateSample(
          db,
          'mttr_hours',
          { start, end: new Date(start.getTime() + 86_400_000) },
          range,
          delays,
        );
      }
      expect(reads).toHaveBeenCalledTimes(2); // by creation time, and sorted by delay: not 20 times
    } finally {
      reads.mockRestore();
    }
  });

  it('test an escalation rate on the window against the rest of the range as one read of both would', async () => {
    const db = internalContext(engine).db;
    const delays = new DelaySamples(db, range);
    // A window that runs past the range's end counts only what lies inside the range.
    for (const [start, end] of [
      ['2026-02-20T00:00:00Z', '2026-02-21T00:00:00Z'],
      ['2026-03-09T12:00:00Z', '2026-03-11T00:00:00Z'],
    ] as const) {
      const window = { start: new Date(start), end: new Date(end) };
      // The reference: one read of both counts, as the test was written before the totals were shared.
      const row = await db.one(
        `SELECT count(*) FILTER (inside) AS n_in, count(*) FILTER (inside AND escalation_level > 0) AS k_in,
           count(*) FILTER (NOT inside) AS n_out, count(*) FILTER (NOT inside AND escalation_level > 0) AS k_out
         FROM (SELECT escalation_level, created_at >= $start AND created_at < $end AS inside FROM incidents
               WHERE created_at >= $from AND created_at < $to)`,
        { ...range, ...window },
      );
      const [nIn, kIn, nOut, kOut] = ['n_in', 'k_in', 'n_out', 'k_out'].map((k) => Number(row?.[k]));
      const p0 = (kOut ?? 0) / (nOut ?? 1);
      const rise = (kIn ?? 0) / (nIn ?? 1) >= p0;
      const got = await calibrateSample(db, 'escalation_rate', window, range, delays);
      expect(got?.pValue).toBe(binomialTail(kIn ?? 0, nIn ?? 0, p0, rise ? 'upper' : 'lower'));
      expect(got?.observed).toBe((100 * (kIn ?? 0)) / (nIn ?? 1));
      expect(got?.expected).toBe(100 * p0);
    }
  });
});
