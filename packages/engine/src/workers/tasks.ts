import { behavioralTaskName, behavioralTests } from '../anomaly/behavioral-task.ts';
import { detectBatch, detectTaskName } from '../anomaly/detect-task.ts';
import { forestScores, forestTaskName } from '../anomaly/forest-task.ts';
import { findRecurrencesTask, findRecurrencesTaskName } from '../recurrence/recurrence-task.ts';
import { echoTable, sumColumn } from './arrow-tasks.ts';
import type { Task } from './dispatch.ts';

/**
 * Every task a worker can run, by name. Add a kernel here as `'capability.name': fn`; `fn` takes
 * a structured-cloneable payload (Arrow tables as IPC `Uint8Array`s, see `tableToTransferable`)
 * and returns a structured-cloneable result; typed arrays in the result are moved, not copied.
 */
export const tasks: Record<string, Task> = {
  'arrow.sum': sumColumn,
  'arrow.echo': echoTable,
  [detectTaskName]: detectBatch,
  [forestTaskName]: forestScores,
  [behavioralTaskName]: behavioralTests,
  [findRecurrencesTaskName]: findRecurrencesTask,
};
