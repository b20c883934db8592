import { EngineError } from '../errors.ts';
import { heatmapTypes, timeGranularities } from '../heatmaps/heatmap-kinds.ts';
import { insightTypes } from '../insights/insight-record.ts';
import { metricTypes } from '../schema/enums.ts';

/**
 * What a dashboard is for: EXECUTIVE (headline KPIs and costs), OPERATIONAL (what is happening
 * now: recent anomalies, MTTA/MTTR), TECHNICAL (detectors, heatmaps, forecasts), CUSTOM (anything
 * else). The type labels the dashboard; it does not restrict its widgets.
 */
export const dashboardTypes = ['EXECUTIVE', 'OPERATIONAL', 'TECHNICAL', 'CUSTOM'] as const;
/** One of {@link dashboardTypes}. */
export type DashboardType = (typeof dashboardTypes)[number];

/**
 * The widget types a dashboard may hold, and the key of `GET /dashboard/{id}/data/` each one fills:
 * kpi_summary and kpi_trend → `kpi_summary`; anomaly_summary → `anomaly_summary`;
 * recent_anomalies → `recent_anomalies`; cost_summary and cost_breakdown → `cost_summary`;
 * insight_summary → `insight_summary`; recent_insights and forecast → `recent_insights`;
 * heatmap → `heatmap_data`.
 */
export const widgetTypes = [
  'kpi_summary',
  'kpi_trend',
  'anomaly_summary',
  'recent_anomalies',
  'cost_summary',
  'cost_breakdown',
  'insight_summary',
  'recent_insights',
  'heatmap',
  'forecast',
] as const;
/** One of {@link widgetTypes}. */
export type WidgetType = (typeof widgetTypes)[number];

/** A data key of the spec's dashboard data that a widget fills. */
export type DashboardDataKey =
  | 'kpi_summary'
  | 'anomaly_summary'
  | 'cost_summary'
  | 'insight_summary'
  | 'recent_anomalies'
  | 'recent_insights'
  | 'heatmap_data';

/** The data key each widget type fills. */
export const widgetDataKey: Readonly<Record<WidgetType, DashboardDataKey>> = {
  kpi_summary: 'kpi_summary',
  kpi_trend: 'kpi_summary',
  anomaly_summary: 'anomaly_summary',
  recent_anomalies: 'recent_anomalies',
  cost_summary: 'cost_summary',
  cost_breakdown: 'cost_summary',
  insight_summary: 'insight_summary',
  recent_insights: 'recent_insights',
  forecast: 'recent_insights',
  heatmap: 'heatmap_data',
};

/**
 * A widget's options, by type. kpi_summary, kpi_trend: `metrics` (metric types to show; all active
 * metrics when absent). recent_anomalies, recent_insights, forecast: `limit` (rows, 1..100, default
 * 10). recent_insights: `insight_type` (one type; all when absent); forecast always shows
 * INCIDENT_FORECAST insights. heatmap: `heatmap_type` (default INCIDENT_FREQUENCY) and
 * `time_granularity` (default HOURLY). The other types take no options.
 */
export interface WidgetOptions {
  metrics?: string[];
  limit?: number;
  insight_type?: string;
  heatmap_type?: string;
  time_granularity?: string;
}

/** One widget: its type, its cell in the grid (0-based), its size in cells and its options. */
export interface WidgetConfig {
  type: WidgetType;
  position: { row: number; column: number };
  size: { width: number; height: number };
  title?: string;
  options?: WidgetOptions;
}

/** The grid the widgets are placed on. */
export interface LayoutConfig {
  rows: number;
  columns: number;
}

/** Largest grid side, in cells. */
const maxGridSide = 24;
/** Bounds of `refresh_interval_seconds`. */
export const refreshIntervalBounds = { min: 10, max: 86_400 } as const;
/** Default and largest `limit` of a list widget. */
export const listWidgetLimit = { default: 10, max: 100 } as const;

const optionNames: Readonly<Record<WidgetType, readonly (keyof WidgetOptions)[]>> = {
  kpi_summary: ['metrics'],
  kpi_trend: ['metrics'],
  anomaly_summary: [],
  recent_anomalies: ['limit'],
  cost_summary: [],
  cost_breakdown: [],
  insight_summary: [],
  recent_insights: ['limit', 'insight_type'],
  forecast: ['limit'],
  heatmap: ['heatmap_type', 'time_granularity'],
};

/** A VALIDATION_ERROR naming `field`. */
export function invalid(field: string, message: string, extra: Record<string, unknown> = {}): EngineError {
  return new EngineError('VALIDATION_ERROR', `${field}: ${message}`, { field, ...extra });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function onlyKeys(value: Record<string, unknown>, allowed: readonly string[], field: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw invalid(`${field}.${key}`, `unknown field (accepted: ${allowed.join(', ') || 'none'})`);
    }
  }
}

function wholeNumber(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(field, `must be a whole number from ${min} to ${max}`);
  }
  return value;
}

function member<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T))
    throw invalid(field, `must be one of ${allowed.join(', ')}`, { allowed });
  return value as T;
}

/**
 * Checks `layout_config`: `{ rows, columns }`, each a whole number from 1 to {@link maxGridSide}.
 *
 * @throws EngineError VALIDATION_ERROR naming the field (`layout_config.rows`).
 */
export function checkLayout(value: unknown): LayoutConfig {
  if (!isPlainObject(value)) throw invalid('layout_config', 'must be an object { rows, columns }');
  onlyKeys(value, ['rows', 'columns'], 'layout_config');
  return {
    rows: wholeNumber(value['rows'], 'layout_config.rows', 1, maxGridSide),
    columns: wholeNumber(value['columns'], 'layout_config.columns', 1, maxGridSide),
  };
}

function checkOptions(type: WidgetType, value: unknown, field: string): WidgetOptions | undefined {
  if (value === undefined) return undefined;
  if (!isPlainObject(value)) throw invalid(field, 'must be an object');
  onlyKeys(value, optionNames[type], field);
  const out: WidgetOptions = {};
  if (value['metrics'] !== undefined) {
    const metrics = value['metrics'];
    if (!Array.isArray(metrics) || metrics.length === 0) {
      throw invalid(`${field}.metrics`, 'must be a non-empty list of metric types');
    }
    out.metrics = metrics.map((m, i) => member(m, `${field}.metrics[${i}]`, metricTypes));
  }
  if (value['limit'] !== undefined) {
    out.limit = wholeNumber(value['limit'], `${field}.limit`, 1, listWidgetLimit.max);
  }
  if (value['insight_type'] !== undefined) {
    out.insight_type = member(value['insight_type'], `${field}.insight_type`, insightTypes);
  }
  if (value['heatmap_type'] !== undefined) {
    out.heatmap_type = member(value['heatmap_type'], `${field}.heatmap_type`, heatmapTypes);
  }
  if (value['time_granularity'] !== undefined) {
    out.time_granularity = member(value['time_granularity'], `${field}.time_granularity`, timeGranularities);
  }
  return out;
}

/**
 * Checks `widget_configs` against `layout`: known types, each with its own options, each inside
 * the grid and none overlapping another.
 *
 * @throws EngineError VALIDATION_ERROR naming the field (`widget_configs[1].position.column`).
 */
export function checkWidgets(value: unknown, layout: LayoutConfig): WidgetConfig[] {
  if (!Array.isArray(value)) throw invalid('widget_configs', 'must be a list of widgets');
  const widgets: WidgetConfig[] = [];
  const occupied = new Map<string, number>();
  value.forEach((raw, index) => {
    const field = `widget_configs[${index}]`;
    if (!isPlainObject(raw)) throw invalid(field, 'must be an object { type, position, size }');
    onlyKeys(raw, ['type', 'position', 'size', 'title', 'options'], field);
    const type = member(raw['type'], `${field}.type`, widgetTypes);
    const position = raw['position'];
    if (!isPlainObject(position)) throw invalid(`${field}.position`, 'must be an object { row, column }');
    onlyKeys(position, ['row', 'column'], `${field}.position`);
    const row = wholeNumber(position['row'], `${field}.position.row`, 0, layout.rows - 1);
    const column = wholeNumber(position['column'], `${field}.position.column`, 0, layout.columns - 1);
    const size = raw['size'] ?? { width: 1, height: 1 };
    if (!isPlainObject(size)) throw invalid(`${field}.size`, 'must be an object { width, height }');
    onlyKeys(size, ['width', 'height'], `${field}.size`);
    const width = wholeNumber(size['width'] ?? 1, `${field}.size.width`, 1, layout.columns - column);
    const height = wholeNumber(size['height'] ?? 1, `${field}.size.height`, 1, layout.rows - row);
    for (let r = row; r < row + height; r++) {
      for (let c = column; c < column + width; c++) {
        const other = occupied.get(`${r},${c}`);
        if (other !== undefined) {
          throw invalid(`${field}.position`, `overlaps widget_configs[${other}] at row ${r}, column ${c}`);
        }
        occupied.set(`${r},${c}`, index);
      }
    }
    const widget: WidgetConfig = { type, position: { row, column }, size: { width, height } };
    if (raw['title'] !== undefined) {
      if (typeof raw['title'] !== 'string' || raw['title'].length > 200) {
        throw invalid(`${field}.title`, 'must be text of at most 200 characters');
      }
      widget.title = raw['title'];
    }
    const options = checkOptions(type, raw['options'], `${field}.options`);
    if (options !== undefined) widget.options = options;
    widgets.push(widget);
  });
  return widgets;
}
