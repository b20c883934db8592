import { z } from 'zod';
import { toJsonValue } from '../jobs/job-errors.ts';
import {
  defineJobKind,
  instantParameter,
  serviceOf,
  throwIfAborted,
  windowHoursParameter,
} from '../jobs/job-kind-helpers.ts';
import type { CostService } from './cost-service.ts';

const parameters = z
  .object({ time_window: windowHoursParameter().optional(), end: instantParameter.optional() })
  .strict();

/**
 * `calculate_costs`: prices the incidents resolved or updated in the `time_window` hours (default
 * 24) before `end` (default now) and the SLA periods overlapping them. Idempotent: the hourly
 * schedule's overlapping windows write each analysis once and recompute only changed inputs.
 * Result: `{ start, end, created, updated, unchanged, threshold_events, missing_rates }`.
 */
export const calculateCostsJob = defineJobKind({
  kind: 'calculate_costs',
  description: 'Calculate the cost impact of the incidents resolved or updated in a window.',
  parameters,
  action: 'analyses.write',
  scope: (p) => `window=${p.time_window ?? 'default'};end=${p.end?.toISOString() ?? 'now'}`,
  onInterrupted: 'requeue',
  run: async (context) => {
    const costs = serviceOf<CostService>(context, 'costs');
    throwIfAborted(context);
    context.progress({ done: 0, total: 1, message: 'calculating costs' });
    const r = await costs.calculate({
      windowHours: context.parameters.time_window,
      end: context.parameters.end ?? context.now(),
    });
    context.progress({
      done: 1,
      total: 1,
      message: `${r.created} cost analyses created, ${r.updated} updated`,
    });
    return toJsonValue({
      start: r.start.toISOString(),
      end: r.end.toISOString(),
      created: r.created,
      updated: r.updated,
      unchanged: r.unchanged,
      threshold_events: r.thresholdEvents,
      missing_rates: r.missingRates,
    });
  },
});
