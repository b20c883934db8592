import type { EngineContext } from '../../context.ts';
import { severities } from '../../schema/enums.ts';
import { queryArrow } from '../../store/arrow-bridge.ts';
import { yieldToEventLoop } from '../../store/time-slice.ts';
import { packColumns } from '../../workers/column-batch.ts';
import { quantilesBySelection } from '../kernels/order-stats.ts';
import type { AnomalyModelConfig } from '../persist/anomaly-model.ts';
import { type BehavioralPayload, type BehavioralTest, behavioralTaskName } from '../tasks/behavioral-task.ts';
import type { AnomalyDraft } from './anomaly-merge.ts';
import { formatAmount } from './anomaly-wording.ts';
import { readRelatedIncidents } from './related-incidents.ts';

/** The time ranges of a run: history from `from`, report window from `start`, both ending at `to`. */
export interface RunRange {
  readonly from: Date;
  readonly start: Date;
  readonly to: Date;
}

/**
 * BEHAVIORAL family: each service and each team against its own baseline. The run window is cut
 * into periods of `behavioral.recent_days` days, counted back from its end (one period when the
 * window is shorter: the last `recent_days` days); each period is compared with the slice's
 * incidents in the rest of the examined range (history before, and for past windows also the days
 * after). Two tests per slice and period, each reported when both samples have
 * `behavioral.min_samples` incidents and its p-value is below `behavioral.alpha` divided by the
 * number of tests made (Bonferroni, so a run over months does not collect chance findings):
 * - MTTA and MTTR distribution shifts: two-sample Kolmogorov–Smirnov on acknowledgement delays
 *   and on resolution delays, each divided by the median delay of its severity (so a change of
 *   severity mix alone is not a shift); resolution delays only for periods at least 95% resolved;
 * - severity-mix change: Pearson chi-square homogeneity on the 2 × 4 table of severity counts.
 * anomaly_score is −log10(p) and threshold_used −log10 of the corrected level, so the score
 * ratio reads as "how far past the significance level"; confidence_score is 1 − p.
 * The tests run in a worker thread (task `anomaly.behavioral`) on columns read through the Arrow
 * bridge; only the significant ones come back here to be described.
 */
export async function behavioralDrafts(
  context: EngineContext,
  range: RunRange,
  config: AnomalyModelConfig,
): Promise<AnomalyDraft[]> {
  const { recent_days: recentDays, alpha, min_samples: minSamples } = config.behavioral;
  const periodMs = recentDays * 86_400_000;
  const periods: { start: number; end: number }[] = [];
  // Periods end on the hour, so consecutive runs test the same periods and re-runs find them known.
  const lastHour = Math.floor(range.to.getTime() / 3_600_000) * 3_600_000;
  for (let end = lastHour; ; end -= periodMs) {
    const start = end - periodMs;
    if (start < range.from.getTime()) break;
    periods.push({ start, end });
    if (start <= range.start.getTime()) break;
  }
  const periodStarts = Float64Array.from(periods, (x) => x.start);
  const periodEnds = Float64Array.from(periods, (x) => x.end);
  const found: { kind: 'service' | 'team'; slices: SliceData; test: BehavioralTest }[] = [];
  let tests = 0;
  for (const kind of ['service', 'team'] as const) {
    const slices = await readSlices(context, kind, range);
    if (slices.names.length === 0) continue;
    // The slices are read again for the findings, so the worker gets copies (moved by `pool.run`).
    const payload: BehavioralPayload = {
      slices: packColumns(
        { t: slices.t, severity: slices.severity, ratio: slices.ratio, resolveRatio: slices.resolveRatio },
        { offsets: slices.offsets, copy: true },
      ),
      periods: packColumns({ start: periodStarts, end: periodEnds }, { copy: true }),
      minSamples,
    };
    const results = await context.pool.run<BehavioralTest[]>(behavioralTaskName, payload);
    tests += results.length;
    for (const test of results) found.push({ kind, slices, test });
  }
  const level = alpha / Math.max(1, tests);
  const drafts: AnomalyDraft[] = [];
  for (const { kind, slices, test } of found) {
    if (!(test.p < level)) continue;
    const period = periods[test.period];
    if (!period) continue;
    drafts.push(await findingDraft(context, kind, slices, period, test, level));
  }
  return drafts;
}

/** The incidents of every slice of one kind, slice after slice (`offsets` as in a column batch). */
interface SliceData {
  readonly names: string[];
  readonly offsets: Int32Array;
  readonly t: Float64Array;
  readonly severity: Uint8Array;
  readonly mtta: Float64Array;
  readonly ratio: Float64Array;
  /** Resolution delay in hours, and divided by its severity's median. */
  readonly mttr: Float64Array;
  readonly resolveRatio: Float64Array;
}

async function readSlices(
  context: EngineContext,
  kind: 'service' | 'team',
  range: RunRange,
): Promise<SliceData> {
  // Delays are divided by the median delay of their severity over the whole range: a CRITICAL
  // incident is acknowledged in minutes and a LOW one in hours, and without this a slice's
  // severity mix would drown a real slowdown in the spread between severities.
  const table = await queryArrow(
    context.db,
    `WITH m AS (SELECT severity,
                  median(epoch(acknowledged_at) - epoch(created_at)) / 60.0 AS med,
                  median(epoch(resolved_at) - epoch(created_at)) / 3600.0 AS med_r
                FROM incidents WHERE created_at >= $from AND created_at < $to GROUP BY severity)
     SELECT (dense_rank() OVER (ORDER BY i.${kind}) - 1)::INTEGER AS k,
       epoch_ms(i.created_at)::DOUBLE AS t,
       (list_position(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'], i.severity) - 1)::UTINYINT AS sev,
       coalesce((epoch(i.acknowledged_at) - epoch(i.created_at)) / 60.0, 'NaN'::DOUBLE) AS mtta,
       coalesce((epoch(i.acknowledged_at) - epoch(i.created_at)) / 60.0 / nullif(m.med, 0), 'NaN'::DOUBLE) AS ratio,
       coalesce((epoch(i.resolved_at) - epoch(i.created_at)) / 3600.0, 'NaN'::DOUBLE) AS mttr,
       coalesce((epoch(i.resolved_at) - epoch(i.created_at)) / 3600.0 / nullif(m.med_r, 0), 'NaN'::DOUBLE) AS resolve_ratio
     FROM incidents i LEFT JOIN m ON m.severity = i.severity
     WHERE i.created_at >= $from AND i.created_at < $to AND i.${kind} IS NOT NULL
     ORDER BY k, i.created_at`,
    { from: range.from, to: range.to },
  );
  // The names once each (in the order of `k`), not once per incident.
  const names = (
    await context.db.all(
      `SELECT DISTINCT ${kind} AS slice FROM incidents
       WHERE created_at >= $from AND created_at < $to AND ${kind} IS NOT NULL ORDER BY slice`,
      { from: range.from, to: range.to },
    )
  ).map((row) => String(row['slice']));
  const column = <T>(name: string) => table.getChild(name)?.toArray() as T;
  const k = column<Int32Array>('k') ?? new Int32Array(0);
  const offsets: number[] = [];
  for (let i = 0; i < k.length; i++) if (i === 0 || k[i] !== k[i - 1]) offsets.push(i);
  offsets.push(k.length);
  return {
    names,
    offsets: Int32Array.from(offsets),
    // Views of the result's columns: the worker's payload gets its own copies (packColumns).
    t: column<Float64Array | undefined>('t') ?? new Float64Array(0),
    severity: column<Uint8Array | undefined>('sev') ?? new Uint8Array(0),
    mtta: column<Float64Array | undefined>('mtta') ?? new Float64Array(0),
    ratio: column<Float64Array | undefined>('ratio') ?? new Float64Array(0),
    mttr: column<Float64Array | undefined>('mttr') ?? new Float64Array(0),
    resolveRatio: column<Float64Array | undefined>('resolve_ratio') ?? new Float64Array(0),
  };
}

async function findingDraft(
  context: EngineContext,
  kind: 'service' | 'team',
  slices: SliceData,
  period: { start: number; end: number },
  test: BehavioralTest,
  level: number,
): Promise<AnomalyDraft> {
  const slice = slices.names[test.slice] ?? '';
  const from = slices.offsets[test.slice] ?? 0;
  const to = slices.offsets[test.slice + 1] ?? 0;
  const related = await readRelatedIncidents(
    context.db,
    kind,
    slice,
    new Date(period.start),
    new Date(period.end),
  );
  const who = kind === 'service' ? slice : `team ${slice}`;
  const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
  const when = `from ${stamp(period.start)} to ${stamp(period.end)} UTC`;
  const common = {
    anomalyType: 'BEHAVIORAL' as const,
    rank: 8,
    threshold: -Math.log10(level),
    score: -Math.log10(Math.max(test.p, 1e-300)),
    confidence: 1 - test.p,
    windowStart: period.start,
    windowEnd: period.end,
    relatedIncidents: related.ids,
    affectedServices: kind === 'service' ? [slice] : related.services,
    impact: {
      criticalCount: related.criticalCount,
      highCount: related.highCount,
      affectedUsers: related.affectedUsers,
    },
  };
  if (test.type === 'mtta' || test.type === 'mttr') {
    const delays = test.type === 'mtta' ? slices.mtta : slices.mttr;
    const words = test.type === 'mtta' ? delayWords.mtta : delayWords.mttr;
    const base: number[] = [];
    const recent: number[] = [];
    for (let i = from; i < to; i++) {
      const m = delays[i]!;
      if (Number.isNaN(m)) continue;
      (slices.t[i]! >= period.start && slices.t[i]! < period.end ? recent : base).push(m);
    }
    // The baseline's quantiles by selection, not a sort of up to 10⁵ delays.
    await yieldToEventLoop();
    const [lower = Number.NaN, expected = Number.NaN, upper = Number.NaN] = quantilesBySelection(
      base,
      [0.1, 0.5, 0.9],
    );
    const [observed = Number.NaN] = quantilesBySelection(recent, [0.5]);
    return {
      ...common,
      seriesKey: `${test.type}_distribution:${kind}=${slice}`,
      affectedMetrics: [words.metric],
      description: `${words.what} for ${who} ${when}: median ${formatAmount(observed)} ${words.unit} against its baseline median of ${formatAmount(expected)} ${words.unit}; expected ${formatAmount(lower)} to ${formatAmount(upper)} ${words.unit} (KS D = ${test.statistic.toFixed(2)})`,
      metadata: {
        method: 'ks_two_sample',
        observed,
        expected,
        lower,
        upper,
        p_value: test.p,
        significance_level: level,
        statistic: test.statistic,
        samples: { baseline: base.length, recent: recent.length },
        slice: kind,
        slice_value: slice,
      },
    };
  }
  const severeShare = (c: number[]) => (100 * ((c[2] ?? 0) + (c[3] ?? 0))) / Math.max(1, sum(c));
  const baseCounts = test.baseCounts ?? [0, 0, 0, 0];
  const recentCounts = test.recentCounts ?? [0, 0, 0, 0];
  const observed = severeShare(recentCounts);
  const expected = severeShare(baseCounts);
  // Binomial band (± 3 standard errors) of the severe share for a sample the size of the recent one.
  const p = expected / 100;
  const spread = 300 * Math.sqrt((p * (1 - p)) / Math.max(1, sum(recentCounts)));
  const lower = Math.max(0, expected - spread);
  const upper = Math.min(100, expected + spread);
  return {
    ...common,
    seriesKey: `severity_mix:${kind}=${slice}`,
    affectedMetrics: ['SEVERITY_MIX'],
    description: `Severity mix of ${who} ${when}: ${formatAmount(observed)}% HIGH or CRITICAL of ${sum(recentCounts)} incidents against ${formatAmount(expected)}% in its baseline; expected ${formatAmount(lower)}% to ${formatAmount(upper)}% (chi-square ${test.statistic.toFixed(1)}, ${test.dof} dof)`,
    metadata: {
      method: 'chi_square_homogeneity',
      observed,
      expected,
      lower,
      upper,
      p_value: test.p,
      significance_level: level,
      statistic: test.statistic,
      dof: test.dof,
      counts: Object.fromEntries(
        severities.map((s, i) => [s, { baseline: baseCounts[i], recent: recentCounts[i] }]),
      ),
      slice: kind,
      slice_value: slice,
    },
  };
}

/** How a delay finding is told: its metric, its words and its unit. */
const delayWords = {
  mtta: { metric: 'MTTA', what: 'Acknowledgement times', unit: 'min' },
  mttr: { metric: 'MTTR', what: 'Resolution times', unit: 'h' },
} as const;

function sum(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}
