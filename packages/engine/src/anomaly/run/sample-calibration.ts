import type { Database } from '../../store/database.ts';
import { binomialTail } from '../kernels/binomial-tail.ts';
import { ksTwoSample } from '../kernels/ks-two-sample.ts';
import { quantileSorted, sortedCopy } from '../kernels/order-stats.ts';
import type { SeriesMetric } from './incident-series.ts';

/** A daily mean or rate anomaly tested on the incidents behind it. */
export interface SampleCalibration {
  readonly pValue: number;
  /** Observed value of the window (mean delay, or rate in %). */
  readonly observed: number;
  /** Baseline value (median delay, or rate in %) and its normal band. */
  readonly expected: number;
  readonly lower: number;
  readonly upper: number;
  readonly method: 'ks_two_sample' | 'binomial';
}

const durations: Partial<Record<SeriesMetric, { column: string; unit: number }>> = {
  mtta_minutes: { column: 'acknowledged_at', unit: 60 },
  mttr_hours: { column: 'resolved_at', unit: 3600 },
};

/**
 * Re-tests a detection on a daily MTTA, MTTR or escalation-rate series against the incidents
 * themselves, since a day's mean of heavy-tailed delays or a day's rate of a hundred incidents is
 * noisy and a point detector alone over-alarms on it:
 * - MTTA/MTTR: two-sample Kolmogorov–Smirnov of the delays of incidents created in the window
 *   against those created in the rest of `[from, to)`; `expected` is the baseline's median delay
 *   and the band its 10th to 90th percentile;
 * - escalation rate: exact binomial test of the window's escalated count against the rate outside
 *   it; band = rate ± 3 standard errors for the window's sample size.
 * Returns `undefined` when either sample is empty (nothing to test).
 */
export async function calibrateSample(
  db: Database,
  metric: SeriesMetric,
  window: { start: Date; end: Date },
  range: { from: Date; to: Date },
): Promise<SampleCalibration | undefined> {
  const params = { from: range.from, to: range.to, start: window.start, end: window.end };
  if (metric === 'escalation_rate') {
    const row = await db.one(
      `SELECT count(*) FILTER (inside) AS n_in, count(*) FILTER (inside AND escalation_level > 0) AS k_in,
         count(*) FILTER (NOT inside) AS n_out, count(*) FILTER (NOT inside AND escalation_level > 0) AS k_out
       FROM (SELECT escalation_level, created_at >= $start AND created_at < $end AS inside FROM incidents
             WHERE created_at >= $from AND created_at < $to)`,
      params,
    );
    const nIn = Number(row?.['n_in'] ?? 0);
    const nOut = Number(row?.['n_out'] ?? 0);
    if (nIn === 0 || nOut === 0) return undefined;
    const kIn = Number(row?.['k_in'] ?? 0);
    const p0 = Number(row?.['k_out'] ?? 0) / nOut;
    const rise = kIn / nIn >= p0;
    const spread = 300 * Math.sqrt((p0 * (1 - p0)) / nIn);
    return {
      pValue: binomialTail(kIn, nIn, p0, rise ? 'upper' : 'lower'),
      observed: (100 * kIn) / nIn,
      expected: 100 * p0,
      lower: Math.max(0, 100 * p0 - spread),
      upper: Math.min(100, 100 * p0 + spread),
      method: 'binomial',
    };
  }
  const duration = durations[metric];
  if (!duration) return undefined;
  const rows = await db.all(
    `SELECT created_at >= $start AND created_at < $end AS inside,
       list((epoch(${duration.column}) - epoch(created_at)) / ${duration.unit}.0) AS d
     FROM incidents WHERE created_at >= $from AND created_at < $to AND ${duration.column} IS NOT NULL GROUP BY ALL`,
    params,
  );
  const inside = (rows.find((r) => r['inside'] === true)?.['d'] as number[] | undefined) ?? [];
  const outside = (rows.find((r) => r['inside'] === false)?.['d'] as number[] | undefined) ?? [];
  if (inside.length === 0 || outside.length === 0) return undefined;
  const ks = ksTwoSample(outside, inside);
  const base = sortedCopy(outside);
  let mean = 0;
  for (const v of inside) mean += v / inside.length;
  return {
    pValue: ks.pValue,
    observed: mean,
    expected: quantileSorted(base, 0.5),
    lower: quantileSorted(base, 0.1),
    upper: quantileSorted(base, 0.9),
    method: 'ks_two_sample',
  };
}
