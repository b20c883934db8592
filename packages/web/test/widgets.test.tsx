// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DashboardConfig, DashboardData, WidgetConfig } from '../src/app/dashboards/types.ts';
import { DashboardView } from '../src/app/dashboards/view.tsx';
import type { WidgetProps } from '../src/app/widgets/frame.tsx';
import { KpiSummaryWidget } from '../src/app/widgets/kpi-summary.tsx';
import { KpiTrendWidget } from '../src/app/widgets/kpi-trend.tsx';
import { RecentAnomaliesWidget } from '../src/app/widgets/recent-anomalies.tsx';
import { RecentInsightsWidget } from '../src/app/widgets/recent-insights.tsx';
import { anomaly, fakeApi, insight, kpi } from './app-fixtures.ts';

// Charts need a canvas: here they are an empty box with the contract's hook.
vi.mock('../src/app/widgets/chart.tsx', () => ({
  Chart: (props: { label: string }) => <div data-testid="chart" role="img" aria-label={props.label} />,
  preloadCharts: () => undefined,
}));

let root: HTMLElement;
beforeEach(() => {
  root = document.createElement('div');
  document.body.append(root);
});
afterEach(() => {
  render(null, root);
  root.remove();
  vi.useRealTimers();
});

const at = (type: WidgetConfig['type'], options?: WidgetConfig['options']): WidgetConfig => ({
  type,
  position: { row: 0, column: 0 },
  size: { width: 1, height: 1 },
  ...(options ? { options } : {}),
});

function props(
  widget: WidgetConfig,
  data: Partial<DashboardData> | undefined,
  extra: Partial<WidgetProps> = {},
): WidgetProps {
  return {
    widget,
    data: data ? { last_updated: '2026-01-01T10:00:00Z', ...data } : undefined,
    dataState: data ? 'ready' : 'loading',
    dataError: null,
    api: fakeApi().api,
    canWrite: true,
    onChanged: () => undefined,
    headingId: 'w0',
    ...extra,
  };
}

const widgetRoot = () => root.querySelector<HTMLElement>('[data-testid="widget"]')!;
const buttons = (name: string) =>
  [...root.querySelectorAll('button')].filter((b) => b.textContent?.trim() === name);
const flush = () =>
  act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
  });

describe('KPI tiles', () => {
  it('show value, unit, trend and target, with the test hooks', () => {
    render(
      <KpiSummaryWidget
        {...props(at('kpi_summary'), {
          kpi_summary: [kpi('MTTA'), kpi('MTTR', { target_met: false, trend: 'up', trend_percentage: '5' })],
        })}
      />,
      root,
    );
    expect(widgetRoot().dataset.widgetType).toBe('kpi_summary');
    expect(widgetRoot().dataset.state).toBe('ready');
    const tiles = root.querySelectorAll('[data-testid="kpi-tile"]');
    expect(tiles).toHaveLength(2);
    expect(tiles[0]!.textContent).toContain('42 minutes');
    expect(tiles[0]!.textContent).toContain('▼ down 10%');
    expect(tiles[0]!.textContent).toContain('✓ Target met');
    expect(tiles[1]!.textContent).toContain('▲ up 5%');
    expect(tiles[1]!.textContent).toContain('✗ Target missed');
  });

  it('say when there is nothing yet, when loading, and when the data failed', () => {
    render(
      <KpiSummaryWidget
        {...props(at('kpi_summary', { metrics: ['MTBF'] }), { kpi_summary: [kpi('MTTA')] })}
      />,
      root,
    );
    expect(widgetRoot().dataset.state).toBe('empty');
    expect(widgetRoot().textContent).toContain('No KPIs measured yet');
    render(<KpiSummaryWidget {...props(at('kpi_summary'), undefined)} />, root);
    expect(widgetRoot().dataset.state).toBe('loading');
    render(
      <KpiSummaryWidget
        {...props(at('kpi_summary'), undefined, { dataState: 'error', dataError: new Error('boom') })}
      />,
      root,
    );
    expect(widgetRoot().dataset.state).toBe('error');
    expect(widgetRoot().querySelector('[role="alert"]')?.textContent).toContain('boom');
  });
});

describe('KPI trend', () => {
  it('opens on the first KPI that has a value, not on one without any yet', async () => {
    const { api } = fakeApi({
      'GET /api/analytics/kpi-metrics/': {
        count: 2,
        next: null,
        previous: null,
        results: [
          { id: 'm1', name: 'Metric MTBF', metric_type: 'MTBF' },
          { id: 'm2', name: 'Metric MTTR', metric_type: 'MTTR' },
        ],
      },
      'GET /api/analytics/kpi-measurements/': {
        count: 1,
        next: null,
        previous: null,
        results: [
          {
            metric: 'm2',
            value: '3.50',
            period_start: '2026-01-01T09:00:00Z',
            period_end: '2026-01-01T10:00:00Z',
          },
        ],
      },
    });
    const data = { kpi_summary: [kpi('MTBF', { current_value: null }), kpi('MTTR')] };
    render(<KpiTrendWidget {...props(at('kpi_trend'), data, { api })} />, root);
    await flush(); // the metrics
    await flush(); // the measurements
    expect(root.querySelector<HTMLSelectElement>('select')!.value).toBe('Metric MTTR');
    expect(widgetRoot().dataset.state).toBe('ready');
  });
});

describe('recent anomalies', () => {
  it('acknowledges through the lifecycle route and shows the status the API returned', async () => {
    const { api, calls } = fakeApi({
      'POST /api/analytics/anomaly-detections/a1/acknowledge/': () =>
        anomaly({ status: 'INVESTIGATING', acknowledged_at: '2026-01-01T10:01:00Z' } as never),
    });
    let reloads = 0;
    const data = { recent_anomalies: [anomaly()] };
    render(
      <RecentAnomaliesWidget {...props(at('recent_anomalies'), data, { api, onChanged: () => reloads++ })} />,
      root,
    );
    expect(root.querySelector('[data-testid="chart"]')).not.toBeNull();
    expect(
      ['Acknowledge', 'Investigate', 'Confirm', 'False positive', 'Resolve'].map((n) => buttons(n).length),
    ).toEqual([1, 1, 1, 1, 1]);
    await act(async () => buttons('Acknowledge')[0]!.click());
    await flush();
    expect(calls).toEqual([{ method: 'POST', path: '/api/analytics/anomaly-detections/a1/acknowledge/' }]);
    expect(root.querySelector('[data-anomaly-id="a1"]')?.getAttribute('data-status')).toBe('INVESTIGATING');
    expect(buttons('Acknowledge')).toHaveLength(0);
    expect(buttons('Confirm')).toHaveLength(1);
    expect(reloads).toBe(1);
  });

  it('offers no actions to a user who may not act', () => {
    render(
      <RecentAnomaliesWidget
        {...props(at('recent_anomalies'), { recent_anomalies: [anomaly()] }, { canWrite: false })}
      />,
      root,
    );
    expect(root.querySelectorAll('button')).toHaveLength(0);
  });
});

describe('recent insights', () => {
  it('acknowledge an insight and keep it shown as acknowledged', async () => {
    const { api, calls } = fakeApi({ 'POST /api/analytics/predictive-insights/i1/acknowledge/': {} });
    render(
      <RecentInsightsWidget
        {...props(at('recent_insights'), { recent_insights: [insight('i1', 'INCIDENT_FORECAST')] }, { api })}
      />,
      root,
    );
    await act(async () => buttons('Acknowledge')[0]!.click());
    await flush();
    expect(calls.map((c) => c.path)).toEqual(['/api/analytics/predictive-insights/i1/acknowledge/']);
    expect(buttons('Acknowledge')).toHaveLength(0);
    expect(root.textContent).toContain('✓ Acknowledged');
  });
});

describe('the dashboard view', () => {
  const config: DashboardConfig = {
    id: 'd1',
    name: 'Ops',
    description: '',
    dashboard_type: 'OPERATIONAL',
    layout_config: { rows: 2, columns: 3 },
    widget_configs: [
      { type: 'anomaly_summary', position: { row: 0, column: 2 }, size: { width: 1, height: 1 } },
      { type: 'kpi_summary', position: { row: 0, column: 0 }, size: { width: 2, height: 1 } },
    ],
    is_public: true,
    allowed_roles: [],
    auto_refresh_enabled: true,
    refresh_interval_seconds: 60,
    is_active: true,
    created_by: null,
  };
  const data: DashboardData = { kpi_summary: [kpi('MTTA')], last_updated: '2026-01-01T10:00:00Z' };

  it('lays the widgets on the grid in reading order and reloads the data at the refresh interval', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { api, calls } = fakeApi({
      'GET /api/analytics/dashboard-configurations/d1/': config,
      'GET /api/analytics/dashboard/d1/data/': data,
    });
    render(<DashboardView api={api} id="d1" me={null} />, root);
    await flush();
    await flush();
    const widgets = [...root.querySelectorAll<HTMLElement>('[data-testid="widget"]')];
    expect(widgets.map((w) => w.dataset.widgetType)).toEqual(['kpi_summary', 'anomaly_summary']);
    expect(widgets[0]!.style.getPropertyValue('--grid-width')).toBe('2');
    expect(widgets[1]!.style.getPropertyValue('--grid-column')).toBe('3');
    expect(root.querySelector<HTMLElement>('.dashboard-grid')!.style.getPropertyValue('--grid-columns')).toBe(
      '3',
    );
    const dataReads = () => calls.filter((c) => c.path.endsWith('/data/')).length;
    expect(dataReads()).toBe(1);
    await act(async () => {
      vi.advanceTimersByTime(59_000);
    });
    expect(dataReads()).toBe(1);
    await act(async () => {
      vi.advanceTimersByTime(1_000);
    });
    expect(dataReads()).toBe(2);
  });

  it('does not reload when auto refresh is off', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { api, calls } = fakeApi({
      'GET /api/analytics/dashboard-configurations/d1/': { ...config, auto_refresh_enabled: false },
      'GET /api/analytics/dashboard/d1/data/': data,
    });
    render(<DashboardView api={api} id="d1" me={null} />, root);
    await flush();
    await flush();
    expect(root.querySelectorAll('[data-testid="widget"][data-state="ready"]')).toHaveLength(1);
    await act(async () => {
      vi.advanceTimersByTime(600_000);
    });
    expect(calls.filter((c) => c.path.endsWith('/data/'))).toHaveLength(1);
  });
});
