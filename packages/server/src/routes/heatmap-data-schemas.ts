import { z } from '@hono/zod-openapi';
import { heatmapTypes, timeGranularities } from '@incident-insights/engine';

const axisLabels = z.object({
  rows: z
    .array(z.string())
    .openapi({ description: 'What each row is called: `Monday`, a service, a category' }),
  columns: z.array(z.string()).openapi({
    description: 'What each column is called: `09:00`, `Mon 04 Mar 2024`, `2024-W10`, `Mar 2024`',
  }),
});

/** A stored heatmap as the API shows it. */
export const HeatmapDataSchema = z
  .object({
    id: z.uuid(),
    name: z.string().openapi({ example: 'Incident frequency by weekday and hour of day' }),
    heatmap_type: z.enum(heatmapTypes).openapi({
      description:
        'INCIDENT_FREQUENCY (incidents), RESOLUTION_TIME (MTTR in hours), COST_IMPACT (sum of cost analyses), ANOMALY_DENSITY (anomalies)',
    }),
    time_granularity: z.enum(timeGranularities).openapi({
      description:
        'HOURLY: weekday × hour of day; DAILY: service × day; WEEKLY: category × ISO week; MONTHLY: weekday × month (UTC)',
    }),
    period_start: z.string().datetime().openapi({ description: 'Start of the period (inclusive)' }),
    period_end: z.string().datetime().openapi({ description: 'End of the period (exclusive)' }),
    filters: z
      .object({ service: z.string(), category: z.string(), severity: z.string() })
      .partial()
      .openapi({ description: 'The incident filters the cells were computed with' }),
    row_axis: z.enum(['weekday', 'service', 'category']),
    column_axis: z.enum(['hour_of_day', 'day', 'week', 'month']),
    rows: z
      .array(z.string())
      .openapi({ description: "Row keys: ISO weekday 1..7, the service or category ('' for none)" }),
    columns: z
      .array(z.string())
      .openapi({ description: 'Column keys: hour 0..23, day, Monday of the week, YYYY-MM' }),
    labels: axisLabels,
    values: z.array(z.array(z.number().nullable())).openapi({
      description:
        'values[row][column]; 0 where nothing happened, null for a MTTR cell without a resolved incident',
    }),
    sample_counts: z.array(z.array(z.number().int())).openapi({
      description:
        'Incidents behind each cell (resolved incidents for MTTR, cost analyses for cost, anomalies for density)',
    }),
    unit: z.string().openapi({ example: 'incidents' }),
    notes: z.array(z.string()),
    color_scheme: z.string(),
    computed_at: z.string().datetime(),
    created_at: z.string().datetime(),
    updated_at: z.string().datetime(),
  })
  .openapi('HeatmapData');

/** A field the engine checks (so its error names it as the job's other errors do). */
function checkedByEngine(openapi: Record<string, unknown>) {
  return z.unknown().optional().openapi(openapi);
}

/** Body of `POST /api/analytics/heatmap-data/refresh/`: the `refresh_heatmaps` parameters. */
export const RefreshHeatmapsBody = z
  .strictObject({
    heatmap_type: checkedByEngine({
      type: 'string',
      enum: [...heatmapTypes],
      description: 'Default: every type',
    }),
    time_granularity: checkedByEngine({
      type: 'string',
      enum: [...timeGranularities],
      description: 'Default: every granularity',
    }),
    period_start: checkedByEngine({
      type: 'string',
      format: 'date-time',
      description:
        "With period_end; default each granularity's period (28 days, 30 days, 12 weeks, 12 months to date)",
    }),
    period_end: checkedByEngine({
      type: 'string',
      format: 'date-time',
      description: 'Exclusive; with period_start',
    }),
    filters: checkedByEngine({
      type: 'object',
      properties: { service: { type: 'string' }, category: { type: 'string' }, severity: { type: 'string' } },
      description: 'Incident filters; default none',
    }),
  })
  .openapi('RefreshHeatmapsParameters');
