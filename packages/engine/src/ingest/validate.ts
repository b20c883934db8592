import { zodIssuesToFieldErrors } from '../input/field-errors.ts';
import { incidentInputSchema, type ValidIncident } from '../schema/incident.ts';
import { fastValidate } from './fast-validate.ts';
import { unknownFieldMessage, unknownFields } from './field-names.ts';
import { UnreadableRecord } from './readers/unreadable.ts';
import type { RawBatch, RowError } from './types.ts';

/** The valid records of a batch with their source rows, and the row errors of the rest. */
export interface ValidatedBatch {
  readonly incidents: ValidIncident[];
  /** Source row of each incident, parallel to `incidents`. */
  readonly rows: number[];
  /** One entry per problem (a row may have several). */
  readonly errors: RowError[];
  /** Number of distinct invalid rows. */
  readonly invalidRows: number;
}

/**
 * Validates every record of a batch with `incidentInputSchema` (through {@link fastValidate} for
 * the plainly valid ones), refusing any key that is not an incident field (the schema alone would
 * drop it silently). Never throws for bad records: they become row errors naming the row, the line
 * when known, the field (the unknown key itself for an unknown field) and the message.
 */
export function validateBatch(batch: RawBatch): ValidatedBatch {
  const incidents: ValidIncident[] = [];
  const rows: number[] = [];
  const errors: RowError[] = [];
  let invalidRows = 0;
  const { records, firstRow, lines } = batch;
  for (let i = 0; i < records.length; i++) {
    const record = records[i];
    const row = batch.rows?.[i] ?? firstRow + i;
    if (record instanceof UnreadableRecord) {
      invalidRows++;
      errors.push(unreadable(row, lines?.[i], record.message));
      continue;
    }
    const fast = fastValidate(record);
    if (fast) {
      incidents.push(fast);
      rows.push(row);
      continue;
    }
    const unknown =
      typeof record === 'object' && record !== null && !Array.isArray(record) ? unknownFields(record) : [];
    const parsed = incidentInputSchema.safeParse(record);
    if (parsed.success && unknown.length === 0) {
      incidents.push(parsed.data);
      rows.push(row);
      continue;
    }
    invalidRows++;
    const line = lines?.[i];
    const problem = (field: string, message: string): RowError =>
      line === undefined ? { row, field, message } : { row, line, field, message };
    for (const key of unknown) errors.push(problem(key, unknownFieldMessage));
    if (parsed.success) continue;
    for (const { field, message } of zodIssuesToFieldErrors(parsed.error.issues, {
      wholeInput: '(record)',
    })) {
      errors.push(problem(field, message));
    }
  }
  return { incidents, rows, errors, invalidRows };
}

/** A row error for a record that could not even be read (bad JSON, a ragged CSV line). */
function unreadable(row: number, line: number | undefined, message: string): RowError {
  return line === undefined ? { row, field: '(record)', message } : { row, line, field: '(record)', message };
}
