import { z } from '@hono/zod-openapi';
import { type IncidentColumn, incidentColumns, severities } from '@incident-insights/engine';

/** The OpenAPI type of one incident column, for responses (timestamps as ISO 8601 strings). */
function columnSchema(column: IncidentColumn, forInput: boolean): z.ZodType {
  const described = <T extends z.ZodType>(schema: T) => schema.openapi({ description: column.description });
  switch (column.kind) {
    case 'uuid':
      return described(z.uuid());
    case 'enum':
      return described(z.enum(column.values as [string, ...string[]]));
    case 'timestamp':
      return described(z.string().openapi({ format: 'date-time' }));
    case 'int':
      return described(forInput ? z.number().int().min(0) : z.number().int());
    case 'text[]':
      return described(z.array(z.string()));
    default:
      return described(z.string());
  }
}

/** Fields a client must give; the engine fills in the others (counts 0, status from the timestamps). */
const requiredOnInput = new Set(['title', 'severity', 'created_at']);

function shape(forInput: boolean): Record<string, z.ZodType> {
  const out: Record<string, z.ZodType> = {};
  for (const c of incidentColumns as readonly IncidentColumn[]) {
    const schema = columnSchema(c, forInput);
    out[c.name] = forInput
      ? requiredOnInput.has(c.name)
        ? schema
        : schema.nullable().optional()
      : schema.nullable();
  }
  return out;
}

/** Who made a stored prediction, and when. */
const predictionSource = {
  model: z.uuid().openapi({ description: 'The predictive model that made the prediction' }),
  version: z.string().openapi({ description: 'Its version ("1", "2", ...)', example: '3' }),
  predicted_at: z.string().openapi({ format: 'date-time', description: 'When the incident was scored' }),
};

/**
 * The predictions stored on an incident by the ACTIVE severity, escalation and resolution-time
 * models (the `score_incidents` job, every 5 minutes under `insights serve`); a key is present only
 * when a model of its type has scored the incident.
 */
const IncidentPredictionsSchema = z
  .object({
    severity: z
      .object({
        label: z.enum(severities).openapi({ description: 'The most likely severity' }),
        probabilities: z.record(z.string(), z.number()).openapi({
          description: 'Probability of each severity',
          example: { LOW: 0.1, MEDIUM: 0.2, HIGH: 0.6, CRITICAL: 0.1 },
        }),
        ...predictionSource,
      })
      .optional()
      .openapi({ description: 'Severity risk (SEVERITY_PREDICTION)' }),
    escalation: z
      .object({
        probability: z
          .number()
          .min(0)
          .max(1)
          .openapi({ description: 'Probability that the incident escalates' }),
        label: z.enum(['true', 'false']).openapi({ description: 'The more likely outcome' }),
        ...predictionSource,
      })
      .optional()
      .openapi({ description: 'Escalation probability (ESCALATION_PREDICTION)' }),
    resolution_time: z
      .object({
        value: z.number().openapi({ description: 'Expected hours from creation to resolution' }),
        lower: z.number().openapi({ description: 'Lower bound of the 90% interval, in hours' }),
        upper: z.number().openapi({ description: 'Upper bound of the 90% interval, in hours' }),
        unit: z.literal('hours'),
        ...predictionSource,
      })
      .optional()
      .openapi({ description: 'Expected resolution time (RESOLUTION_TIME_PREDICTION)' }),
  })
  .openapi('IncidentPredictions');

/** An incident as the API returns it. */
export const IncidentSchema = z
  .object({
    ...shape(false),
    ingested_at: z.string().openapi({ format: 'date-time' }),
    updated_at: z.string().openapi({ format: 'date-time' }),
    predictions: IncidentPredictionsSchema.nullable().openapi({
      description:
        'Predictions stored on the incident by the predictive models; null when none has scored it',
    }),
  })
  .openapi('Incident');

/**
 * An incident as a client sends it; a field not listed is refused (400 naming it). Only the JSON types are checked here; the engine validates the
 * rest (enums, dates, resolved after created) and answers with field-level errors.
 */
export const IncidentInputSchema = z
  .strictObject(
    Object.fromEntries(
      Object.entries(shape(true)).map(([name, schema]) => {
        const column = (incidentColumns as readonly IncidentColumn[]).find((c) => c.name === name);
        if (column?.kind !== 'enum') return [name, schema];
        // Enum values are checked by the engine, whose message lists the allowed values.
        const text = z
          .string()
          .openapi({ enum: [...(column.values ?? [])], description: column.description });
        return [name, requiredOnInput.has(name) ? text : text.nullable().optional()];
      }),
    ),
  )
  .openapi('IncidentInput');

/** A partial incident for PATCH: any subset of the input fields. */
export const IncidentPatchSchema = IncidentInputSchema.partial().openapi('IncidentPatch');

/** The outcome of a bulk ingest. */
export const IngestReportSchema = z
  .object({
    received: z.number().int(),
    inserted: z.number().int(),
    updated: z.number().int(),
    skipped: z.number().int(),
    errors: z.array(
      z.object({
        row: z.number().int(),
        line: z.number().int().optional(),
        field: z.string(),
        message: z.string(),
      }),
    ),
  })
  .openapi('IngestReport');
