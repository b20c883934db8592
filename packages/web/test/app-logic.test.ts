import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/app/api.ts';
import {
  fieldErrors,
  fieldId,
  freeCell,
  inputOf,
  newWidget,
  splitNames,
} from '../src/app/dashboards/editor-model.ts';
import { gridTemplate, readingOrder, refreshPeriodMs, widgetPlacement } from '../src/app/dashboards/grid.ts';
import type { DashboardConfig, WidgetConfig } from '../src/app/dashboards/types.ts';
import { hrefOf, parseRoute, type Route } from '../src/app/router.ts';
import { canEditDashboard, cookieValue } from '../src/app/session.ts';
import { actionRequest, allowedActions, withChanges } from '../src/app/widgets/anomaly-actions.ts';
import { anomalyStats } from '../src/app/widgets/anomaly-summary.tsx';
import { widgetHeatmap } from '../src/app/widgets/heatmap.tsx';
import { widgetKpis } from '../src/app/widgets/kpi-summary.tsx';
import { trendText } from '../src/app/widgets/kpi-tile.tsx';
import { widgetInsights } from '../src/app/widgets/recent-insights.tsx';
import { anomaly, heatmap, insight, kpi } from './app-fixtures.ts';

const widget = (
  type: WidgetConfig['type'],
  row: number,
  column: number,
  width = 1,
  height = 1,
): WidgetConfig => ({
  type,
  position: { row, column },
  size: { width, height },
});

describe('routes', () => {
  it('reads every hash the page knows, and names the rest not-found', () => {
    expect(parseRoute('')).toEqual({ name: 'dashboards' });
    expect(parseRoute('#/')).toEqual({ name: 'dashboards' });
    expect(parseRoute('#/sign-in')).toEqual({ name: 'sign-in' });
    expect(parseRoute('#/dashboards/new')).toEqual({ name: 'dashboard-new' });
    expect(parseRoute('#/dashboards/abc')).toEqual({ name: 'dashboard', id: 'abc' });
    expect(parseRoute('#/dashboards/abc/edit/')).toEqual({ name: 'dashboard-edit', id: 'abc' });
    expect(parseRoute('#/incidents/INC0001')).toEqual({ name: 'incident', id: 'INC0001' });
    expect(parseRoute('#/models')).toEqual({ name: 'models' });
    expect(parseRoute('#/dashboards/abc/delete')).toEqual({
      name: 'not-found',
      path: 'dashboards/abc/delete',
    });
  });

  it('writes the hash a route is read back from', () => {
    const routes: Route[] = [
      { name: 'dashboards' },
      { name: 'dashboard', id: 'a b/c' },
      { name: 'dashboard-edit', id: 'x' },
      { name: 'dashboard-new' },
      { name: 'incident', id: 'INC 7' },
      { name: 'recurrence' },
      { name: 'jobs' },
      { name: 'sign-in' },
    ];
    for (const route of routes) expect(parseRoute(hrefOf(route))).toEqual(route);
  });
});

describe('the dashboard grid', () => {
  it('places a widget by 1-based grid lines and spans (the API is 0-based)', () => {
    expect(widgetPlacement(widget('kpi_summary', 0, 2, 2, 1))).toEqual({
      '--grid-row': '1',
      '--grid-column': '3',
      '--grid-width': '2',
      '--grid-height': '1',
    });
    expect(gridTemplate({ rows: 2, columns: 3 })).toEqual({ '--grid-columns': '3', '--grid-rows': '2' });
  });

  it('puts widgets in reading order, row by row, so focus and the phone layout follow the grid', () => {
    const widgets = [
      widget('heatmap', 1, 0),
      widget('anomaly_summary', 0, 2),
      widget('kpi_summary', 0, 0, 2),
    ];
    expect(readingOrder(widgets).map((w) => w.type)).toEqual(['kpi_summary', 'anomaly_summary', 'heatmap']);
    expect(widgets[0]!.type).toBe('heatmap');
  });

  it('refreshes at the configured interval only when auto refresh is on', () => {
    expect(refreshPeriodMs({ auto_refresh_enabled: true, refresh_interval_seconds: 300 })).toBe(300_000);
    expect(refreshPeriodMs({ auto_refresh_enabled: false, refresh_interval_seconds: 300 })).toBeNull();
    // Never faster than the API's lower bound of 10 s.
    expect(refreshPeriodMs({ auto_refresh_enabled: true, refresh_interval_seconds: 1 })).toBe(10_000);
  });
});

describe('the dashboard editor', () => {
  it("maps the engine's validation error to its field, without the field's name in the message", () => {
    const error = new ApiError(
      400,
      'VALIDATION_ERROR',
      'layout_config.rows: must be a whole number from 1 to 24',
      {
        field: 'layout_config.rows',
      },
    );
    expect([...fieldErrors(error)]).toEqual([['layout_config.rows', 'must be a whole number from 1 to 24']]);
  });

  it("maps the request check's list of errors to their fields", () => {
    const error = new ApiError(400, 'VALIDATION_ERROR', 'Invalid field name: required', {
      errors: [
        { field: 'name', message: 'required' },
        { field: 'widget_configs[0].size.width', message: 'expected number' },
      ],
    });
    expect(fieldErrors(error)).toEqual(
      new Map([
        ['name', 'required'],
        ['widget_configs[0].size.width', 'expected number'],
      ]),
    );
  });

  it('names no field for errors that are not validation errors', () => {
    expect(fieldErrors(new ApiError(403, 'FORBIDDEN', 'no', { field: 'name' })).size).toBe(0);
    expect(fieldErrors(new Error('network')).size).toBe(0);
  });

  it('gives each field an id from its API path', () => {
    expect(fieldId('widget_configs[1].position.column')).toBe('field-widget_configs-1-position-column');
    expect(fieldId('layout_config.rows')).toBe('field-layout_config-rows');
  });

  it('puts a new widget in the first free cell in reading order', () => {
    // 2 × 3 grid; row 0 has a 2-wide widget at column 0 and one at column 2: row 1, column 0 is free.
    const widgets = [widget('kpi_summary', 0, 0, 2), widget('anomaly_summary', 0, 2)];
    expect(freeCell({ rows: 2, columns: 3 }, widgets)).toEqual({ row: 1, column: 0 });
    expect(newWidget('heatmap', { rows: 2, columns: 3 }, widgets)).toEqual(widget('heatmap', 1, 0));
    // A full grid gives the top-left cell: the API then names the overlap.
    expect(freeCell({ rows: 1, columns: 1 }, [widget('kpi_summary', 0, 0)])).toEqual({ row: 0, column: 0 });
  });

  it('splits role names and drops the server-made fields of a stored configuration', () => {
    expect(splitNames(' executive, ,manager ')).toEqual(['executive', 'manager']);
    const stored = {
      id: 'x',
      created_by: 'u',
      created_at: 't',
      updated_at: 't',
      name: 'D',
    } as DashboardConfig;
    expect(inputOf(stored)).toEqual({ name: 'D' });
  });
});

describe('who may do what', () => {
  const me = (role: string, id = 'u1') => ({ id, username: role, role, roles: [role], method: 'token' });
  it('lets admins edit any dashboard, analysts their own, viewers none', () => {
    expect(canEditDashboard(me('admin'), { created_by: 'someone' })).toBe(true);
    expect(canEditDashboard(me('analyst'), { created_by: 'u1' })).toBe(true);
    expect(canEditDashboard(me('analyst'), { created_by: 'someone' })).toBe(false);
    expect(canEditDashboard(me('viewer'), { created_by: 'u1' })).toBe(false);
    expect(canEditDashboard(null, { created_by: 'u1' })).toBe(false);
  });

  it('reads the CSRF cookie the session login sets', () => {
    expect(cookieValue('a=1; insights_csrf=abc%3D; b=2', 'insights_csrf')).toBe('abc=');
    expect(cookieValue('a=1', 'insights_csrf')).toBeNull();
  });
});

describe('anomaly actions', () => {
  it('offers the transitions the lifecycle allows from each status', () => {
    expect(allowedActions('DETECTED')).toEqual([
      'Acknowledge',
      'Investigate',
      'Confirm',
      'False positive',
      'Resolve',
    ]);
    expect(allowedActions('INVESTIGATING')).toEqual(['Confirm', 'False positive', 'Resolve']);
    expect(allowedActions('CONFIRMED')).toEqual(['Resolve']);
    expect(allowedActions('FALSE_POSITIVE')).toEqual(['Resolve']);
    expect(allowedActions('RESOLVED')).toEqual([]);
  });

  it('calls the lifecycle routes', () => {
    const base = '/api/analytics/anomaly-detections/a1';
    expect(actionRequest('a1', 'Acknowledge')).toEqual({ path: `${base}/acknowledge/` });
    expect(actionRequest('a1', 'Investigate')).toEqual({
      path: `${base}/acknowledge/`,
      body: { action_note: 'Investigation started' },
    });
    expect(actionRequest('a1', 'Confirm').path).toBe(`${base}/confirm/`);
    expect(actionRequest('a1', 'False positive').path).toBe(`${base}/false-positive/`);
    expect(actionRequest('a1', 'Resolve').path).toBe(`${base}/resolve/`);
  });

  it("shows an action's result over cached data computed before it, not over newer data", () => {
    const before = anomaly({ id: 'a1', status: 'DETECTED' });
    const acknowledged = anomaly({ id: 'a1', status: 'INVESTIGATING' });
    const changes = new Map([
      ['a1', { anomaly: acknowledged, changedAt: Date.parse('2026-01-01T10:05:00Z') }],
    ]);
    expect(withChanges([before], changes, '2026-01-01T10:00:00Z')[0]!.status).toBe('INVESTIGATING');
    expect(withChanges([before], changes, '2026-01-01T10:10:00Z')[0]!.status).toBe('DETECTED');
  });
});

describe('what each widget shows', () => {
  it("keeps the KPIs of the widget's metrics option, all without it", () => {
    const items = [kpi('MTTA'), kpi('MTTR'), kpi('AVAILABILITY')];
    expect(widgetKpis(widget('kpi_summary', 0, 0), items)).toHaveLength(3);
    const some = { ...widget('kpi_trend', 0, 0), options: { metrics: ['MTTR'] } };
    expect(widgetKpis(some, items).map((i) => i.metric_type)).toEqual(['MTTR']);
  });

  it('states the trend with its arrow and rounded percentage', () => {
    expect(trendText({ trend: 'up', trend_percentage: '12.345' })).toEqual({ arrow: '▲', words: 'up 12.3%' });
    expect(trendText({ trend: 'down', trend_percentage: '-8' })).toEqual({ arrow: '▼', words: 'down 8%' });
    expect(trendText({ trend: null, trend_percentage: null })).toBeNull();
  });

  it("picks the heatmap of the widget's type and granularity, the engine's defaults without options", () => {
    const hourly = heatmap('INCIDENT_FREQUENCY', 'HOURLY');
    const mttr = heatmap('MTTR', 'DAILY');
    expect(widgetHeatmap(widget('heatmap', 0, 0), [mttr, hourly])).toBe(hourly);
    const daily = {
      ...widget('heatmap', 0, 0),
      options: { heatmap_type: 'MTTR', time_granularity: 'DAILY' },
    };
    expect(widgetHeatmap(daily, [mttr, hourly])).toBe(mttr);
    expect(widgetHeatmap(daily, [hourly])).toBeUndefined();
  });

  it('lists the insights of its type, at most its limit', () => {
    const insights = [
      insight('a', 'INCIDENT_FORECAST'),
      insight('b', 'CAPACITY_RISK'),
      insight('c', 'INCIDENT_FORECAST'),
    ];
    expect(widgetInsights(insights, { insight_type: 'INCIDENT_FORECAST' }).map((i) => i.id)).toEqual([
      'a',
      'c',
    ]);
    expect(widgetInsights(insights, { limit: 2 }).map((i) => i.id)).toEqual(['a', 'b']);
  });

  it('labels the anomaly summary, the false-positive rate as a percentage', () => {
    const stats = anomalyStats({
      total_anomalies: 7,
      critical_anomalies: 4,
      high_anomalies: 1,
      medium_anomalies: 2,
      low_anomalies: 0,
      unresolved_anomalies: 7,
      false_positive_rate: '8.5',
      average_resolution_time: null,
    });
    expect(stats.find((s) => s.label === 'False positives')?.value).toBe('8.5%');
    expect(stats.find((s) => s.label === 'Average resolution time')?.value).toBe('–');
  });
});
