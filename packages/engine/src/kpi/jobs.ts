import { z } from 'zod';
import type { IncidentService } from '../incidents/incident-service.ts';
import { toJsonValue } from '../jobs/job-errors.ts';
import {
  defineJobKind,
  emptyWindowNote,
  instantParameter,
  serviceOf,
  throwIfAborted,
  windowHoursParameter,
} from '../jobs/job-kind-helpers.ts';
import type { CalculationResult, KpiService } from './kpi-service.ts';

const parameters = z
  .object({
    metric_id: z.string().min(1).optional(),
    time_window: windowHoursParameter().optional(),
    end: instantParameter.optional(),
    force: z.boolean().optional(),
  })
  .strict();

/** From the earliest period start to the latest period end of `results`; undefined when none. */
function measuredWindow(results: readonly CalculationResult[]): { start: Date; end: Date } | undefined {
  if (results.length === 0) return undefined;
  const starts = results.map((r) => new Date(r.measurement.period_start).getTime());
  const ends = results.map((r) => new Date(r.measurement.period_end).getTime());
  return { start: new Date(Math.min(...starts)), end: new Date(Math.max(...ends)) };
}

/**
 * `calculate_kpis`: the spec's management command. Measures one metric (`metric_id`) or every
 * active one over the window ending at `end` (default the current hour) and stores the
 * measurements; a period already stored is returned as it is unless `force` (so a second run
 * writes nothing new). Result: `{ measurements: [{ ...measurement, computed }], notes }`, `notes`
 * saying when no incident fell in the measured periods.
 */
export const calculateKpisJob = defineJobKind({
  kind: 'calculate_kpis',
  description: 'Calculate KPI measurements for one metric or every active metric over its window.',
  parameters,
  action: 'analyses.write',
  scope: (p) =>
    `metric=${p.metric_id ?? 'all'};window=${p.time_window ?? 'default'};end=${p.end?.toISOString() ?? 'now'};force=${p.force ?? false}`,
  onInterrupted: 'requeue',
  run: async (context) => {
    const kpis = serviceOf<KpiService>(context, 'kpis');
    const p = context.parameters;
    const calculation = { windowHours: p.time_window, end: p.end, force: p.force ?? false };
    throwIfAborted(context);
    context.progress({ done: 0, total: p.metric_id ? 1 : null, message: 'calculating KPI measurements' });
    const results = p.metric_id
      ? [await kpis.calculate(p.metric_id, calculation)]
      : await kpis.calculateAll(calculation);
    context.progress({ done: results.length, total: results.length, message: 'calculated' });
    const window = measuredWindow(results);
    const note = window
      ? await emptyWindowNote(serviceOf<IncidentService>(context, 'incidents'), window)
      : undefined;
    return toJsonValue({
      measurements: results.map((r) => ({ ...r.measurement, computed: r.computed })),
      notes: note ? [note] : [],
    });
  },
});
