import type { AnomalyDetection, AnomalySummary } from '@incident-insights/engine';
import { instantOption, windowHoursOption } from '@incident-insights/engine/vocabulary';
import type { Command } from 'commander';
import { runJobCommand, withBackend } from '../deferred.ts';
import { type AsJson, printJson, renderTable } from '../format.ts';

interface Options {
  modelId?: string;
  timeWindow?: string;
  end?: string;
  json?: boolean;
}

/**
 * `insights run-anomaly-detection [--model-id MODEL_ID] [--time-window HOURS] [--end ISO] [--json]`:
 * the spec's management command. Progress goes to stderr; stdout gets the anomalies the run
 * created, where its detections went (see {@link explainRun}) and the anomaly summary (or all of
 * it as JSON).
 */
export function registerRunAnomalyDetection(program: Command): void {
  program
    .command('run-anomaly-detection')
    .description('Detect anomalies in the incident series of the last HOURS and store new ones')
    .option(
      '--model-id <id>',
      'ANOMALY_DETECTION model whose configuration to use (default: the system model)',
    )
    .option(
      '--time-window <hours>',
      'hours before the end in which to report anomalies (default: the model, 24)',
    )
    .option('--end <datetime>', 'end of the window, ISO 8601; no zone means UTC (default: now)')
    .option('--json', 'print the run, the new anomalies and the summary as JSON')
    .action(async (options: Options, command: Command) => {
      const windowHours =
        options.timeWindow === undefined ? undefined : windowHoursOption('--time-window', options.timeWindow);
      const end = options.end === undefined ? undefined : instantOption('--end', options.end);
      const result = await withBackend(command, (backend) =>
        runJobCommand(backend, {
          label: 'run-anomaly-detection',
          kind: 'run_anomaly_detection',
          parameters: {
            ...(options.modelId === undefined ? {} : { model_id: options.modelId }),
            ...(windowHours === undefined ? {} : { time_window: windowHours }),
            ...(end === undefined ? {} : { end: end.toISOString() }),
          },
          json: options.json ?? false,
          printMessages: true,
        }),
      );
      const { run, anomalies, summary } = result as unknown as AnomalyJobResult;
      if (options.json) {
        printJson({ run: runJson(run), anomalies, summary });
        return;
      }
      process.stdout.write(`${renderCreated(anomalies)}\n${explainRun(run)}\n\n${renderSummary(summary)}\n`);
    });
}

/** The run of a `run_anomaly_detection` job's result: the spec's snake_case names, dates as ISO strings. */
interface RunJson {
  readonly model_id: string;
  readonly time_window_start: string;
  readonly time_window_end: string;
  readonly history_start: string;
  readonly series_analyzed: number;
  readonly detections_found: number;
  readonly outside_window: number;
  readonly below_alarm_budget: number;
  readonly detections: number;
  readonly anomalies_found: number;
  readonly anomalies_created: number;
  readonly duplicates_skipped: number;
  readonly created_ids: readonly string[];
}

/** The result of a `run_anomaly_detection` job: the run, the anomalies it created, the summary. */
interface AnomalyJobResult {
  readonly run: RunJson;
  readonly anomalies: readonly AsJson<AnomalyDetection>[];
  readonly summary: AnomalySummary;
}

/** The run as `--json` prints it, its keys in this order whatever order the result has them in. */
function runJson(run: RunJson): RunJson {
  return {
    model_id: run.model_id,
    time_window_start: run.time_window_start,
    time_window_end: run.time_window_end,
    history_start: run.history_start,
    series_analyzed: run.series_analyzed,
    detections_found: run.detections_found,
    outside_window: run.outside_window,
    below_alarm_budget: run.below_alarm_budget,
    detections: run.detections,
    anomalies_found: run.anomalies_found,
    anomalies_created: run.anomalies_created,
    duplicates_skipped: run.duplicates_skipped,
    created_ids: run.created_ids,
  };
}

/** What a run's counts mean, in words: where every detection went and why. */
function explainRun(run: RunJson): string {
  const inWindow = run.below_alarm_budget + run.detections;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const lines = [
    `${plural(inWindow, 'detection')} in the window ${run.time_window_start} to ${run.time_window_end}` +
      ` (history examined from ${run.history_start}; ${run.outside_window} more before the window, not reported).`,
    `${run.below_alarm_budget} below the alarm budget: not significant when re-tested on the data behind them (family-wise level over the series' points).`,
    `${run.detections} kept, merged into ${run.anomalies_found} ${run.anomalies_found === 1 ? 'anomaly' : 'anomalies'}` +
      ` (views of the same event on several series or detectors are one anomaly): ${run.anomalies_created} new, ${run.duplicates_skipped} already known (stored by an earlier run on the same series and an overlapping window).`,
  ];
  return lines.join('\n');
}

function renderCreated(created: readonly AsJson<AnomalyDetection>[]): string {
  if (created.length === 0) return 'No new anomalies.';
  return renderTable(created, [
    { header: 'id', value: (a) => a.id },
    { header: 'type', value: (a) => a.anomaly_type },
    { header: 'severity', value: (a) => a.severity },
    { header: 'confidence', value: (a) => a.confidence_score.toFixed(4), right: true },
    { header: 'window start', value: (a) => a.time_window_start },
    { header: 'description', value: (a) => a.description },
  ]);
}

function renderSummary(summary: AnomalySummary): string {
  return renderTable(Object.entries(summary), [
    { header: 'summary', value: ([key]) => key },
    { header: 'value', value: ([, value]) => value, right: true },
  ]);
}
