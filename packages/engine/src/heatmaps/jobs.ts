import { z } from 'zod';
import { toJsonValue } from '../jobs/job-errors.ts';
import { defineJobKind, instantParameter, serviceOf, throwIfAborted } from '../jobs/job-kind-helpers.ts';
import { heatmapTypes, timeGranularities } from './heatmap-kinds.ts';
import { checkPeriod } from './heatmap-period.ts';
import type { HeatmapService } from './heatmap-service.ts';

const refreshParameters = z
  .object({
    heatmap_type: z.enum(heatmapTypes).optional(),
    time_granularity: z.enum(timeGranularities).optional(),
    period_start: instantParameter.optional(),
    period_end: instantParameter.optional(),
    filters: z
      .object({
        service: z.string().min(1),
        category: z.string().min(1),
        severity: z.enum(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']),
      })
      .partial()
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    // Checked when the job is asked for, so that a bad period is refused then, not when it runs.
    if ((p.period_start === undefined) !== (p.period_end === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [p.period_start === undefined ? 'period_start' : 'period_end'],
        message: 'give both period_start and period_end, or neither',
      });
      return;
    }
    if (p.period_start === undefined || p.period_end === undefined) return;
    for (const granularity of p.time_granularity ? [p.time_granularity] : timeGranularities) {
      try {
        checkPeriod({ start: p.period_start, end: p.period_end }, granularity);
      } catch (error) {
        ctx.addIssue({ code: 'custom', path: ['period_end'], message: (error as Error).message });
        return;
      }
    }
  });

/**
 * `refresh_heatmaps`: computes and stores heatmaps (every type and granularity unless narrowed, each
 * over its default period unless one is given) and replaces the stored heatmap of the same type,
 * granularity, period and filters, so the server's hourly schedule and a re-run write each heatmap
 * once. Result: `{ heatmaps: [{ id, heatmap_type, time_granularity, period_start, period_end,
 * replaced, rows, columns }] }`.
 */
export const refreshHeatmapsJob = defineJobKind({
  kind: 'refresh_heatmaps',
  description:
    'Compute and store the heatmaps (incident frequency, resolution time, cost impact, anomaly density).',
  parameters: refreshParameters,
  action: 'analyses.write',
  scope: (p) =>
    [
      p.heatmap_type ?? 'all',
      p.time_granularity ?? 'all',
      p.period_start?.toISOString() ?? 'default',
      p.period_end?.toISOString() ?? 'default',
      JSON.stringify(p.filters ?? {}),
    ].join('|'),
  onInterrupted: 'requeue',
  run: async (context) => {
    const heatmaps = serviceOf<HeatmapService>(context, 'heatmaps');
    throwIfAborted(context);
    const p = context.parameters;
    context.progress({ done: 0, total: 1, message: 'refreshing heatmaps' });
    const result = await heatmaps.refresh({
      heatmapType: p.heatmap_type,
      timeGranularity: p.time_granularity,
      periodStart: p.period_start,
      periodEnd: p.period_end,
      filters: p.filters,
    });
    context.progress({ done: 1, total: 1, message: `${result.heatmaps.length} heatmaps refreshed` });
    return toJsonValue(result);
  },
});
