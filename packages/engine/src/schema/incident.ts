import { z } from 'zod';
import { parseInstant } from './dates.ts';
import { incidentStatuses, priorities, severities } from './enums.ts';

/** Storage kind of one incident column; each maps to one DuckDB type and one Arrow type. */
export type ColumnKind = 'uuid' | 'text' | 'enum' | 'timestamp' | 'int' | 'text[]';

/** One column of the incident record: the single definition the zod schema, DDL and Arrow schema follow. */
export interface IncidentColumn {
  readonly name: string;
  readonly kind: ColumnKind;
  /** A value must be given on input (after defaults). */
  readonly required: boolean;
  /** Allowed values of an `enum` column. */
  readonly values?: readonly string[];
  /** Meaning and unit, for documentation. */
  readonly description: string;
}

/**
 * The incident record, column by column. Timestamps are instants stored in UTC; durations derived
 * from them are in seconds. Order matters: it is the column order of the table and of Arrow batches.
 */
export const incidentColumns = [
  { name: 'id', kind: 'uuid', required: false, description: 'Our identifier (UUID); generated when absent' },
  {
    name: 'external_id',
    kind: 'text',
    required: false,
    description: "The source system's identifier; ingestion upserts on it. Defaults to the id",
  },
  { name: 'title', kind: 'text', required: true, description: 'Short summary' },
  { name: 'description', kind: 'text', required: false, description: 'Free text' },
  { name: 'category', kind: 'text', required: false, description: 'Category, e.g. Infrastructure' },
  { name: 'subcategory', kind: 'text', required: false, description: 'Subcategory' },
  {
    name: 'severity',
    kind: 'enum',
    values: severities,
    required: true,
    description: 'LOW|MEDIUM|HIGH|CRITICAL',
  },
  {
    name: 'priority',
    kind: 'enum',
    values: priorities,
    required: false,
    description: 'P1 (most urgent) .. P5',
  },
  {
    name: 'status',
    kind: 'enum',
    values: incidentStatuses,
    required: true,
    description: 'Lifecycle status; defaults from the timestamps when absent',
  },
  { name: 'service', kind: 'text', required: false, description: 'Affected service' },
  { name: 'team', kind: 'text', required: false, description: 'Owning team (assignment group)' },
  {
    name: 'created_at',
    kind: 'timestamp',
    required: true,
    description: 'When the incident started (opened)',
  },
  { name: 'acknowledged_at', kind: 'timestamp', required: false, description: 'First acknowledgement' },
  { name: 'resolved_at', kind: 'timestamp', required: false, description: 'When service was restored' },
  { name: 'closed_at', kind: 'timestamp', required: false, description: 'When the record was closed' },
  { name: 'escalation_level', kind: 'int', required: true, description: '0 = never escalated' },
  { name: 'reopen_count', kind: 'int', required: true, description: 'Times reopened' },
  { name: 'reassignment_count', kind: 'int', required: true, description: 'Times reassigned' },
  { name: 'affected_users', kind: 'int', required: false, description: 'Users affected' },
  { name: 'tags', kind: 'text[]', required: false, description: 'Free labels' },
] as const satisfies readonly IncidentColumn[];

/**
 * The instant an ISO 8601 string (already checked by the schema) names: with `Z` or an offset as
 * written, a bare date as UTC midnight, a local date-time as UTC. Invalid text gives an invalid Date.
 */
export function isoToDate(text: string): Date {
  return new Date(/(Z|[+-]\d\d:?\d\d)$/i.test(text) || text.length === 10 ? text : `${text}Z`);
}

/** Largest count a column of kind `int` holds (DuckDB INTEGER). */
export const maxCount = 2_147_483_647;

const isoDateTime = z.iso.datetime({ offset: true, local: true });
const isoDate = z.iso.date();

/**
 * A timestamp: a Date, or ISO 8601 text as zod's `iso.datetime`/`iso.date` accept it. A refused
 * text says what is wrong with it ("has day 30, but 2026-02 has days 01 to 28"), by the API's
 * shared date parser.
 */
const timestamp = z.union([z.date(), z.string()]).transform((v, ctx) => {
  if (typeof v === 'string' && !isoDateTime.safeParse(v).success && !isoDate.safeParse(v).success) {
    const parsed = parseInstant(v);
    ctx.addIssue({
      code: 'custom',
      message: parsed.ok
        ? 'must be an ISO 8601 date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM:SS[Z|±HH:MM])'
        : parsed.message,
    });
    return z.NEVER;
  }
  const date = v instanceof Date ? v : isoToDate(v);
  if (Number.isNaN(date.getTime())) {
    ctx.addIssue({ code: 'custom', message: 'not a valid date' });
    return z.NEVER;
  }
  return date;
});
const count = z.coerce.number().int().min(0).max(maxCount);
const text = z.string().trim().max(10_000);
const optional = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? null);

/**
 * Validates one incident given by a client or a reader and normalises it: timestamps become UTC
 * `Date`s, counts default to 0, `status` defaults from the timestamps. Rejects resolution,
 * acknowledgement or closure before creation.
 */
export const incidentInputSchema = z
  .object({
    id: optional(z.uuid()),
    external_id: optional(text.min(1).max(200)),
    title: text.min(1).max(500),
    description: optional(text),
    category: optional(text.max(200)),
    subcategory: optional(text.max(200)),
    severity: z.enum(severities),
    priority: optional(z.enum(priorities)),
    status: optional(z.enum(incidentStatuses)),
    service: optional(text.max(200)),
    team: optional(text.max(200)),
    created_at: timestamp,
    acknowledged_at: optional(timestamp),
    resolved_at: optional(timestamp),
    closed_at: optional(timestamp),
    escalation_level: count.nullish().transform((v) => v ?? 0),
    reopen_count: count.nullish().transform((v) => v ?? 0),
    reassignment_count: count.nullish().transform((v) => v ?? 0),
    affected_users: optional(count),
    tags: optional(z.array(text.max(100)).max(50)),
  })
  .superRefine((r, ctx) => {
    for (const field of ['acknowledged_at', 'resolved_at', 'closed_at'] as const) {
      const at = r[field];
      if (at && at.getTime() < r.created_at.getTime()) {
        ctx.addIssue({ code: 'custom', path: [field], message: `${field} is before created_at` });
      }
    }
  })
  .transform((r) => ({
    ...r,
    status:
      r.status ??
      (r.closed_at ? 'CLOSED' : r.resolved_at ? 'RESOLVED' : r.acknowledged_at ? 'ACKNOWLEDGED' : 'OPEN'),
  }));

/** What a client or reader may give for one incident, before validation. */
export type IncidentInput = z.input<typeof incidentInputSchema>;

/** A validated incident, ready to store (id and external_id still may be null: the store fills them). */
export type ValidIncident = z.output<typeof incidentInputSchema>;

/** A stored incident, as the engine returns it. */
export interface Incident extends Omit<ValidIncident, 'id' | 'external_id'> {
  id: string;
  external_id: string;
  ingested_at: Date;
  updated_at: Date;
}

const duckdbTypes: Record<ColumnKind, string> = {
  uuid: 'UUID',
  text: 'VARCHAR',
  enum: 'VARCHAR',
  timestamp: 'TIMESTAMP',
  int: 'INTEGER',
  'text[]': 'VARCHAR[]',
};

/** The DuckDB column definitions of the incident table, in column order. */
export function incidentColumnDdl(): string[] {
  return incidentColumns.map((c) => {
    const column = c as IncidentColumn;
    const notNull =
      column.required || column.name === 'id' || column.name === 'external_id' ? ' NOT NULL' : '';
    const check = column.values
      ? ` CHECK (${column.name} IN (${column.values.map((v) => `'${v}'`).join(', ')}))`
      : '';
    return `${column.name} ${duckdbTypes[column.kind]}${notNull}${check}`;
  });
}
