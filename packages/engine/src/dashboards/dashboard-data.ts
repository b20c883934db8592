import { createHash } from 'node:crypto';
import type { AnomalyService } from '../anomaly/anomaly-service.ts';
import type { CostService } from '../cost/cost-service.ts';
import type { HeatmapService } from '../heatmaps/heatmap-service.ts';
import type { InsightService } from '../insights/insight-service.ts';
import type { KpiService } from '../kpi/kpi-service.ts';
import type { KpiMeasurement } from '../kpi/records.ts';
import {
  type DashboardDataKey,
  listWidgetLimit,
  type WidgetConfig,
  widgetDataKey,
} from './dashboard-config.ts';

/**
 * What to read for a dashboard's data, planned from its widgets (pure): the data keys its widgets
 * fill and, per key, how. Two widgets filling one key share one read: the union of their KPI
 * metrics (all when either shows all), the largest of their row limits, one insight type only when
 * every insight list widget names that same type, and each distinct heatmap once.
 */
export interface DashboardDataPlan {
  keys: DashboardDataKey[];
  /** Metric types of `kpi_summary`; `null` for every active metric. */
  kpiMetrics: string[] | null;
  recentAnomalies: number;
  recentInsights: { limit: number; insightType: string | null };
  heatmaps: { heatmap_type: string; time_granularity: string }[];
}

/** Plans the reads of a dashboard whose widgets are `widgets` (see {@link DashboardDataPlan}). */
export function planDashboardData(widgets: readonly WidgetConfig[]): DashboardDataPlan {
  const keys = new Set<DashboardDataKey>();
  let kpiMetrics: Set<string> | null | undefined;
  let recentAnomalies = 0;
  let insightLimit = 0;
  const insightTypes = new Set<string | null>();
  const heatmaps = new Map<string, { heatmap_type: string; time_granularity: string }>();
  for (const widget of widgets) {
    keys.add(widgetDataKey[widget.type]);
    const options = widget.options ?? {};
    const limit = options.limit ?? listWidgetLimit.default;
    switch (widget.type) {
      case 'kpi_summary':
      case 'kpi_trend':
        if (options.metrics === undefined || kpiMetrics === null) kpiMetrics = null;
        else kpiMetrics = new Set([...(kpiMetrics ?? []), ...options.metrics]);
        break;
      case 'recent_anomalies':
        recentAnomalies = Math.max(recentAnomalies, limit);
        break;
      case 'recent_insights':
      case 'forecast':
        insightLimit = Math.max(insightLimit, limit);
        insightTypes.add(widget.type === 'forecast' ? 'INCIDENT_FORECAST' : (options.insight_type ?? null));
        break;
      case 'heatmap': {
        const heatmap = {
          heatmap_type: options.heatmap_type ?? 'INCIDENT_FREQUENCY',
          time_granularity: options.time_granularity ?? 'HOURLY',
        };
        heatmaps.set(`${heatmap.heatmap_type}/${heatmap.time_granularity}`, heatmap);
        break;
      }
      default:
        break;
    }
  }
  const onlyType = insightTypes.size === 1 ? [...insightTypes][0] : null;
  return {
    keys: [...keys],
    kpiMetrics: kpiMetrics ? [...kpiMetrics] : null,
    recentAnomalies,
    recentInsights: { limit: insightLimit, insightType: onlyType ?? null },
    heatmaps: [...heatmaps.values()],
  };
}

/** The services a dashboard's data is read from (the engine's own, unscoped). */
export interface DashboardSources {
  kpis: Pick<KpiService, 'summary' | 'list' | 'measurements'>;
  anomalies: Pick<AnomalyService, 'summary' | 'list'>;
  insights: Pick<InsightService, 'summary' | 'list'>;
  heatmaps: Pick<HeatmapService, 'list'>;
  /** Absent in an engine without the cost capability: `cost_summary` is then `null`. */
  costs?: Pick<CostService, 'summary'> | undefined;
}

/**
 * The spec's dashboard data: each key present only when a configured widget fills it, each value
 * what that key's own endpoint answers (`kpi_summary` = `GET /kpi-metrics/summary/`, narrowed to
 * the widgets' metrics; `recent_anomalies` = the first rows of `GET /anomaly-detections/`;
 * `heatmap_data` = the latest stored heatmap of each configured type and granularity, none when
 * none is stored), and `last_updated`, when it was computed.
 */
export interface DashboardData {
  kpi_summary?: unknown[];
  anomaly_summary?: unknown;
  cost_summary?: unknown;
  insight_summary?: unknown;
  recent_anomalies?: unknown[];
  recent_insights?: unknown[];
  heatmap_data?: unknown[];
  last_updated: Date;
}

/** Reads every key of `plan` concurrently. */
export async function readDashboardData(
  plan: DashboardDataPlan,
  sources: DashboardSources,
  now: Date,
): Promise<DashboardData> {
  const readers: Record<DashboardDataKey, () => Promise<unknown>> = {
    kpi_summary: async () => {
      const items = await sources.kpis.summary();
      const metrics = plan.kpiMetrics;
      return metrics === null ? items : items.filter((item) => metrics.includes(item.metric_type));
    },
    anomaly_summary: () => sources.anomalies.summary(),
    cost_summary: async () => (sources.costs ? sources.costs.summary() : null),
    insight_summary: () => sources.insights.summary(),
    recent_anomalies: async () => (await sources.anomalies.list({ pageSize: plan.recentAnomalies })).results,
    recent_insights: async () => {
      const { limit, insightType } = plan.recentInsights;
      const filters = insightType === null ? {} : { insight_type: insightType };
      return (await sources.insights.list({ pageSize: limit, filters })).results;
    },
    heatmap_data: async () => {
      const pages = await Promise.all(
        plan.heatmaps.map((filters) => sources.heatmaps.list({ pageSize: 1, filters })),
      );
      return pages.flatMap((page) => page.results);
    },
  };
  const values = await Promise.all(plan.keys.map((key) => readers[key]()));
  const data: Record<string, unknown> = {};
  plan.keys.forEach((key, i) => {
    data[key] = values[i];
  });
  return { ...data, last_updated: now } as DashboardData;
}

/** Measurements of each metric a KPI trend widget draws, newest first. */
const trendMeasurementsPerMetric = 60;

/**
 * The KPI measurement history the `kpi_trend` widgets among `widgets` draw: the newest
 * {@link trendMeasurementsPerMetric} of each active metric they name (every active metric when a
 * widget names none), as `GET /kpi-measurements/` lists them; none without such a widget.
 */
export async function readTrendMeasurements(
  widgets: readonly WidgetConfig[],
  kpis: DashboardSources['kpis'],
): Promise<KpiMeasurement[]> {
  const trends = widgets.filter((w) => w.type === 'kpi_trend');
  if (trends.length === 0) return [];
  const everyMetric = trends.some((w) => w.options?.metrics === undefined);
  const wanted = new Set(trends.flatMap((w) => w.options?.metrics ?? []));
  const metrics = (await kpis.list({ pageSize: 100, filters: { is_active: true } })).results.filter(
    (metric) => everyMetric || wanted.has(metric.metric_type),
  );
  const pages = await Promise.all(
    metrics.map((metric) =>
      kpis.measurements({ pageSize: trendMeasurementsPerMetric, filters: { metric_id: metric.id } }),
    ),
  );
  return pages.flatMap((page) => page.results);
}

/**
 * A weak entity tag of the data without `last_updated`: equal whenever the widgets' contents are,
 * so a client holding it may skip a body that only a later computation time would change.
 */
export function dashboardDataEtag(data: DashboardData): string {
  const { last_updated: _computedAt, ...content } = data;
  const text = JSON.stringify(content, (_key, value: unknown) =>
    typeof value === 'bigint' ? Number(value) : value,
  );
  return `W/"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"`;
}
