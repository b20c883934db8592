import { z } from 'zod';
import { parseInstant } from '../schema/dates.ts';
import { aggregationTypes, metricTypes, priorities, severities } from '../schema/enums.ts';

const names = z.array(z.string().trim().min(1).max(200)).max(100);
const decimal = z
  .union([
    z.number(),
    z
      .string()
      .trim()
      .regex(/^-?\d+(\.\d+)?$/, 'must be a decimal number'),
  ])
  .transform((v) => Number(v))
  .refine((v) => Number.isFinite(v), 'must be a finite number');

/** Fields of a KPI metric a client sets, with their defaults. */
const metricFields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().trim().max(2000).default(''),
  metric_type: z.enum(metricTypes),
  aggregation_type: z.enum(aggregationTypes).default('AVERAGE'),
  incident_categories: names.default([]),
  incident_severities: z.array(z.enum(severities)).max(severities.length).default([]),
  incident_priorities: z.array(z.enum(priorities)).max(priorities.length).default([]),
  services: names.default([]),
  teams: names.default([]),
  calculation_formula: z
    .string()
    .max(1000)
    .nullish()
    .transform((v) => (v?.trim() ? v : null)),
  time_window_hours: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 366)
    .default(24),
  target_value: decimal.nullish().transform((v) => v ?? null),
  is_active: z.boolean().default(true),
};

/**
 * A new KPI metric as a client sends it (the spec's create body plus `target_value`, `services`,
 * `teams`). A CUSTOM metric needs a `calculation_formula`; other types must not have one.
 */
export const metricCreateSchema = z.strictObject(metricFields).superRefine((m, ctx) => {
  if (m.metric_type === 'CUSTOM' && m.calculation_formula === null) {
    ctx.addIssue({
      code: 'custom',
      path: ['calculation_formula'],
      message: 'a CUSTOM metric needs a formula',
    });
  }
  if (m.metric_type !== 'CUSTOM' && m.calculation_formula !== null) {
    ctx.addIssue({
      code: 'custom',
      path: ['calculation_formula'],
      message: 'only CUSTOM metrics take a calculation_formula',
    });
  }
});

/** Create input before validation. */
export type MetricCreateInput = z.input<typeof metricCreateSchema>;
/** A validated metric definition. */
export type MetricDefinition = z.output<typeof metricCreateSchema>;

/** A partial update: any subset of the create fields (validated again as a whole after merging). */
export const metricUpdateSchema = z.strictObject(
  Object.fromEntries(Object.entries(metricFields).map(([k, v]) => [k, v.optional()])) as {
    [K in keyof typeof metricFields]: z.ZodOptional<(typeof metricFields)[K]>;
  },
);

/** Update input before validation. */
export type MetricUpdateInput = z.input<typeof metricUpdateSchema>;

/**
 * An instant: a valid `Date`, or ISO 8601 text read by {@link parseInstant}, so that an impossible
 * date (`2026-02-30`, `T24:00`) is refused with what is wrong with it instead of rolled over.
 */
const instant = z
  .union([z.custom<Date>((value) => value instanceof Date), z.string()], {
    error: 'must be an ISO 8601 date or date-time',
  })
  .transform((value, ctx) => {
    if (value instanceof Date) {
      if (!Number.isNaN(value.getTime())) return value;
      ctx.addIssue({ code: 'custom', message: 'not a valid date' });
      return z.NEVER;
    }
    const parsed = parseInstant(value);
    if (parsed.ok) return parsed.date;
    ctx.addIssue({ code: 'custom', message: parsed.message });
    return z.NEVER;
  });

/**
 * A maintenance window as a client sends it; `service: null` applies to every service. Dates are
 * ISO 8601 text (no offset means UTC) or `Date`s.
 */
export const maintenanceWindowSchema = z
  .strictObject({
    service: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .nullish()
      .transform((v) => v ?? null),
    start_at: instant,
    end_at: instant,
    description: z.string().trim().max(2000).default(''),
  })
  .refine((w) => w.end_at.getTime() > w.start_at.getTime(), {
    path: ['end_at'],
    message: 'end_at must be after start_at',
  })
  .refine((w) => !Number.isNaN(w.start_at.getTime()) && !Number.isNaN(w.end_at.getTime()), {
    message: 'start_at and end_at must be dates',
  });

/** Maintenance window input before validation. */
export type MaintenanceWindowInput = z.input<typeof maintenanceWindowSchema>;
