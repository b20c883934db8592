import { defineCapability } from '../capability.ts';
import { analyzeRecurrenceJob } from './jobs.ts';
import type { RecurrenceService } from './recurrence-service.ts';
import { findRecurrencesTask, findRecurrencesTaskName } from './recurrence-task.ts';

/** Incident recurrence analyses: patterns of incidents that keep coming back (`engine.recurrence`). */
export const recurrenceModule = defineCapability({
  name: 'recurrence',
  jobKinds: [analyzeRecurrenceJob],
  tasks: { [findRecurrencesTaskName]: findRecurrencesTask },
  createService: async (context): Promise<RecurrenceService> => {
    const { RecurrenceService } = await import('./recurrence-service.ts');
    return new RecurrenceService(context);
  },
});
