import { describe, expect, it } from 'vitest';
import { planDashboardData } from '../../src/dashboards/dashboard-data.ts';
import { checkDashboardInput } from '../../src/dashboards/dashboard-record.ts';
import { EngineError } from '../../src/errors.ts';
import { specDashboard } from './dashboard-fixtures.ts';

/** The field a VALIDATION_ERROR names for `input`. */
function fieldOf(input: unknown): string {
  try {
    checkDashboardInput(input);
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('VALIDATION_ERROR');
    return (error as { details: { field: string } }).details.field;
  }
  throw new Error('accepted');
}

const withWidgets = (widget_configs: unknown[], layout_config: unknown = { rows: 2, columns: 3 }) => ({
  ...specDashboard,
  layout_config,
  widget_configs,
});

describe('dashboard configuration checks', () => {
  it("accepts the spec's example unchanged and fills the defaults of a minimal one", () => {
    expect(checkDashboardInput(specDashboard)).toEqual({ ...specDashboard, is_active: true });
    expect(
      checkDashboardInput({
        name: 'Ops',
        dashboard_type: 'OPERATIONAL',
        layout_config: { rows: 1, columns: 1 },
      }),
    ).toEqual({
      name: 'Ops',
      description: '',
      dashboard_type: 'OPERATIONAL',
      layout_config: { rows: 1, columns: 1 },
      widget_configs: [],
      is_public: false,
      allowed_roles: [],
      auto_refresh_enabled: true,
      refresh_interval_seconds: 300,
      is_active: true,
    });
  });

  it('names the field of each invalid layout or widget', () => {
    const at = (row: number, column: number, width = 1, height = 1) => ({
      type: 'kpi_summary',
      position: { row, column },
      size: { width, height },
    });
    expect(fieldOf({ ...specDashboard, dashboard_type: 'BOARD' })).toBe('dashboard_type');
    expect(fieldOf(withWidgets([], { rows: 0, columns: 3 }))).toBe('layout_config.rows');
    expect(fieldOf(withWidgets([], { rows: 2, columns: 25 }))).toBe('layout_config.columns');
    expect(fieldOf(withWidgets([], { rows: 2, columns: 3, gap: 1 }))).toBe('layout_config.gap');
    expect(fieldOf(withWidgets([{ ...at(0, 0), type: 'pie_chart' }]))).toBe('widget_configs[0].type');
    // Column 3 is outside a 3-column grid (columns 0..2).
    expect(fieldOf(withWidgets([at(0, 0), at(1, 3)]))).toBe('widget_configs[1].position.column');
    expect(fieldOf(withWidgets([at(2, 0)]))).toBe('widget_configs[0].position.row');
    // Width 2 from column 2 would end at column 3.
    expect(fieldOf(withWidgets([at(0, 2, 2)]))).toBe('widget_configs[0].size.width');
    expect(fieldOf(withWidgets([at(1, 0, 1, 2)]))).toBe('widget_configs[0].size.height');
    // (0,0)-(0,1) and (0,1): they share cell row 0, column 1.
    expect(fieldOf(withWidgets([at(0, 0, 2), at(0, 1)]))).toBe('widget_configs[1].position');
    expect(fieldOf(withWidgets([{ ...at(0, 0), options: { limit: 5 } }]))).toBe(
      'widget_configs[0].options.limit',
    );
    expect(fieldOf(withWidgets([{ ...at(0, 0), options: { metrics: ['SPEED'] } }]))).toBe(
      'widget_configs[0].options.metrics[0]',
    );
    expect(fieldOf(withWidgets([{ ...at(0, 0), type: 'recent_anomalies', options: { limit: 101 } }]))).toBe(
      'widget_configs[0].options.limit',
    );
    expect(fieldOf(withWidgets([{ ...at(0, 0), type: 'heatmap', options: { heatmap_type: 'HEAT' } }]))).toBe(
      'widget_configs[0].options.heatmap_type',
    );
    expect(fieldOf({ ...specDashboard, refresh_interval_seconds: 5 })).toBe('refresh_interval_seconds');
    expect(fieldOf({ ...specDashboard, refresh_interval_seconds: 86_401 })).toBe('refresh_interval_seconds');
    expect(fieldOf({ ...specDashboard, allowed_roles: ['ok', 'not ok'] })).toBe('allowed_roles[1]');
    expect(fieldOf({ ...specDashboard, owner: 'x' })).toBe('owner');
  });

  it('plans one read per data key, merging the options of widgets that share it', () => {
    const widget = (type: string, column: number, options?: unknown) => ({
      type,
      position: { row: 0, column },
      size: { width: 1, height: 1 },
      ...(options ? { options } : {}),
    });
    const { widget_configs } = checkDashboardInput(
      withWidgets(
        [
          widget('kpi_summary', 0, { metrics: ['MTTA'] }),
          widget('kpi_trend', 1, { metrics: ['MTTR'] }),
          widget('recent_anomalies', 2, { limit: 5 }),
          widget('recent_anomalies', 3),
          widget('forecast', 4, { limit: 3 }),
          widget('heatmap', 5, { heatmap_type: 'RESOLUTION_TIME', time_granularity: 'DAILY' }),
          widget('heatmap', 6),
          widget('heatmap', 7, { time_granularity: 'HOURLY' }),
        ],
        { rows: 1, columns: 8 },
      ),
    );
    expect(planDashboardData(widget_configs)).toEqual({
      keys: ['kpi_summary', 'recent_anomalies', 'recent_insights', 'heatmap_data'],
      kpiMetrics: ['MTTA', 'MTTR'],
      recentAnomalies: 10, // the default limit of the second widget beats the first one's 5
      recentInsights: { limit: 3, insightType: 'INCIDENT_FORECAST' },
      heatmaps: [
        { heatmap_type: 'RESOLUTION_TIME', time_granularity: 'DAILY' },
        { heatmap_type: 'INCIDENT_FREQUENCY', time_granularity: 'HOURLY' },
      ],
    });
  });
});
