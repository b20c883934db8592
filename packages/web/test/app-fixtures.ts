import type { Api } from '../src/app/api.ts';
import type {
  AnomalyJson,
  HeatmapDataJson,
  KpiSummaryItemJson,
  PredictiveInsightJson,
} from '../src/charts/index.ts';

/** A KPI summary line of `metric_type`, made up: 42 minutes, down 10%, target met. */
export function kpi(metricType: string, extra: Partial<KpiSummaryItemJson> = {}): KpiSummaryItemJson {
  return {
    metric_type: metricType,
    metric_name: `Metric ${metricType}`,
    current_value: '42.00',
    unit: 'minutes',
    trend: 'down',
    trend_percentage: '-10.0',
    period_start: '2026-01-01T00:00:00Z',
    period_end: '2026-01-02T00:00:00Z',
    incident_count: 12,
    target_value: '60.00',
    target_met: true,
    ...extra,
  };
}

/** An anomaly, made up. */
export function anomaly(extra: Partial<AnomalyJson> = {}): AnomalyJson {
  return {
    id: 'a1',
    anomaly_type: 'STATISTICAL',
    severity: 'HIGH',
    status: 'DETECTED',
    anomaly_score: 4.2,
    detected_at: '2026-01-01T09:00:00Z',
    affected_services: ['search'],
    description: '23 incidents for search; expected 0 to 2.4',
    ...extra,
  };
}

/** A one-cell heatmap of a type and granularity, made up. */
export function heatmap(type: string, granularity: string): HeatmapDataJson {
  return {
    name: `${type} ${granularity}`,
    heatmap_type: type,
    time_granularity: granularity,
    rows: ['1'],
    columns: ['0'],
    labels: { rows: ['Monday'], columns: ['00:00'] },
    values: [[3]],
    unit: 'incidents',
  };
}

/** An insight of a type, made up. */
export function insight(id: string, type: string): PredictiveInsightJson {
  return {
    id,
    insight_type: type,
    title: `Insight ${id}`,
    prediction_value: { value: 50, lower: 40, upper: 60 },
    predicted_at: '2026-01-01T00:00:00Z',
    prediction_window_start: '2026-01-02T00:00:00Z',
    prediction_window_end: '2026-01-03T00:00:00Z',
    is_acknowledged: false,
  };
}

/** An {@link Api} answering `"METHOD /path/"` keys (a value, or a function making one), recording each call. */
export function fakeApi(answers: Record<string, unknown> = {}) {
  const calls: { method: string; path: string; body?: unknown }[] = [];
  const answer = async (method: string, path: string, body?: unknown) => {
    calls.push({ method, path, ...(body === undefined ? {} : { body }) });
    const key = `${method} ${path.split('?')[0]}`;
    if (!(key in answers)) throw new Error(`unexpected ${key}`);
    const value = answers[key];
    return typeof value === 'function' ? (value as () => unknown)() : value;
  };
  const api: Api = {
    get: <T>(path: string) => answer('GET', path) as Promise<T>,
    post: <T>(path: string, body?: unknown) => answer('POST', path, body) as Promise<T>,
    put: <T>(path: string, body: unknown) => answer('PUT', path, body) as Promise<T>,
    patch: <T>(path: string, body: unknown) => answer('PATCH', path, body) as Promise<T>,
    delete: async (path) => {
      await answer('DELETE', path);
    },
  };
  return { api, calls };
}
