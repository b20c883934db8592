import { z } from 'zod';
import { EngineError } from '../../errors.ts';
import { zodIssuesToFieldErrors } from '../../input/field-errors.ts';
import { parseInstant } from '../../schema/dates.ts';
import { priorities, severities } from '../../schema/enums.ts';
import { incidentColumns, maxCount } from '../../schema/incident.ts';
import type { FeatureValue, TabularRow } from '../learn/types.ts';
import { incidentFeaturesNamed } from './incident-feature-sql.ts';
import { textHashBucketCount, textHashCounts } from './text-hash.ts';

const text = z.string().trim().max(10_000).nullish();
const count = z.coerce.number().int().min(0).max(maxCount).nullish();
const instant = z
  .union([z.date(), z.string()])
  .nullish()
  .transform((value, ctx) => {
    if (value === null || value === undefined) return null;
    if (value instanceof Date) {
      if (Number.isFinite(value.getTime())) return value;
      ctx.addIssue({ code: 'custom', message: 'not a valid date' });
      return z.NEVER;
    }
    const parsed = parseInstant(value);
    if (parsed.ok) return parsed.date;
    ctx.addIssue({ code: 'custom', message: parsed.message });
    return z.NEVER;
  });

/**
 * The incident fields a prediction reads, checked as ingestion checks them (text trimmed, enums
 * and counts validated); any other incident field is accepted and not read, anything else refused.
 */
const fieldsSchema = z
  .object({
    ...Object.fromEntries(incidentColumns.map((column) => [column.name, z.unknown().optional()])),
    title: text,
    description: text,
    category: text,
    subcategory: text,
    service: text,
    team: text,
    priority: z.enum(priorities).nullish(),
    severity: z.enum(severities).nullish(),
    created_at: instant,
    // Ingestion stores an absent count as 0.
    reassignment_count: count.transform((value) => value ?? 0),
    reopen_count: count.transform((value) => value ?? 0),
    affected_users: count,
  })
  .strict();

type Fields = z.output<typeof fieldsSchema>;

/** Text, with an empty one as missing (the SQL reads `nullif(column, '')`). */
const category = (value: string | null | undefined): FeatureValue => (value ? value : null);
const number = (value: number | null | undefined): FeatureValue => value ?? null;
const codePoints = (value: string | null | undefined): number => [...(value ?? '')].length;

const scalar: Readonly<Record<string, (fields: Fields) => FeatureValue>> = {
  title_length: (f) => (f.title === null || f.title === undefined ? null : codePoints(f.title)),
  description_length: (f) => codePoints(f.description),
  category: (f) => category(f.category),
  subcategory: (f) => category(f.subcategory),
  service: (f) => category(f.service),
  team: (f) => category(f.team),
  priority: (f) => f.priority ?? null,
  severity: (f) => f.severity ?? null,
  hour_of_day: (f) => (f.created_at ? f.created_at.getUTCHours() : null),
  day_of_week: (f) => (f.created_at ? (f.created_at.getUTCDay() + 6) % 7 : null),
  reassignment_count: (f) => number(f.reassignment_count),
  reopen_count: (f) => number(f.reopen_count),
  affected_users: (f) => number(f.affected_users),
};

/**
 * The feature values of one incident given as fields (title, description, category, ...,
 * created_at), as {@link readTrainingRows} computes them for a stored incident: for predictions on
 * incidents that are not stored. A field that is absent gives a missing value (an absent title a
 * missing title_length; an absent description, as a stored one, length 0 and no words; absent
 * reassignment and reopen counts, as ingestion stores them, 0).
 *
 * @throws EngineError VALIDATION_ERROR with field errors for a field that is not an incident field
 *   or a value that would not be accepted at ingestion, or an unknown feature.
 */
export function featuresOfFields(
  fields: Readonly<Record<string, unknown>>,
  features: readonly string[],
): TabularRow {
  const catalogued = incidentFeaturesNamed(features);
  const parsed = fieldsSchema.safeParse(fields);
  if (!parsed.success) {
    const errors = zodIssuesToFieldErrors(parsed.error.issues, {
      unknownKey: 'not an incident field',
    });
    throw new EngineError(
      'VALIDATION_ERROR',
      `invalid incident fields: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`,
      {
        errors,
      },
    );
  }
  const row: Record<string, FeatureValue> = {};
  for (const feature of catalogued) {
    if (feature.kind === 'text_hash') {
      const source = feature.name === 'title_hash' ? parsed.data.title : parsed.data.description;
      const counts = textHashCounts(source);
      const prefix = feature.name.replace(/_hash$/, '');
      for (let k = 0; k < textHashBucketCount; k++) row[`${prefix}_hash_${k}`] = counts[k] ?? 0;
    } else {
      const compute = scalar[feature.name];
      if (!compute) throw new EngineError('INTERNAL', `no computation for feature ${feature.name}`);
      row[feature.name] = compute(parsed.data);
    }
  }
  return row;
}
