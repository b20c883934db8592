import {
  type FindRecurrenceOptions,
  findRecurrences,
  type RecurrenceGroup,
  type RecurrenceInput,
} from './kernels/find-recurrences.ts';

/** Name of the worker task that runs {@link findRecurrencesTask}. */
export const findRecurrencesTaskName = 'recurrence.find';

/** What the `recurrence.find` worker task receives; structured-cloneable. */
export interface FindRecurrencesPayload {
  readonly input: RecurrenceInput;
  readonly options: FindRecurrenceOptions;
}

/** The worker task: runs {@link findRecurrences} on a payload. Pure. */
export function findRecurrencesTask(payload: FindRecurrencesPayload): RecurrenceGroup[] {
  return findRecurrences(payload.input, payload.options);
}
