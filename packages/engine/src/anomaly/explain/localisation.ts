import { queryArrow } from '../../store/arrow-bridge.ts';
import type { Database } from '../../store/database.ts';
import type { ElementCounts } from '../kernels/adtributor.ts';

/** The incident attributes the localisation searches, in the order ties are broken. */
export const localisationDimensions = [
  'service',
  'team',
  'category',
  'subcategory',
  'priority',
  'severity',
  'tag',
] as const;

/** One attribute searched by the localisation (`tag`: each element of `tags`, unnested). */
export type LocalisationDimension = (typeof localisationDimensions)[number];

/** What an anomaly's excess is measured in. */
export type LocalisationMeasure = 'count' | 'ack_minutes' | 'resolve_hours';

/** One anomaly to localise: its window and what its excess is measured in. */
export interface LocalisationWindow {
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly measure: LocalisationMeasure;
}

/** Incidents of one attribute value only (an anomaly's own slice), instead of all of them. */
export interface LocalisationScope {
  readonly dimension: Exclude<LocalisationDimension, 'tag'>;
  readonly value: string;
}

/** Per anomaly (same order as given), per dimension, each element's actual and expected value. */
export type LocalisedCounts = Map<LocalisationDimension, ElementCounts[]>[];

const hourMs = 3_600_000;
const weekHours = 168;

/** Hour of the week (0 = Sunday 00:00 UTC), as DuckDB's `dayofweek * 24 + hour`. */
function hourOfWeek(ms: number): number {
  const d = new Date(ms);
  return d.getUTCDay() * 24 + d.getUTCHours();
}

/**
 * How a window's baseline is read: for a window shorter than a week over a history of at least a
 * week, only the history's hours with the same hours of the week (a Monday-morning window against
 * Monday mornings), scaled by window hours / matching history hours; else the whole history,
 * scaled by window hours / history hours.
 */
function baselineOf(from: number, start: number, end: number): { hows: number[] | null; scale: number } {
  const windowHours = Math.max(1, Math.round((end - start) / hourMs));
  const historyHours = Math.max(0, Math.floor((start - from) / hourMs));
  if (windowHours >= weekHours || historyHours < weekHours) {
    return { hows: null, scale: historyHours > 0 ? windowHours / historyHours : 0 };
  }
  const hows = new Set<number>();
  for (let t = start; t < end; t += hourMs) hows.add(hourOfWeek(t));
  let matching = 0;
  for (let t = start - historyHours * hourMs; t < start; t += hourMs) if (hows.has(hourOfWeek(t))) matching++;
  return { hows: [...hows].sort((a, b) => a - b), scale: matching > 0 ? windowHours / matching : 0 };
}

/** Pseudo-incidents of the whole history's mix added to the same-hours baseline (see below). */
const priorStrength = 30;

/**
 * Expected counts of one dimension's elements: the same-hours baseline total scaled to the window,
 * split by the same-hours mix shrunk toward the whole history's mix (a Dirichlet posterior mean,
 * `priorStrength` pseudo-incidents). Four Monday 14:00 hours hold a few dozen incidents, too few
 * for the share of each service or category; the whole history holds thousands.
 */
function expectedCounts(
  list: readonly { value: string; wSum: number; season: number; all: number; scale: number }[],
): ElementCounts[] {
  let season = 0;
  let all = 0;
  let scale = 0;
  for (const r of list) {
    season += r.season;
    all += r.all;
    scale = Math.max(scale, r.scale);
  }
  const total = season * scale;
  return list.map((r) => ({
    value: r.value,
    actual: r.wSum,
    expected:
      season + priorStrength > 0 && all > 0
        ? (total * (r.season + (priorStrength * r.all) / all)) / (season + priorStrength)
        : 0,
  }));
}

/**
 * Actual and expected values per element of every dimension, for every window at once, in one
 * DuckDB query: incidents of `[from, to)` are counted per hour and element (GROUPING SETS over
 * the attributes, `tags` unnested), then summed over each window (actual) and over its baseline
 * (the history from `from` to the window's start, same hours of the week when the window is
 * shorter than a week). Counts are expected at the baseline rate scaled to the window's length,
 * split among elements as in {@link expectedCounts};
 * delays (`ack_minutes`, `resolve_hours`) are the sum of the window's delays against what the same
 * incidents would have taken at the element's baseline mean delay (the dimension's mean for an
 * element without baseline), so the excess is the extra waiting, not the extra volume. A missing
 * attribute is the element `(none)`. With `scope`, only the incidents of that attribute value count.
 */
export async function localisedCounts(
  db: Database,
  windows: readonly LocalisationWindow[],
  range: { from: Date; to: Date },
  scope?: LocalisationScope,
): Promise<LocalisedCounts> {
  const out: LocalisedCounts = windows.map(() => new Map());
  if (scope && !localisationDimensions.includes(scope.dimension)) {
    throw new Error(`unknown localisation dimension ${String(scope.dimension)}`);
  }
  // The scope's column is one of the whitelisted attributes; its value is bound, never inlined.
  const scoped = scope ? `AND ${scope.dimension} = $scopeValue` : '';
  if (windows.length === 0) return out;
  const from = Math.floor(range.from.getTime() / hourMs) * hourMs;
  // Every value inlined below is a number computed here, never text from a request.
  const rows = windows.map((w, i) => {
    const start = Math.floor(w.windowStart / hourMs) * hourMs;
    const end = Math.max(start + hourMs, Math.ceil(w.windowEnd / hourMs) * hourMs);
    const { hows, scale } = baselineOf(from, start, end);
    const list = hows ? `[${hows.join(',')}]::INTEGER[]` : 'NULL::INTEGER[]';
    return `(${i}, make_timestamp(${start * 1000}), make_timestamp(${end * 1000}), ${list}, ${scale})`;
  });
  const attrs = localisationDimensions.filter((d) => d !== 'tag');
  const which = attrs.map((d) => `WHEN grouping(${d}) = 0 THEN '${d}'`).join(' ');
  const measures = `count(*)::DOUBLE AS n, count(ack)::DOUBLE AS ack_n, coalesce(sum(ack), 0)::DOUBLE AS ack_sum,
    count(res)::DOUBLE AS res_n, coalesce(sum(res), 0)::DOUBLE AS res_sum`;
  const sums =
    'sum(n) AS n, sum(ack_n) AS ack_n, sum(ack_sum) AS ack_sum, sum(res_n) AS res_n, sum(res_sum) AS res_sum';
  const table = await queryArrow(
    db,
    `WITH a(k, ws, we, hows, scale) AS (VALUES ${rows.join(', ')}),
     base AS (SELECT date_trunc('hour', created_at) AS hour,
         ${attrs.map((d) => `coalesce(${d}::VARCHAR, '(none)') AS ${d}`).join(', ')}, tags,
         (epoch(acknowledged_at) - epoch(created_at)) / 60.0 AS ack,
         (epoch(resolved_at) - epoch(created_at)) / 3600.0 AS res
       FROM incidents WHERE created_at >= $from AND created_at < $to ${scoped}),
     g AS (
       SELECT hour, CASE ${which} END AS dim, coalesce(${attrs.join(', ')}) AS value, ${measures}
       FROM base GROUP BY GROUPING SETS (${attrs.map((d) => `(hour, ${d})`).join(', ')})
       UNION ALL
       SELECT hour, 'tag' AS dim, tag AS value, ${measures}
       FROM (SELECT hour, unnest(tags) AS tag, ack, res FROM base) GROUP BY hour, tag),
     w AS (SELECT a.k, g.dim, g.value, ${sums} FROM a JOIN g ON g.hour >= a.ws AND g.hour < a.we GROUP BY ALL),
     h AS (SELECT a.k, g.dim, g.value, ${sums}, any_value(a.scale) AS scale,
             coalesce(sum(g.n) FILTER (a.hows IS NULL
               OR list_contains(a.hows, (dayofweek(g.hour) * 24 + hour(g.hour))::INTEGER)), 0) AS season_n
           FROM a JOIN g ON g.hour >= $from AND g.hour < a.ws GROUP BY ALL)
     SELECT coalesce(w.k, h.k)::INTEGER AS k, coalesce(w.dim, h.dim) AS dim, coalesce(w.value, h.value) AS value,
       coalesce(w.n, 0) AS wn, coalesce(w.ack_n, 0) AS w_ack_n, coalesce(w.ack_sum, 0) AS w_ack_sum,
       coalesce(w.res_n, 0) AS w_res_n, coalesce(w.res_sum, 0) AS w_res_sum,
       coalesce(h.season_n, 0) AS season_n, coalesce(h.n, 0) AS hn, coalesce(h.scale, 0) AS scale, coalesce(h.ack_n, 0) AS h_ack_n, coalesce(h.ack_sum, 0) AS h_ack_sum,
       coalesce(h.res_n, 0) AS h_res_n, coalesce(h.res_sum, 0) AS h_res_sum
     FROM w FULL JOIN h ON w.k = h.k AND w.dim = h.dim AND w.value = h.value
     ORDER BY k, dim, value`,
    { from: new Date(from), to: range.to, ...(scope ? { scopeValue: scope.value } : {}) },
  );
  const col = (name: string) => table.getChild(name)?.toArray() as Float64Array;
  const k = table.getChild('k')?.toArray() as Int32Array;
  const dims = table.getChild('dim');
  const values = table.getChild('value');
  const [wn, wAckN, wAckSum, wResN, wResSum, seasonN, hn, scale, hAckN, hAckSum, hResN, hResSum] = [
    'wn',
    'w_ack_n',
    'w_ack_sum',
    'w_res_n',
    'w_res_sum',
    'season_n',
    'hn',
    'scale',
    'h_ack_n',
    'h_ack_sum',
    'h_res_n',
    'h_res_sum',
  ].map(col) as Float64Array[];
  if (!k || !dims || !values || !wn) return out;
  // Raw rows first; delays need the dimension's baseline mean for elements without a baseline.
  type Raw = {
    value: string;
    wn: number;
    wSum: number;
    hn: number;
    hSum: number;
    season: number;
    all: number;
    scale: number;
  };
  // Dimensions in their tie-breaking order (an attribute before a tag that mirrors it).
  const raw = windows.map(
    () => new Map<LocalisationDimension, Raw[]>(localisationDimensions.map((d) => [d, []])),
  );
  for (let i = 0; i < table.numRows; i++) {
    const window = windows[k[i] as number];
    if (!window) continue;
    const dim = String(dims.get(i)) as LocalisationDimension;
    const delay = window.measure === 'ack_minutes';
    const resolve = window.measure === 'resolve_hours';
    const row: Raw = {
      value: String(values.get(i)),
      wn: delay ? wAckN![i]! : resolve ? wResN![i]! : wn[i]!,
      wSum: delay ? wAckSum![i]! : resolve ? wResSum![i]! : wn[i]!,
      hn: delay ? hAckN![i]! : resolve ? hResN![i]! : 0,
      hSum: delay ? hAckSum![i]! : resolve ? hResSum![i]! : 0,
      season: seasonN![i]!,
      all: hn![i]!,
      scale: scale![i]!,
    };
    const byDim = raw[k[i] as number]!;
    const list = byDim.get(dim) ?? [];
    list.push(row);
    byDim.set(dim, list);
  }
  raw.forEach((byDim, i) => {
    const measure = windows[i]!.measure;
    for (const [dim, list] of byDim) {
      if (measure === 'count') {
        out[i]!.set(dim, expectedCounts(list));
        continue;
      }
      let n = 0;
      let s = 0;
      for (const r of list) {
        n += r.hn;
        s += r.hSum;
      }
      const dimensionMean = n > 0 ? s / n : 0;
      out[i]!.set(
        dim,
        list
          .filter((r) => r.wn > 0)
          .map((r) => ({
            value: r.value,
            actual: r.wSum,
            expected: r.wn * (r.hn > 0 ? r.hSum / r.hn : dimensionMean),
          })),
      );
    }
  });
  return out;
}
