import { z } from '@hono/zod-openapi';
import { dashboardTypes, refreshIntervalBounds, widgetTypes } from '@incident-insights/engine';

const WidgetSchema = z
  .object({
    type: z.enum(widgetTypes),
    position: z.object({ row: z.number().int(), column: z.number().int() }),
    size: z.object({ width: z.number().int(), height: z.number().int() }),
    title: z.string().optional(),
    options: z
      .object({
        metrics: z.array(z.string()).optional(),
        limit: z.number().int().optional(),
        insight_type: z.string().optional(),
        heatmap_type: z.string().optional(),
        time_granularity: z.string().optional(),
      })
      .optional()
      .openapi({
        description:
          'kpi_summary, kpi_trend: metrics (metric types); recent_anomalies, recent_insights, forecast: limit (1..100, default 10); recent_insights: insight_type; heatmap: heatmap_type (default INCIDENT_FREQUENCY), time_granularity (default HOURLY)',
      }),
  })
  .openapi('DashboardWidget');

/** A dashboard configuration as the API shows it. */
export const DashboardSchema = z
  .object({
    id: z.uuid(),
    name: z.string().openapi({ example: 'Executive Dashboard' }),
    description: z.string(),
    dashboard_type: z.enum(dashboardTypes).openapi({
      description:
        'EXECUTIVE (headline KPIs and costs), OPERATIONAL (what is happening now), TECHNICAL (detectors, heatmaps, forecasts), CUSTOM',
    }),
    layout_config: z.object({ rows: z.number().int(), columns: z.number().int() }),
    widget_configs: z.array(WidgetSchema),
    is_public: z.boolean(),
    allowed_roles: z.array(z.string()),
    auto_refresh_enabled: z.boolean(),
    refresh_interval_seconds: z.number().int(),
    is_active: z.boolean(),
    created_by: z.uuid().nullable(),
    created_at: z.string().datetime(),
    updated_at: z.string().datetime(),
  })
  .openapi('DashboardConfiguration');

/** A field the engine checks (so its error names the field, down to `widget_configs[1].position.column`). */
function checkedByEngine(openapi: Record<string, unknown>) {
  return z.unknown().optional().openapi(openapi);
}

/**
 * Body of a create (every required field) or a change (`PATCH`: the fields to change; `PUT`: all
 * of them). The engine checks each field and names the wrong one.
 */
export const DashboardBody = z
  .strictObject({
    name: checkedByEngine({ type: 'string', example: 'Executive Dashboard' }),
    description: checkedByEngine({ type: 'string' }),
    dashboard_type: checkedByEngine({ type: 'string', enum: [...dashboardTypes] }),
    layout_config: checkedByEngine({
      type: 'object',
      description: '{ rows, columns }: the grid, each 1..24',
      example: { rows: 2, columns: 3 },
    }),
    widget_configs: checkedByEngine({
      type: 'array',
      description: `Widgets { type, position: { row, column }, size: { width, height }, options? } inside the grid, not overlapping; type one of ${widgetTypes.join(', ')}`,
    }),
    is_public: checkedByEngine({ type: 'boolean', description: 'Default false' }),
    allowed_roles: checkedByEngine({
      type: 'array',
      items: { type: 'string' },
      description: 'Role names that may see a non-public dashboard (its creator and admins always can)',
    }),
    auto_refresh_enabled: checkedByEngine({ type: 'boolean', description: 'Default true' }),
    refresh_interval_seconds: checkedByEngine({
      type: 'integer',
      minimum: refreshIntervalBounds.min,
      maximum: refreshIntervalBounds.max,
      description: 'How long the data is cached; default 300',
    }),
    is_active: checkedByEngine({ type: 'boolean', description: 'Default true' }),
  })
  .openapi('DashboardConfigurationInput');

/** The spec's dashboard data: the keys of the configured widgets, and when it was computed. */
export const DashboardDataSchema = z
  .object({
    kpi_summary: z.array(z.unknown()).optional().openapi({ description: 'As GET /kpi-metrics/summary/' }),
    anomaly_summary: z.unknown().optional().openapi({ description: 'As GET /anomaly-detections/summary/' }),
    cost_summary: z.unknown().optional().openapi({ description: 'As GET /cost-analyses/summary/' }),
    insight_summary: z.unknown().optional().openapi({ description: 'As GET /predictive-insights/summary/' }),
    recent_anomalies: z
      .array(z.unknown())
      .optional()
      .openapi({ description: 'The first rows of GET /anomaly-detections/' }),
    recent_insights: z
      .array(z.unknown())
      .optional()
      .openapi({ description: 'The first rows of GET /predictive-insights/' }),
    heatmap_data: z
      .array(z.unknown())
      .optional()
      .openapi({ description: 'The latest stored heatmap of each configured type and granularity' }),
    last_updated: z.string().datetime(),
  })
  .openapi('DashboardData');
