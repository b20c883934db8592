import type * as arrow from 'apache-arrow';
import { packTable, type TableBatch, unpackTable } from '../workers/column-batch.ts';
import {
  type FindRecurrenceOptions,
  findRecurrences,
  type RecurrenceGroup,
  type RecurrenceInput,
} from './kernels/find-recurrences.ts';

/** Name of the worker task that runs {@link findRecurrencesTask}. */
export const findRecurrencesTaskName = 'recurrence.find';

/** The columns of the window the task reads, in the order the service selects them. */
const windowColumns = ['title', 'description', 'service', 'category', 't'] as const;

/**
 * What the `recurrence.find` worker task receives: the window's incidents as a table batch (Arrow
 * IPC bytes, `packTable`; columns `title`, `description`, `service`, `category` as text, `t` the
 * creation time in epoch milliseconds as a double), moved to the worker rather than cloned, and
 * the kernel's options.
 */
export interface FindRecurrencesPayload {
  readonly incidents: TableBatch;
  readonly options: FindRecurrenceOptions;
}

/**
 * Packs a window read by the Arrow bridge (with at least the columns above, one row per incident
 * in the kernel's order) into a {@link FindRecurrencesPayload}. Other columns (e.g. `id`) stay
 * behind.
 *
 * @throws EngineError VALIDATION_ERROR when the window lacks one of the columns.
 */
export function findRecurrencesPayload(
  window: arrow.Table,
  options: FindRecurrenceOptions,
): FindRecurrencesPayload {
  return { incidents: packTable(window, windowColumns), options };
}

/** Reads the kernel's input from the payload's columns; a missing title reads as ''. */
function recurrenceInput(incidents: arrow.Table): RecurrenceInput {
  const text = (name: string): (string | null)[] => {
    const column = incidents.getChild(name);
    const values: (string | null)[] = new Array(incidents.numRows);
    for (let i = 0; i < values.length; i++) values[i] = (column?.get(i) as string | null) ?? null;
    return values;
  };
  const times = incidents.getChild('t');
  const createdAtMs = new Float64Array(incidents.numRows);
  for (let i = 0; i < createdAtMs.length; i++) createdAtMs[i] = Number(times?.get(i));
  return {
    titles: text('title').map((title) => title ?? ''),
    descriptions: text('description'),
    services: text('service'),
    categories: text('category'),
    createdAtMs,
  };
}

/** The worker task: reads the payload's columns and runs {@link findRecurrences} on them. Pure. */
export function findRecurrencesTask(payload: FindRecurrencesPayload): RecurrenceGroup[] {
  return findRecurrences(recurrenceInput(unpackTable(payload.incidents, windowColumns)), payload.options);
}
