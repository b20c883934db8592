import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gaussian } from '../../../test/support/python-reference.ts';
import { detectManySeries } from '../src/anomaly/detect/detect-many.ts';
import { type Detection, detectAnomalies, detectSeriesAnomalies, EngineError } from '../src/index.ts';
import { WorkerPool } from '../src/workers/pool.ts';

const nabRoot = path.resolve(import.meta.dirname, '../../..', '../shared/data/nab');
const hour = 3_600_000;

function readNab(file: string): { timestamps: number[]; values: number[]; windows: [number, number][] } {
  const parse = (s: string): number =>
    Date.parse(
      `${s
        .trim()
        .replace(' ', 'T')
        .replace(/\.\d+$/, '')}Z`,
    );
  const rows = readFileSync(path.join(nabRoot, 'data', file), 'utf8')
    .trim()
    .split('\n')
    .slice(1);
  const labels = JSON.parse(
    readFileSync(path.join(nabRoot, 'labels', 'combined_windows.json'), 'utf8'),
  ) as Record<string, [string, string][]>;
  return {
    timestamps: rows.map((r) => parse(r.split(',')[0]!)),
    values: rows.map((r) => Number(r.split(',')[1])),
    windows: (labels[file] ?? []).map(([a, b]) => [parse(a), parse(b)]),
  };
}

/** Four weeks of hourly counts around 8 (Gaussian noise, seeded) with a six-hour storm from hour 400. */
function stormSeries(): { timestamps: number[]; values: number[] } {
  const n = 24 * 28;
  const noise = gaussian(n, 4, 0, 1);
  const values = noise.map((e, i) => 8 + 3 * Math.sin((2 * Math.PI * (i % 24)) / 24) + e);
  // The storm: 40, 35, then a quieter hour, 45, 38, a quieter hour, 30 incidents an hour.
  for (const [k, v] of [40, 35, 14, 45, 38, 14, 30].entries()) values[400 + k] = v;
  return { timestamps: values.map((_, i) => Date.UTC(2026, 1, 2) + i * hour), values };
}

describe('detectSeriesAnomalies', () => {
  it('reports one incident storm as one anomaly covering it, not one per hour', () => {
    const { timestamps, values } = stormSeries();
    const d = detectSeriesAnomalies({ key: 'checkout', timestamps, values });
    expect(d).toHaveLength(1);
    const a = d[0]!;
    expect(a.seriesKey).toBe('checkout');
    expect(a.start).toBe(timestamps[400]);
    expect(a.end).toBeGreaterThanOrEqual(timestamps[406]!);
    expect(a.peakTimestamp).toBe(timestamps[403]);
    expect(a.observed).toBe(45);
    expect(a.pointCount).toBeGreaterThanOrEqual(5);
    expect(a.score).toBeGreaterThan(a.threshold);
  });
  it('every method runs and labels its family', () => {
    const { timestamps, values } = stormSeries();
    const types = new Map<string, string>();
    for (const method of [
      'robust_z',
      'gesd',
      'seasonal_esd',
      'isolation_forest',
      'threshold',
      'dynamic_threshold',
    ] as const) {
      const d = detectSeriesAnomalies(
        { key: 's', timestamps, values },
        { methods: [method], thresholds: { upper: 25 }, seasonalPeriods: [24] },
      );
      expect(d.length, method).toBeGreaterThan(0);
      for (const x of d) types.set(x.method, x.anomalyType);
      const hit = d.find((x) => x.start <= timestamps[406]! && x.end >= timestamps[400]!);
      expect(hit, `${method} finds the storm`).toBeDefined();
    }
    // CUSUM is for lasting level shifts (a storm that ends is left to the point detectors): +10 from hour 500 on.
    const shifted = values.map((v, i) => (i >= 500 ? v + 10 : v));
    const shifts = detectSeriesAnomalies(
      { key: 's', timestamps, values: shifted },
      { methods: ['cusum'], seasonalPeriods: [24] },
    );
    expect(shifts.some((x) => x.start >= timestamps[480]! && x.start <= timestamps[510]!)).toBe(true);
    for (const x of shifts) types.set(x.method, x.anomalyType);
    expect(Object.fromEntries(types)).toEqual({
      robust_z: 'STATISTICAL',
      gesd: 'STATISTICAL',
      seasonal_esd: 'TEMPORAL',
      cusum: 'PATTERN',
      isolation_forest: 'PATTERN',
      threshold: 'THRESHOLD',
      dynamic_threshold: 'THRESHOLD',
    });
  });
  it('the static threshold reports the bound it used, with full confidence', () => {
    const { timestamps, values } = stormSeries();
    const d = detectSeriesAnomalies(
      { key: 's', timestamps, values },
      { methods: ['threshold'], thresholds: { upper: 42 } },
    );
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ threshold: 42, observed: 45, confidence: 1, upper: 42 });
  });
  it('the default alarm budget keeps the events that stand out and drops the minor flags', () => {
    const { timestamps, values } = stormSeries();
    // A second storm of the same size on day 20, and a lone 30 on day 8: z ≈ 20 over noise σ 1, but its
    // magnitude |30 − ~8|·√1 ≈ 22 is under 0.4 of a storm's |45 − ~8|·√7 ≈ 98 (by hand).
    for (const [k, v] of [40, 35, 14, 45, 38, 14, 30].entries()) values[480 + k] = v;
    values[200] = 30;
    const series = { key: 's', timestamps, values };
    const all = detectSeriesAnomalies(series, { alarmBudget: false });
    expect(all.map((d) => d.peakTimestamp)).toEqual([timestamps[200], timestamps[403], timestamps[483]]);
    // With room for six alarms (672 points / 100) only the relative cut (0.4 of the largest) acts.
    const cut = detectSeriesAnomalies(series, { alarmBudget: { pointsPerAlarm: 100 } });
    expect(cut.map((d) => d.peakTimestamp)).toEqual([timestamps[403], timestamps[483]]);
    // The default allows one alarm per 2,000 points, at least one: the stronger storm.
    expect(detectSeriesAnomalies(series)).toHaveLength(1);
    // Explicit methods leave the budget off unless asked for.
    expect(detectSeriesAnomalies(series, { methods: ['seasonal_esd', 'cusum'] })).toHaveLength(3);
  });
  it('finds nothing in plain noise', () => {
    const values = gaussian(24 * 28, 8, 10, 1);
    const timestamps = values.map((_, i) => i * hour);
    expect(detectSeriesAnomalies({ key: 'calm', timestamps, values })).toEqual([]);
  });
  it('rejects bad input with VALIDATION_ERROR and a clear message', () => {
    const bad = (fn: () => unknown): EngineError => {
      try {
        fn();
      } catch (e) {
        expect(e).toBeInstanceOf(EngineError);
        expect((e as EngineError).code).toBe('VALIDATION_ERROR');
        return e as EngineError;
      }
      throw new Error('no error');
    };
    expect(bad(() => detectSeriesAnomalies({ key: 'x', timestamps: [1, 2], values: [1] })).message).toMatch(
      /differ in length/,
    );
    expect(
      bad(() => detectSeriesAnomalies({ key: 'x', timestamps: [2, 1], values: [1, 1] })).message,
    ).toMatch(/ascending/);
    bad(() => detectSeriesAnomalies({ key: 'x', timestamps: [1, 2], values: [1, 1] }, { alpha: 2 }));
    bad(() =>
      detectSeriesAnomalies({ key: 'x', timestamps: [1, 2], values: [1, 1] }, { methods: ['threshold'] }),
    );
  });
});

describe('NAB smoke test (window level)', () => {
  it('finds the jump in art_daily_jumpsup inside its labelled window, and nothing on art_daily_no_noise', () => {
    const jump = readNab('artificialWithAnomaly/art_daily_jumpsup.csv');
    const d = detectAnomalies({ key: 'jumpsup', timestamps: jump.timestamps, values: jump.values });
    const [w0, w1] = jump.windows[0]!;
    expect(d.some((x) => x.start <= w1 && x.end >= w0)).toBe(true);
    const calm = readNab('artificialNoAnomaly/art_daily_no_noise.csv');
    expect(detectAnomalies({ key: 'no_noise', timestamps: calm.timestamps, values: calm.values })).toEqual(
      [],
    );
  });
});

describe('detectManySeries through the worker pool', () => {
  const pool = new WorkerPool({ threads: 2 });
  afterAll(() => pool.close());
  it('returns exactly what the in-process call returns, series by series', async () => {
    const { timestamps, values } = stormSeries();
    const series = Array.from({ length: 12 }, (_, k) => ({
      key: `s${k}`,
      timestamps,
      values: values.map((v, i) => v + (i === 100 + k * 10 ? 30 : 0)),
    }));
    const expected: Detection[] = detectAnomalies(series);
    const got = await detectManySeries(pool, series);
    expect(got).toEqual(expected);
    expect(new Set(got.map((d) => d.seriesKey)).size).toBe(12);
  });
  it('validates before sending anything to a worker', async () => {
    await expect(detectManySeries(pool, [{ key: 'x', timestamps: [1], values: [] }])).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
    });
  });
});
