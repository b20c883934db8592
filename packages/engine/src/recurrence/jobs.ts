import { z } from 'zod';
import { toJsonValue } from '../jobs/job-errors.ts';
import {
  defineJobKind,
  instantParameter,
  serviceOf,
  throwIfAborted,
  windowHoursParameter,
} from '../jobs/job-kind-helpers.ts';
import type { RecurrenceService } from './recurrence-service.ts';

const parameters = z
  .object({
    time_window: windowHoursParameter(false).optional(),
    end: instantParameter.optional(),
  })
  .strict();

/**
 * `analyze_recurrence`: the spec's management command. Analyses the incidents created in the
 * window (default 720 hours before `end`, default now) and upserts one analysis per recurring
 * pattern (re-running on the same data changes nothing). Result: the `AnalyzeRecurrenceResult` as
 * JSON plus `notes`.
 */
export const analyzeRecurrenceJob = defineJobKind({
  kind: 'analyze_recurrence',
  description: 'Find recurring incidents in the window and store or update one analysis per pattern.',
  parameters,
  action: 'analyses.write',
  scope: (p) => `window=${p.time_window ?? 'default'};end=${p.end?.toISOString() ?? 'now'}`,
  onInterrupted: 'requeue',
  run: async (context) => {
    const recurrence = serviceOf<RecurrenceService>(context, 'recurrence');
    const p = context.parameters;
    throwIfAborted(context);
    context.progress({ done: 0, total: 1, message: 'analysing recurrence' });
    const result = await recurrence.analyze({
      ...(p.time_window === undefined ? {} : { windowHours: p.time_window }),
      ...(p.end === undefined ? {} : { end: p.end }),
    });
    context.progress({ done: 1, total: 1, message: `${result.analyses.length} recurring patterns` });
    return toJsonValue({ ...result, notes: [] });
  },
});
