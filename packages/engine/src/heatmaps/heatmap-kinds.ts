/**
 * What a heatmap measures (`heatmap_type`):
 *
 * - `INCIDENT_FREQUENCY`: incidents created in the cell (unit `incidents`);
 * - `RESOLUTION_TIME`: MTTR of the cell, the mean of `resolved_at − created_at` in hours over the
 *   incidents created in it and resolved (open ones left out); `null` where none is resolved;
 * - `COST_IMPACT`: the sum of `cost_analyses.cost_amount` of the incidents created in the cell
 *   (unit: the analyses' currency);
 * - `ANOMALY_DENSITY`: anomaly detections whose window starts in the cell (unit `anomalies`).
 */
export const heatmapTypes = [
  'INCIDENT_FREQUENCY',
  'RESOLUTION_TIME',
  'COST_IMPACT',
  'ANOMALY_DENSITY',
] as const;

/** One of {@link heatmapTypes}. */
export type HeatmapType = (typeof heatmapTypes)[number];

/**
 * The grid of a heatmap (`time_granularity`), rows × columns, all in UTC:
 *
 * - `HOURLY`: weekday (Monday..Sunday) × hour of day (00:00..23:00);
 * - `DAILY`: service × day;
 * - `WEEKLY`: category × ISO week (starting Monday);
 * - `MONTHLY`: weekday × calendar month.
 */
export const timeGranularities = ['HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY'] as const;

/** One of {@link timeGranularities}. */
export type TimeGranularity = (typeof timeGranularities)[number];

/** What a heatmap's rows are. */
export type RowAxis = 'weekday' | 'service' | 'category';

/** What a heatmap's columns are. */
export type ColumnAxis = 'hour_of_day' | 'day' | 'week' | 'month';

/** The axes of each granularity. */
export const heatmapAxes: Readonly<Record<TimeGranularity, { rows: RowAxis; columns: ColumnAxis }>> = {
  HOURLY: { rows: 'weekday', columns: 'hour_of_day' },
  DAILY: { rows: 'service', columns: 'day' },
  WEEKLY: { rows: 'category', columns: 'week' },
  MONTHLY: { rows: 'weekday', columns: 'month' },
};

/** Readable names, used for a stored heatmap's `name`. */
const typeNames: Readonly<Record<HeatmapType, string>> = {
  INCIDENT_FREQUENCY: 'Incident frequency',
  RESOLUTION_TIME: 'Resolution time (MTTR, hours)',
  COST_IMPACT: 'Cost impact',
  ANOMALY_DENSITY: 'Anomaly density',
};

const axisNames: Readonly<Record<RowAxis | ColumnAxis, string>> = {
  weekday: 'weekday',
  service: 'service',
  category: 'category',
  hour_of_day: 'hour of day',
  day: 'day',
  week: 'week',
  month: 'month',
};

/** `Incident frequency by weekday and hour of day`, ... */
export function heatmapName(type: HeatmapType, granularity: TimeGranularity): string {
  const axes = heatmapAxes[granularity];
  return `${typeNames[type]} by ${axisNames[axes.rows]} and ${axisNames[axes.columns]}`;
}

/**
 * The incident filters a heatmap may be computed with; each keeps the cells' incidents (anomalies)
 * that match it. For `ANOMALY_DENSITY`, `service` is one of the anomaly's affected services,
 * `category` the category its series counts (`category=` in its series key) and `severity` the
 * anomaly's own severity.
 */
export interface HeatmapFilters {
  readonly service?: string;
  readonly category?: string;
  readonly severity?: string;
}

/** The filter names, in the order a filter key lists them. */
export const heatmapFilterNames = ['service', 'category', 'severity'] as const;
