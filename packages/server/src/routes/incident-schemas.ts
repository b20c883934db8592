import { z } from '@hono/zod-openapi';
import { type IncidentColumn, incidentColumns } from '@incident-insights/engine';

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

/** An incident as the API returns it. */
export const IncidentSchema = z
  .object({
    ...shape(false),
    ingested_at: z.string().openapi({ format: 'date-time' }),
    updated_at: z.string().openapi({ format: 'date-time' }),
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
