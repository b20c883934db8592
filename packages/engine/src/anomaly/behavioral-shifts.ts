import type { EngineContext } from '../context.ts';
import { severities } from '../schema/enums.ts';
import type { AnomalyDraft } from './anomaly-merge.ts';
import type { AnomalyModelConfig } from './anomaly-model.ts';
import { formatAmount } from './anomaly-wording.ts';
import { chiSquareHomogeneity } from './kernels/chi-square.ts';
import { ksTwoSample } from './kernels/ks-two-sample.ts';
import { quantileSorted, sortedCopy } from './kernels/order-stats.ts';
import { readRelatedIncidents } from './related-incidents.ts';

/** The time ranges of a run: history from `from`, report window from `start`, both ending at `to`. */
export interface RunRange {
  readonly from: Date;
  readonly start: Date;
  readonly to: Date;
}

interface SliceSamples {
  slice: string;
  recent: boolean;
  mtta: number[];
  counts: number[];
}

/**
 * BEHAVIORAL family: each service and each team against its own baseline. The recent period is
 * the last `behavioral.recent_days` days (or the run window when longer); the baseline is the
 * history before it. Two tests per slice, each reported when its p-value is below
 * `behavioral.alpha` and both periods have `behavioral.min_samples` incidents:
 * - MTTA distribution shift: two-sample Kolmogorov–Smirnov on acknowledgement delays (minutes);
 * - severity-mix change: Pearson chi-square homogeneity on the 2 × 4 table of severity counts.
 * anomaly_score is −log10(p) and threshold_used −log10(alpha), so the score ratio reads as "how
 * many orders of magnitude past the significance level"; confidence_score is 1 − p.
 * The kernels are pure and cheap (O(n log n) per slice), so they run in-process.
 */
export async function behavioralDrafts(
  context: EngineContext,
  range: RunRange,
  config: AnomalyModelConfig,
): Promise<AnomalyDraft[]> {
  const { recent_days: recentDays, alpha, min_samples: minSamples } = config.behavioral;
  const recentStart = new Date(Math.min(range.start.getTime(), range.to.getTime() - recentDays * 86_400_000));
  const drafts: AnomalyDraft[] = [];
  for (const kind of ['service', 'team'] as const) {
    const rows = await context.db.all(
      `SELECT ${kind} AS slice, created_at >= $recent AS recent,
         coalesce(list((epoch(acknowledged_at) - epoch(created_at)) / 60.0) FILTER (acknowledged_at IS NOT NULL), [])
           AS mtta,
         [count(*) FILTER (severity = 'LOW'), count(*) FILTER (severity = 'MEDIUM'),
          count(*) FILTER (severity = 'HIGH'), count(*) FILTER (severity = 'CRITICAL')]::DOUBLE[] AS counts
       FROM incidents WHERE created_at >= $from AND created_at < $to AND ${kind} IS NOT NULL
       GROUP BY ALL ORDER BY slice, recent`,
      { from: range.from, to: range.to, recent: recentStart },
    );
    const bySlice = new Map<string, { base?: SliceSamples; recent?: SliceSamples }>();
    for (const r of rows) {
      const s: SliceSamples = {
        slice: String(r['slice']),
        recent: Boolean(r['recent']),
        mtta: (r['mtta'] as number[]).map(Number),
        counts: (r['counts'] as number[]).map(Number),
      };
      const entry = bySlice.get(s.slice) ?? {};
      if (s.recent) entry.recent = s;
      else entry.base = s;
      bySlice.set(s.slice, entry);
    }
    for (const [slice, { base, recent }] of bySlice) {
      if (!base || !recent) continue;
      const window = { start: recentStart.getTime(), end: range.to.getTime() };
      const related = await readRelatedIncidents(context.db, kind, slice, recentStart, range.to);
      const common = {
        anomalyType: 'BEHAVIORAL' as const,
        rank: 8,
        threshold: -Math.log10(alpha),
        windowStart: window.start,
        windowEnd: window.end,
        relatedIncidents: related.ids,
        affectedServices: kind === 'service' ? [slice] : related.services,
        impact: {
          criticalCount: related.criticalCount,
          highCount: related.highCount,
          affectedUsers: related.affectedUsers,
        },
      };
      const who = kind === 'service' ? slice : `team ${slice}`;
      const period = `from ${recentStart.toISOString().slice(0, 16).replace('T', ' ')} to ${range.to.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
      if (base.mtta.length >= minSamples && recent.mtta.length >= minSamples) {
        const ks = ksTwoSample(base.mtta, recent.mtta);
        if (ks.pValue < alpha) {
          const b = sortedCopy(base.mtta);
          const now = sortedCopy(recent.mtta);
          const observed = quantileSorted(now, 0.5);
          const expected = quantileSorted(b, 0.5);
          const lower = quantileSorted(b, 0.1);
          const upper = quantileSorted(b, 0.9);
          drafts.push({
            ...common,
            seriesKey: `mtta_distribution:${kind}=${slice}`,
            score: -Math.log10(Math.max(ks.pValue, 1e-300)),
            confidence: 1 - ks.pValue,
            affectedMetrics: ['MTTA'],
            description: `Acknowledgement times for ${who} ${period}: median ${formatAmount(observed)} min against its baseline median of ${formatAmount(expected)} min; expected ${formatAmount(lower)} to ${formatAmount(upper)} min (KS D = ${ks.statistic.toFixed(2)})`,
            metadata: {
              method: 'ks_two_sample',
              observed,
              expected,
              lower,
              upper,
              p_value: ks.pValue,
              statistic: ks.statistic,
              samples: { baseline: ks.n1, recent: ks.n2 },
              slice: kind,
              slice_value: slice,
            },
          });
        }
      }
      const baseTotal = sum(base.counts);
      const recentTotal = sum(recent.counts);
      if (
        baseTotal >= minSamples &&
        recentTotal >= minSamples &&
        nonZeroColumns(base.counts, recent.counts) >= 2
      ) {
        const chi = chiSquareHomogeneity([base.counts, recent.counts]);
        if (chi.pValue < alpha) {
          const severeShare = (c: number[]) => (100 * ((c[2] ?? 0) + (c[3] ?? 0))) / Math.max(1, sum(c));
          const observed = severeShare(recent.counts);
          const expected = severeShare(base.counts);
          // Binomial band of the severe share for a sample the size of the recent one.
          const p = expected / 100;
          const spread = 300 * Math.sqrt((p * (1 - p)) / recentTotal);
          drafts.push({
            ...common,
            seriesKey: `severity_mix:${kind}=${slice}`,
            score: -Math.log10(Math.max(chi.pValue, 1e-300)),
            confidence: 1 - chi.pValue,
            affectedMetrics: ['SEVERITY_MIX'],
            description: `Severity mix of ${who} ${period}: ${formatAmount(observed)}% HIGH or CRITICAL of ${recentTotal} incidents against ${formatAmount(expected)}% in its baseline; expected ${formatAmount(Math.max(0, expected - spread))}% to ${formatAmount(Math.min(100, expected + spread))}% (chi-square ${chi.statistic.toFixed(1)}, ${chi.dof} dof)`,
            metadata: {
              method: 'chi_square_homogeneity',
              observed,
              expected,
              lower: Math.max(0, expected - spread),
              upper: Math.min(100, expected + spread),
              p_value: chi.pValue,
              statistic: chi.statistic,
              dof: chi.dof,
              counts: Object.fromEntries(
                severities.map((s, i) => [s, { baseline: base.counts[i], recent: recent.counts[i] }]),
              ),
              slice: kind,
              slice_value: slice,
            },
          });
        }
      }
    }
  }
  return drafts;
}

function sum(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

function nonZeroColumns(a: readonly number[], b: readonly number[]): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if ((a[i] ?? 0) + (b[i] ?? 0) > 0) n++;
  return n;
}
