import type * as arrow from 'apache-arrow';
import type { EngineContext } from '../../context.ts';
import { EngineError } from '../../errors.ts';
import { queryArrow } from '../../store/arrow-bridge.ts';
import { TimeSlice } from '../../store/time-slice.ts';
import { packColumns } from '../../workers/column-batch.ts';
import { quantileSorted, sortedCopy } from '../kernels/order-stats.ts';
import type { AnomalyModelConfig } from '../persist/anomaly-model.ts';
import { type ForestPayload, forestTaskName } from '../tasks/forest-task.ts';
import type { AnomalyDraft } from './anomaly-merge.ts';
import { formatAmount } from './anomaly-wording.ts';
import type { RunRange } from './behavioral-shifts.ts';
import { readRelatedIncidents } from './related-incidents.ts';

/** Categories given their own feature column; the rest are summed into one. */
const topCategories = 8;
/** Isolation scores at or below this are normal whatever the contamination quantile says. */
const minScore = 0.62;

/**
 * PATTERN family, multivariate part: an isolation forest (kernel `isolationForest`) over windows of
 * `isolation_forest.window_hours` hours of the history and the run window. A window's features
 * are its incident count per category (the 8 most frequent, the rest together), its severity
 * mix (share of each severity), its total and its mean MTTA in minutes (the median of all windows
 * when none was acknowledged). A window is anomalous when its score is in the top
 * `contamination` share of all windows and above 0.62, and at least one of its incidents exists
 * (an empty window is a lull, which the count series report). Cost: one SQL pass, then
 * O(trees · ψ log ψ) for the forest, which runs in a worker thread.
 */
export async function patternForestDrafts(
  context: EngineContext,
  range: RunRange,
  config: AnomalyModelConfig,
): Promise<AnomalyDraft[]> {
  const settings = config.isolation_forest;
  const widthMs = settings.window_hours * 3_600_000;
  const from = Math.floor(range.from.getTime() / widthMs) * widthMs;
  const rowsCount = Math.floor((range.to.getTime() - from) / widthMs);
  if (rowsCount < 16) return [];
  const categories = (
    await context.db.all(
      `SELECT category FROM incidents WHERE created_at >= $from AND created_at < $to AND category IS NOT NULL
       GROUP BY category ORDER BY count(*) DESC, category LIMIT ${topCategories}`,
      { from: new Date(from), to: range.to },
    )
  ).map((r) => String(r['category']));
  // Read as columns (Arrow bridge): window, category position (0 = other), severity index
  // (LOW 0, MEDIUM 1, HIGH 2, CRITICAL 3) and MTTA in minutes (NaN when never acknowledged).
  const incidents = await queryArrow(
    context.db,
    `SELECT ((epoch_ms(created_at) - $from) // $width)::INTEGER AS w,
       coalesce(list_position($categories, category), 0)::INTEGER AS cat,
       (CASE severity WHEN 'MEDIUM' THEN 1 WHEN 'HIGH' THEN 2 WHEN 'CRITICAL' THEN 3 ELSE 0 END)::INTEGER AS sev,
       coalesce((epoch(acknowledged_at) - epoch(created_at)) / 60.0, 'NaN')::DOUBLE AS mtta
     FROM incidents WHERE created_at >= $fromTs AND created_at < $to`,
    { from, width: widthMs, categories, fromTs: new Date(from), to: new Date(from + rowsCount * widthMs) },
  );
  const windows = numericColumn(incidents, 'w');
  const categoryPositions = numericColumn(incidents, 'cat');
  const severities = numericColumn(incidents, 'sev');
  const acknowledgeMinutes = numericColumn(incidents, 'mtta');
  const cols = categories.length + 1 + 4 + 2;
  const data = new Float64Array(rowsCount * cols);
  const mttaSum = new Float64Array(rowsCount);
  const mttaN = new Float64Array(rowsCount);
  const incidentCount = incidents.numRows;
  const slice = new TimeSlice();
  for (let i = 0; i < incidentCount; i++) {
    if ((i & 16383) === 16383) await slice.pause();
    const w = windows[i]!;
    if (w < 0 || w >= rowsCount) continue;
    const cat = categoryPositions[i]!;
    data[w * cols + (cat === 0 ? categories.length : cat - 1)]! += 1;
    data[w * cols + categories.length + 1 + severities[i]!]! += 1;
    data[w * cols + cols - 2]! += 1;
    const mtta = acknowledgeMinutes[i]!;
    if (!Number.isNaN(mtta)) {
      mttaSum[w]! += mtta;
      mttaN[w]! += 1;
    }
  }
  const mttas = [...mttaSum]
    .map((s, i) => (mttaN[i] ? s / mttaN[i]! : Number.NaN))
    .filter((v) => !Number.isNaN(v));
  const fill = mttas.length ? quantileSorted(sortedCopy(mttas), 0.5) : 0;
  const totals = new Float64Array(rowsCount);
  for (let w = 0; w < rowsCount; w++) {
    const total = data[w * cols + cols - 2]!;
    totals[w] = total;
    for (let s = 0; s < 4; s++) data[w * cols + categories.length + 1 + s]! /= Math.max(1, total);
    data[w * cols + cols - 1] = mttaN[w] ? mttaSum[w]! / mttaN[w]! : fill;
  }
  // The features are read again below for the descriptions; the worker gets a copy, moved.
  const payload: ForestPayload = {
    windows: packColumns({ features: data }, { rows: rowsCount, widths: { features: cols }, copy: true }),
    trees: settings.trees,
    sampleSize: settings.sample_size,
    seed: 42,
  };
  const scores = await context.pool.run<Float64Array>(forestTaskName, payload);
  const cut = Math.max(minScore, quantileSorted(sortedCopy(scores), 1 - settings.contamination));
  const sortedTotals = sortedCopy(totals);
  const lower = quantileSorted(sortedTotals, 0.05);
  const upper = quantileSorted(sortedTotals, 0.95);
  const drafts: AnomalyDraft[] = [];
  for (let w = 0; w < rowsCount; w++) {
    const start = from + w * widthMs;
    const end = start + widthMs;
    const score = scores[w]!;
    if (score < cut || totals[w] === 0 || end <= range.start.getTime()) continue;
    const related = await readRelatedIncidents(context.db, 'all', null, new Date(start), new Date(end));
    const severe = data[w * cols + categories.length + 3]! + data[w * cols + categories.length + 4]!;
    const when = `${new Date(start).toISOString().slice(0, 16).replace('T', ' ')} to ${new Date(end).toISOString().slice(11, 16)} UTC`;
    drafts.push({
      anomalyType: 'PATTERN',
      seriesKey: `incident_features:${settings.window_hours}h:all`,
      rank: 10,
      score,
      threshold: cut,
      // The forest has no p-value; the share of windows scoring lower is its calibrated rank.
      confidence: rankShare(scores, score),
      windowStart: start,
      windowEnd: end,
      relatedIncidents: related.ids,
      affectedServices: related.services,
      affectedMetrics: ['INCIDENT_COUNT', 'SEVERITY_MIX', 'CATEGORY_MIX', 'MTTA'],
      description: `Unusual incident pattern ${when}: ${totals[w]} incidents, ${formatAmount(100 * severe)}% HIGH or CRITICAL, mean MTTA ${formatAmount(data[w * cols + cols - 1]!)} min; expected ${formatAmount(lower)} to ${formatAmount(upper)} incidents a window (isolation score ${score.toFixed(2)})`,
      impact: {
        criticalCount: related.criticalCount,
        highCount: related.highCount,
        affectedUsers: related.affectedUsers,
      },
      metadata: {
        method: 'isolation_forest',
        observed: totals[w],
        expected: quantileSorted(sortedTotals, 0.5),
        lower,
        upper,
        window_hours: settings.window_hours,
        features: [
          ...categories.map((c) => `count:${c}`),
          'count:other',
          'share:LOW',
          'share:MEDIUM',
          'share:HIGH',
          'share:CRITICAL',
          'count',
          'mtta_minutes',
        ],
        trees: settings.trees,
        sample_size: settings.sample_size,
        contamination: settings.contamination,
      },
    });
  }
  return drafts;
}

/** A non-null numeric column of `table` as one typed array (the bridge returns one record batch). */
function numericColumn(table: arrow.Table, name: string): Int32Array | Float64Array {
  const values = table.getChild(name)?.toArray() as unknown;
  if (!(values instanceof Int32Array || values instanceof Float64Array)) {
    throw new EngineError('INTERNAL', `pattern forest: column ${name} is not numeric`, { column: name });
  }
  return values;
}

function rankShare(scores: Float64Array, score: number): number {
  let below = 0;
  for (const s of scores) if (s < score) below++;
  return below / scores.length;
}
