import { type ColumnBatch, segmentBounds, segmentCount, unpackColumns } from '../../workers/column-batch.ts';
import { chiSquareHomogeneity } from '../kernels/chi-square.ts';
import { ksTwoSample } from '../kernels/ks-two-sample.ts';

/** The columns of the incidents of a batch of slices (one segment per slice). */
type SliceColumns = {
  /** Creation times, epoch ms. */
  t: Float64Array;
  /** Severity index 0..3 (LOW..CRITICAL). */
  severity: Uint8Array;
  /** Acknowledgement delay divided by its severity's median delay; NaN when not acknowledged. */
  ratio: Float64Array;
  /** Resolution delay divided by its severity's median resolution delay; NaN when not resolved. */
  resolveRatio: Float64Array;
};

/** The column types of {@link SliceColumns}. */
const sliceColumnTypes = {
  t: Float64Array,
  severity: Uint8Array,
  ratio: Float64Array,
  resolveRatio: Float64Array,
} as const;

/** The columns of the periods to test: one row per period, `[start, end)` in epoch ms. */
type PeriodColumns = { start: Float64Array; end: Float64Array };

/** The column types of {@link PeriodColumns}. */
const periodColumnTypes = { start: Float64Array, end: Float64Array } as const;

/**
 * Payload of the behavioural worker task: the incidents of many slices (services or teams) as one
 * column batch with a segment per slice (slice i is segment i), and the periods to test.
 */
export interface BehavioralPayload {
  readonly slices: ColumnBatch<SliceColumns>;
  readonly periods: ColumnBatch<PeriodColumns>;
  readonly minSamples: number;
}

/** One test made: a slice and period, its kind, statistic and p-value. */
export interface BehavioralTest {
  readonly slice: number;
  readonly period: number;
  readonly type: 'mtta' | 'mttr' | 'mix';
  readonly p: number;
  readonly statistic: number;
  /** Degrees of freedom (chi-square) or 0. */
  readonly dof: number;
  /** Severity counts LOW..CRITICAL outside and inside the period (chi-square only). */
  readonly baseCounts?: number[];
  readonly recentCounts?: number[];
}

/** Share of a period's incidents that must be resolved for its resolution delays to be tested. */
const settledShare = 0.95;

/** Name of the worker task that runs {@link behavioralTests}. */
export const behavioralTaskName = 'anomaly.behavioral';

/**
 * Worker task: for every slice and period with at least `minSamples` incidents on both sides, the
 * two-sample KS tests of severity-adjusted acknowledgement and resolution delays and the chi-square
 * homogeneity test of severity counts, inside the period against the rest. Resolution delays are
 * tested only when at least 95% of the period's incidents are resolved: the few resolved early in a
 * recent period are the quick ones (right censoring), which would read as an improvement. Pure.
 * Cost O(periods · n log n).
 */
export function behavioralTests(payload: BehavioralPayload): BehavioralTest[] {
  const { t, severity, ratio, resolveRatio } = unpackColumns(payload.slices, sliceColumnTypes);
  const periods = unpackColumns(payload.periods, periodColumnTypes);
  const { minSamples } = payload;
  const out: BehavioralTest[] = [];
  for (let s = 0; s < segmentCount(payload.slices); s++) {
    const { from, to } = segmentBounds(payload.slices, s);
    for (let p = 0; p < payload.periods.rows; p++) {
      const start = periods.start[p]!;
      const end = periods.end[p]!;
      const recent: number[] = [];
      const base: number[] = [];
      const recentResolve: number[] = [];
      const baseResolve: number[] = [];
      const recentCounts = [0, 0, 0, 0];
      const baseCounts = [0, 0, 0, 0];
      for (let i = from; i < to; i++) {
        const inside = t[i]! >= start && t[i]! < end;
        const q = ratio[i]!;
        if (!Number.isNaN(q)) (inside ? recent : base).push(q);
        const r = resolveRatio[i]!;
        if (!Number.isNaN(r)) (inside ? recentResolve : baseResolve).push(r);
        (inside ? recentCounts : baseCounts)[severity[i]!]! += 1;
      }
      if (base.length >= minSamples && recent.length >= minSamples) {
        const ks = ksTwoSample(base, recent);
        out.push({ slice: s, period: p, type: 'mtta', p: ks.pValue, statistic: ks.statistic, dof: 0 });
      }
      const settled = recentResolve.length >= settledShare * total(recentCounts);
      if (baseResolve.length >= minSamples && recentResolve.length >= minSamples && settled) {
        const ks = ksTwoSample(baseResolve, recentResolve);
        out.push({ slice: s, period: p, type: 'mttr', p: ks.pValue, statistic: ks.statistic, dof: 0 });
      }
      const nonZero = recentCounts.filter((c, i) => c + (baseCounts[i] ?? 0) > 0).length;
      if (total(baseCounts) >= minSamples && total(recentCounts) >= minSamples && nonZero >= 2) {
        const chi = chiSquareHomogeneity([baseCounts, recentCounts]);
        out.push({
          slice: s,
          period: p,
          type: 'mix',
          p: chi.pValue,
          statistic: chi.statistic,
          dof: chi.dof,
          baseCounts,
          recentCounts,
        });
      }
    }
  }
  return out;
}

function total(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}
