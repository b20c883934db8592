import { z } from '@hono/zod-openapi';
import { jobStatuses, maxWindowHours } from '@incident-insights/engine';

const JobProgressSchema = z
  .object({
    done: z.number(),
    total: z.number().nullable().openapi({ description: 'null while the total is unknown' }),
    message: z.string().nullable(),
  })
  .openapi('JobProgress');

const JobErrorSchema = z
  .object({
    code: z.string().openapi({ example: 'INSUFFICIENT_DATA' }),
    message: z.string(),
    details: z.unknown().nullable(),
  })
  .openapi('JobError');

/** A job as the API shows it (`GET /api/jobs/{id}/`, and every 202 that queues one). */
export const JobSchema = z
  .object({
    id: z.uuid(),
    kind: z.string().openapi({ example: 'calculate_kpis' }),
    scope: z.string().openapi({
      description: 'What the job works on, from its parameters: one QUEUED or RUNNING job per kind and scope',
      example: 'metric=all;window=default;end=now;force=false',
    }),
    parameters: z.record(z.string(), z.unknown()),
    status: z.enum(jobStatuses),
    progress: JobProgressSchema,
    attempts: z.number().int().openapi({ description: 'Runs started so far' }),
    max_attempts: z.number().int(),
    cancel_requested: z.boolean(),
    created_at: z.string().datetime(),
    run_after: z.string().datetime().openapi({ description: "Not before this time (a retry's backoff)" }),
    started_at: z.string().datetime().nullable(),
    finished_at: z.string().datetime().nullable(),
    result: z.unknown().nullable().openapi({ description: "The kind's result summary once SUCCEEDED" }),
    error: JobErrorSchema.nullable(),
    requested_by: z.uuid().nullable().openapi({ description: 'null for schedules and the system' }),
    requested_by_username: z.string(),
    schedule: z.string().nullable().openapi({ description: 'The schedule that queued it' }),
  })
  .openapi('Job');

/** Body of `POST /api/jobs/`. */
export const NewJobSchema = z
  .strictObject({
    kind: z.string().openapi({ description: 'A kind of `GET /api/jobs/kinds/`', example: 'calculate_kpis' }),
    parameters: z
      .record(z.string(), z.unknown())
      .optional()
      .openapi({ description: "The kind's parameters (strict: an unknown one is refused)" }),
  })
  .openapi('NewJob');

/** One line of `GET /api/jobs/kinds/`. */
export const JobKindSchema = z
  .object({
    kind: z.string(),
    description: z.string(),
    action: z.string().openapi({ description: 'What the caller must be allowed to ask for it' }),
  })
  .openapi('JobKind');

/** One line of `GET /api/jobs/schedules/`. */
export const ScheduleSchema = z
  .object({
    name: z.string(),
    kind: z.string(),
    parameters: z.record(z.string(), z.unknown()),
    every_seconds: z.number(),
    enabled: z.boolean(),
    last_run_at: z.string().datetime().nullable(),
    next_run_at: z.string().datetime().nullable(),
    last_job_id: z.uuid().nullable(),
  })
  .openapi('JobSchedule');

/**
 * A body field whose value the engine checks (the job kind's own schema is the one rule); the
 * route's schema names the field and documents its type, so that an unknown field is refused by
 * name and the OpenAPI document is exact.
 */
function checkedByEngine(openapi: Record<string, unknown>) {
  return z.unknown().optional().openapi(openapi);
}

const end = checkedByEngine({
  type: 'string',
  format: 'date-time',
  description: 'End of the window (ISO 8601; no zone means UTC). Default: now',
});
const wholeHours = (description: string) =>
  checkedByEngine({ type: 'integer', minimum: 1, maximum: maxWindowHours, description });

/** Body of `POST /api/analytics/kpi-metrics/calculate/`: the `calculate_kpis` parameters. */
export const CalculateKpisBody = z
  .strictObject({
    metric_id: checkedByEngine({
      type: 'string',
      format: 'uuid',
      description: 'One metric; default every active metric',
    }),
    time_window: wholeHours("Hours of the period; default each metric's own window"),
    end,
    force: checkedByEngine({
      type: 'boolean',
      description: 'Recalculate a period already measured (default false)',
    }),
  })
  .openapi('CalculateKpisParameters');

/** Body of `POST /api/analytics/anomaly-detections/run/`: the `run_anomaly_detection` parameters. */
export const RunAnomalyDetectionBody = z
  .strictObject({
    model_id: checkedByEngine({
      type: 'string',
      format: 'uuid',
      description: 'An ANOMALY_DETECTION model; default the system model',
    }),
    time_window: wholeHours("Hours before end in which anomalies are reported; default the model's (24)"),
    end,
  })
  .openapi('RunAnomalyDetectionParameters');

/** Body of `POST /api/analytics/recurrence-analyses/run/`: the `analyze_recurrence` parameters. */
export const AnalyzeRecurrenceBody = z
  .strictObject({
    time_window: checkedByEngine({
      type: 'number',
      exclusiveMinimum: 0,
      maximum: maxWindowHours,
      description: 'Hours before end whose incidents are analysed (fractions allowed); default all',
    }),
    end,
  })
  .openapi('AnalyzeRecurrenceParameters');
