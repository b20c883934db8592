import { queryArrow } from '../../store/arrow-bridge.ts';
import type { Database } from '../../store/database.ts';
import { binomialTail } from '../kernels/binomial-tail.ts';
import { ksPartAgainstRest, quantileOfRest } from '../kernels/rest-of-sample.ts';
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
  delays: DelaySamples = new DelaySamples(db, range),
): Promise<SampleCalibration | undefined> {
  if (metric === 'escalation_rate') {
    // The window's counts (within the range), and the rest's as the range's totals (read once per
    // run) minus them.
    const start = new Date(Math.max(window.start.getTime(), range.from.getTime()));
    const end = new Date(Math.min(window.end.getTime(), range.to.getTime()));
    const [inside, total] = await Promise.all([escalationCounts(db, start, end), delays.escalationTotals()]);
    const nIn = inside.n;
    const nOut = total.n - inside.n;
    if (nIn === 0 || nOut === 0) return undefined;
    const kIn = inside.k;
    const p0 = (total.k - inside.k) / nOut;
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
  const sample = await delays.of(metric);
  if (!sample) return undefined;
  // The window's delays against every other delay of the history, without building the rest.
  const inside = sample.delay.slice(
    lowerBound(sample.t, window.start.getTime()),
    lowerBound(sample.t, window.end.getTime()),
  );
  if (inside.length === 0 || inside.length === sample.sorted.length) return undefined;
  const insideSorted = inside.slice().sort();
  const ks = ksPartAgainstRest(sample.sorted, insideSorted);
  let mean = 0;
  for (const v of inside) mean += v / inside.length;
  return {
    pValue: ks.pValue,
    observed: mean,
    expected: quantileOfRest(sample.sorted, insideSorted, 0.5),
    lower: quantileOfRest(sample.sorted, insideSorted, 0.1),
    upper: quantileOfRest(sample.sorted, insideSorted, 0.9),
    method: 'ks_two_sample',
  };
}

/** The delays (MTTA or MTTR) of a run's history: by creation time, and every one sorted. */
interface Delays {
  /** Creation times (epoch ms), ascending. */
  readonly t: Float64Array;
  /** The delay of each incident of `t`, in the metric's unit. */
  readonly delay: Float64Array;
  /** Every delay, ascending. */
  readonly sorted: Float64Array;
}

/**
 * The delays of one run's history, read once per metric through the Arrow bridge (typed columns,
 * no per-value JS objects) and shared by every detection the run re-tests: a run with hundreds of
 * daily MTTA and MTTR detections then scans the incidents twice, not hundreds of times.
 */
export class DelaySamples {
  readonly #byMetric = new Map<SeriesMetric, Promise<Delays | undefined>>();
  #escalation: Promise<EscalationCounts> | undefined;

  constructor(
    private readonly db: Database,
    private readonly range: { readonly from: Date; readonly to: Date },
  ) {}

  /** Incidents and escalated incidents of the whole range, read once. */
  escalationTotals(): Promise<EscalationCounts> {
    this.#escalation ??= escalationCounts(this.db, this.range.from, this.range.to);
    return this.#escalation;
  }

  /** The delays of `metric` (undefined for a metric that is not a delay). */
  of(metric: SeriesMetric): Promise<Delays | undefined> {
    let delays = this.#byMetric.get(metric);
    if (!delays) {
      delays = this.#read(metric);
      this.#byMetric.set(metric, delays);
    }
    return delays;
  }

  async #read(metric: SeriesMetric): Promise<Delays | undefined> {
    const duration = durations[metric];
    if (!duration) return undefined;
    const delaySql = `((epoch(${duration.column}) - epoch(created_at)) / ${duration.unit}.0)::DOUBLE`;
    const where = `created_at >= $from AND created_at < $to AND ${duration.column} IS NOT NULL`;
    const params = { from: this.range.from, to: this.range.to };
    // Two reads, each ordered by DuckDB, so the main thread sorts nothing.
    const byTime = await queryArrow(
      this.db,
      `SELECT epoch_ms(created_at)::DOUBLE AS t, ${delaySql} AS delay FROM incidents WHERE ${where} ORDER BY created_at`,
      params,
    );
    const byDelay = await queryArrow(
      this.db,
      `SELECT ${delaySql} AS delay FROM incidents WHERE ${where} ORDER BY delay`,
      params,
    );
    // Every delay is finite: the difference of two non-null timestamps always is.
    const column = (table: typeof byTime, name: string) =>
      Float64Array.from((table.getChild(name)?.toArray() as Float64Array | undefined) ?? []);
    return { t: column(byTime, 't'), delay: column(byTime, 'delay'), sorted: column(byDelay, 'delay') };
  }
}

/** Incidents (`n`) and escalated incidents (`k`) created in a span. */
interface EscalationCounts {
  readonly n: number;
  readonly k: number;
}

async function escalationCounts(db: Database, from: Date, to: Date): Promise<EscalationCounts> {
  const row = await db.one(
    `SELECT count(*) AS n, count(*) FILTER (escalation_level > 0) AS k FROM incidents
     WHERE created_at >= $from AND created_at < $to`,
    { from, to },
  );
  return { n: Number(row?.['n'] ?? 0), k: Number(row?.['k'] ?? 0) };
}

/** The first index of ascending `values` holding a value ≥ `x`. */
function lowerBound(values: Float64Array, x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
