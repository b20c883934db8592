import type { EngineContext } from '../context.ts';
import { severities } from '../schema/enums.ts';
import type { AnomalyDraft } from './anomaly-merge.ts';
import type { AnomalyModelConfig } from './anomaly-model.ts';
import { formatAmount } from './anomaly-wording.ts';
import { type ChiSquareResult, chiSquareHomogeneity } from './kernels/chi-square.ts';
import { type KsResult, ksTwoSample } from './kernels/ks-two-sample.ts';
import { quantileSorted, sortedCopy } from './kernels/order-stats.ts';
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
 * - MTTA distribution shift: two-sample Kolmogorov–Smirnov on acknowledgement delays, each
 *   divided by the median delay of its severity (so a change of severity mix alone is not a shift);
 * - severity-mix change: Pearson chi-square homogeneity on the 2 × 4 table of severity counts.
 * anomaly_score is −log10(p) and threshold_used −log10 of the corrected level, so the score
 * ratio reads as "how far past the significance level"; confidence_score is 1 − p.
 * The kernels are pure and cheap (O(n log n) per slice and period), so they run in-process.
 */
export async function behavioralDrafts(
  context: EngineContext,
  range: RunRange,
  config: AnomalyModelConfig,
): Promise<AnomalyDraft[]> {
  const { recent_days: recentDays, alpha, min_samples: minSamples } = config.behavioral;
  const periodMs = recentDays * 86_400_000;
  const periods: { start: number; end: number }[] = [];
  for (let end = range.to.getTime(); ; end -= periodMs) {
    const start = end - periodMs;
    if (start < range.from.getTime()) break;
    periods.push({ start, end });
    if (start <= range.start.getTime()) break;
  }
  const candidates: {
    kind: 'service' | 'team';
    slice: string;
    period: { start: number; end: number };
    test: Finding;
  }[] = [];
  let tests = 0;
  for (const kind of ['service', 'team'] as const) {
    // Delays are divided by the median delay of their severity over the whole range: a CRITICAL
    // incident is acknowledged in minutes and a LOW one in hours, and without this a slice's
    // severity mix would drown a real slowdown in the spread between severities.
    const rows = await context.db.all(
      `WITH m AS (SELECT severity, median(epoch(acknowledged_at) - epoch(created_at)) / 60.0 AS med
                  FROM incidents WHERE created_at >= $from AND created_at < $to AND acknowledged_at IS NOT NULL
                  GROUP BY severity)
       SELECT i.${kind} AS slice, epoch_ms(i.created_at)::DOUBLE AS t, i.severity,
         (epoch(i.acknowledged_at) - epoch(i.created_at)) / 60.0 AS mtta,
         (epoch(i.acknowledged_at) - epoch(i.created_at)) / 60.0 / nullif(m.med, 0) AS ratio
       FROM incidents i LEFT JOIN m ON m.severity = i.severity
       WHERE i.created_at >= $from AND i.created_at < $to AND i.${kind} IS NOT NULL
       ORDER BY slice, i.created_at`,
      { from: range.from, to: range.to },
    );
    const bySlice = new Map<
      string,
      { t: number[]; severity: number[]; mtta: (number | null)[]; ratio: (number | null)[] }
    >();
    for (const r of rows) {
      const key = String(r['slice']);
      let entry = bySlice.get(key);
      if (!entry) {
        entry = { t: [], severity: [], mtta: [], ratio: [] };
        bySlice.set(key, entry);
      }
      entry.t.push(Number(r['t']));
      entry.severity.push(Math.max(0, severities.indexOf(r['severity'] as (typeof severities)[number])));
      entry.mtta.push(r['mtta'] === null ? null : Number(r['mtta']));
      entry.ratio.push(r['ratio'] === null ? null : Number(r['ratio']));
    }
    for (const [slice, data] of bySlice) {
      for (const period of periods) {
        const inside = (i: number) => data.t[i]! >= period.start && data.t[i]! < period.end;
        const recentMtta: number[] = [];
        const baseMtta: number[] = [];
        const recentRatio: number[] = [];
        const baseRatio: number[] = [];
        const recentCounts = [0, 0, 0, 0];
        const baseCounts = [0, 0, 0, 0];
        for (let i = 0; i < data.t.length; i++) {
          const m = data.mtta[i];
          const isIn = inside(i);
          if (m !== null && m !== undefined) (isIn ? recentMtta : baseMtta).push(m);
          const q = data.ratio[i];
          if (q !== null && q !== undefined) (isIn ? recentRatio : baseRatio).push(q);
          (isIn ? recentCounts : baseCounts)[data.severity[i]!]! += 1;
        }
        if (baseRatio.length >= minSamples && recentRatio.length >= minSamples) {
          tests++;
          const ks = ksTwoSample(baseRatio, recentRatio);
          candidates.push({
            kind,
            slice,
            period,
            test: { type: 'mtta', p: ks.pValue, ks, base: baseMtta, recent: recentMtta },
          });
        }
        if (
          sum(baseCounts) >= minSamples &&
          sum(recentCounts) >= minSamples &&
          nonZeroColumns(baseCounts, recentCounts) >= 2
        ) {
          tests++;
          const chi = chiSquareHomogeneity([baseCounts, recentCounts]);
          candidates.push({
            kind,
            slice,
            period,
            test: { type: 'mix', p: chi.pValue, chi, base: baseCounts, recent: recentCounts },
          });
        }
      }
    }
  }
  const level = alpha / Math.max(1, tests);
  const drafts: AnomalyDraft[] = [];
  for (const { kind, slice, period, test } of candidates) {
    if (!(test.p < level)) continue;
    drafts.push(await findingDraft(context, kind, slice, period, test, level));
  }
  return drafts;
}

type Finding =
  | { type: 'mtta'; p: number; ks: KsResult; base: number[]; recent: number[] }
  | { type: 'mix'; p: number; chi: ChiSquareResult; base: number[]; recent: number[] };

async function findingDraft(
  context: EngineContext,
  kind: 'service' | 'team',
  slice: string,
  period: { start: number; end: number },
  test: Finding,
  level: number,
): Promise<AnomalyDraft> {
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
  if (test.type === 'mtta') {
    const b = sortedCopy(test.base);
    const observed = quantileSorted(sortedCopy(test.recent), 0.5);
    const expected = quantileSorted(b, 0.5);
    const lower = quantileSorted(b, 0.1);
    const upper = quantileSorted(b, 0.9);
    return {
      ...common,
      seriesKey: `mtta_distribution:${kind}=${slice}`,
      affectedMetrics: ['MTTA'],
      description: `Acknowledgement times for ${who} ${when}: median ${formatAmount(observed)} min against its baseline median of ${formatAmount(expected)} min; expected ${formatAmount(lower)} to ${formatAmount(upper)} min (KS D = ${test.ks.statistic.toFixed(2)})`,
      metadata: {
        method: 'ks_two_sample',
        observed,
        expected,
        lower,
        upper,
        p_value: test.p,
        significance_level: level,
        statistic: test.ks.statistic,
        samples: { baseline: test.ks.n1, recent: test.ks.n2 },
        slice: kind,
        slice_value: slice,
      },
    };
  }
  const severeShare = (c: number[]) => (100 * ((c[2] ?? 0) + (c[3] ?? 0))) / Math.max(1, sum(c));
  const observed = severeShare(test.recent);
  const expected = severeShare(test.base);
  // Binomial band (± 3 standard errors) of the severe share for a sample the size of the recent one.
  const p = expected / 100;
  const spread = 300 * Math.sqrt((p * (1 - p)) / Math.max(1, sum(test.recent)));
  const lower = Math.max(0, expected - spread);
  const upper = Math.min(100, expected + spread);
  return {
    ...common,
    seriesKey: `severity_mix:${kind}=${slice}`,
    affectedMetrics: ['SEVERITY_MIX'],
    description: `Severity mix of ${who} ${when}: ${formatAmount(observed)}% HIGH or CRITICAL of ${sum(test.recent)} incidents against ${formatAmount(expected)}% in its baseline; expected ${formatAmount(lower)}% to ${formatAmount(upper)}% (chi-square ${test.chi.statistic.toFixed(1)}, ${test.chi.dof} dof)`,
    metadata: {
      method: 'chi_square_homogeneity',
      observed,
      expected,
      lower,
      upper,
      p_value: test.p,
      significance_level: level,
      statistic: test.chi.statistic,
      dof: test.chi.dof,
      counts: Object.fromEntries(
        severities.map((s, i) => [s, { baseline: test.base[i], recent: test.recent[i] }]),
      ),
      slice: kind,
      slice_value: slice,
    },
  };
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
