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
import type { AnomalyService } from './anomaly-service.ts';
import type { AnomalyRunResult } from './run/anomaly-run.ts';

const parameters = z
  .object({
    model_id: z.string().min(1).optional(),
    time_window: windowHoursParameter().optional(),
    end: instantParameter.optional(),
  })
  .strict();

/** The run with the spec's snake_case names (the `run` key of the result and of the CLI's `--json`). */
function runJson(result: AnomalyRunResult): Record<string, unknown> {
  return {
    model_id: result.modelId,
    time_window_start: result.timeWindowStart,
    time_window_end: result.timeWindowEnd,
    history_start: result.historyStart,
    series_analyzed: result.seriesAnalyzed,
    detections_found: result.detectionsFound,
    outside_window: result.outsideWindow,
    below_alarm_budget: result.belowAlarmBudget,
    detections: result.detections,
    anomalies_found: result.anomaliesFound,
    anomalies_created: result.anomaliesCreated,
    duplicates_skipped: result.duplicatesSkipped,
    created_ids: result.createdIds,
  };
}

/**
 * `run_anomaly_detection`: the spec's management command. Runs the detectors over the incident
 * series and stores new anomalies (an anomaly already stored for the same series and an
 * overlapping window is skipped, so a second run writes nothing new). The run's progress lines
 * become the job's progress messages; a cancellation stops it between steps, before anything is
 * stored. Result: `{ run, anomalies, summary, notes }`.
 */
export const runAnomalyDetectionJob = defineJobKind({
  kind: 'run_anomaly_detection',
  description: 'Detect anomalies in the incident series of the window and store the new ones.',
  parameters,
  action: 'analyses.write',
  scope: (p) =>
    `model=${p.model_id ?? 'default'};window=${p.time_window ?? 'default'};end=${p.end?.toISOString() ?? 'now'}`,
  onInterrupted: 'requeue',
  run: async (context) => {
    const anomalies = serviceOf<AnomalyService>(context, 'anomalies');
    const p = context.parameters;
    const { anomalyModelConfigSchema } = await import('./persist/anomaly-model.ts');
    const end = p.end ?? context.now();
    const hours = p.time_window ?? anomalyModelConfigSchema.parse({}).window_hours;
    const incidents = serviceOf<IncidentService>(context, 'incidents');
    const note = await emptyWindowNote(incidents, {
      start: new Date(end.getTime() - hours * 3_600_000),
      end,
    });
    let step = 0;
    let stored = false;
    const result = await anomalies.run({
      ...(p.model_id === undefined ? {} : { modelId: p.model_id }),
      ...(p.time_window === undefined ? {} : { windowHours: p.time_window }),
      ...(p.end === undefined ? {} : { end: p.end }),
      onProgress: (line) => {
        // Each line ends a step; the last one comes after the anomalies are stored, too late to stop.
        stored ||= line.includes('stored');
        if (!stored) throwIfAborted(context);
        context.progress({ done: ++step, total: null, message: line });
      },
    });
    const created = await Promise.all(result.createdIds.map((id) => anomalies.get(id)));
    const summary = await anomalies.summary();
    return toJsonValue({ run: runJson(result), anomalies: created, summary, notes: note ? [note] : [] });
  },
});
