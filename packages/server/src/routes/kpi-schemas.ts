import { z } from '@hono/zod-openapi';
import { aggregationTypes, metricTypes, priorities, severities } from '@incident-insights/engine';
import { instant } from '../lists/query.ts';

const decimal = z.string().openapi({ example: '15.5', description: 'A decimal as a string' });

/** A KPI metric as the API shows it (the spec's list example plus target_value, services, teams). */
export const KpiMetricSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string(),
    metric_type: z.enum(metricTypes),
    aggregation_type: z.enum(aggregationTypes),
    incident_categories: z.array(z.string()),
    incident_severities: z.array(z.enum(severities)),
    incident_priorities: z.array(z.enum(priorities)),
    services: z.array(z.string()),
    teams: z.array(z.string()),
    calculation_formula: z.string().nullable(),
    time_window_hours: z.number().int(),
    target_value: decimal.nullable(),
    is_active: z.boolean(),
    is_system_metric: z.boolean(),
    created_by_username: z.string().nullable(),
    created_at: z.string().datetime(),
    updated_at: z.string().datetime(),
    measurement_count: z.number().int(),
    latest_measurement: z
      .object({
        value: decimal.nullable(),
        unit: z.string(),
        calculated_at: z.string().datetime(),
        incident_count: z.number().int(),
      })
      .nullable(),
  })
  .openapi('KpiMetric');

const metricFields = {
  name: z.string(),
  description: z.string().optional(),
  metric_type: z.enum(metricTypes),
  aggregation_type: z.enum(aggregationTypes).optional(),
  incident_categories: z.array(z.string()).optional(),
  incident_severities: z.array(z.enum(severities)).optional(),
  incident_priorities: z.array(z.enum(priorities)).optional(),
  services: z.array(z.string()).optional(),
  teams: z.array(z.string()).optional(),
  calculation_formula: z.string().nullish().openapi({
    description:
      'CUSTOM only: arithmetic over metric types (MTTR / MTTA) and aggregates of incident columns (avg(resolved_at - acknowledged_at), p95(...), count(*)); durations in seconds',
  }),
  time_window_hours: z.number().int().optional(),
  target_value: z.union([z.number(), z.string()]).nullish(),
  is_active: z.boolean().optional(),
};

/** Body of POST /kpi-metrics/ (the engine checks values, ranges and the formula); unknown fields are refused. */
export const NewKpiMetricSchema = z.strictObject(metricFields).openapi('NewKpiMetric');

/** Body of PATCH /kpi-metrics/{id}/: any subset of the create fields. */
export const KpiMetricPatchSchema = z.strictObject(metricFields).partial().openapi('KpiMetricPatch');

/** One stored measurement. */
export const KpiMeasurementSchema = z
  .object({
    id: z.uuid(),
    metric_id: z.uuid(),
    metric_name: z.string(),
    metric_type: z.enum(metricTypes),
    value: decimal.nullable(),
    unit: z.string(),
    period_start: z.string().datetime(),
    period_end: z.string().datetime(),
    incident_count: z.number().int(),
    sample_count: z.number().int(),
    calculated_at: z.string().datetime(),
    details: z.record(z.string(), z.unknown()),
  })
  .openapi('KpiMeasurement');

/** One line of the KPI summary (exactly the spec's fields). */
export const KpiSummaryItemSchema = z
  .object({
    metric_type: z.enum(metricTypes),
    metric_name: z.string(),
    current_value: decimal.nullable(),
    unit: z.string(),
    trend: z.enum(['up', 'down', 'stable']).nullable().openapi({ description: 'null: no value to compare' }),
    trend_percentage: decimal.nullable(),
    period_start: z.string().datetime(),
    period_end: z.string().datetime(),
    period_end_basis: z.literal('last_complete_hour').openapi({ description: 'what period_end is' }),
    incident_count: z.number().int(),
    target_value: decimal.nullable(),
    target_met: z.boolean().nullable().openapi({ description: 'null when there is no value' }),
  })
  .openapi('KpiSummaryItem');

/** A maintenance window: downtime inside it does not count against availability. */
export const MaintenanceWindowSchema = z
  .object({
    id: z.uuid(),
    service: z.string().nullable().openapi({ description: 'null: every service' }),
    start_at: z.string().datetime(),
    end_at: z.string().datetime(),
    description: z.string(),
    created_at: z.string().datetime(),
  })
  .openapi('MaintenanceWindow');

/** Body of POST /maintenance-windows/; impossible dates and unknown fields are refused. */
export const NewMaintenanceWindowSchema = z
  .strictObject({
    service: z.string().nullish(),
    start_at: instant(),
    end_at: instant(),
    description: z.string().optional(),
  })
  .openapi('NewMaintenanceWindow');
