import {
  type AnomalyDetection,
  type AnomalyRunResult,
  type AnomalySummary,
  instantOption,
  windowHoursOption,
} from '@incident-insights/engine';
import type { Command } from 'commander';
import { noteEmptyAnomalyWindow } from '../data-range.ts';
import { withEngine } from '../engine-options.ts';
import { printJson, renderTable } from '../format.ts';

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
      await withEngine(command, async (engine) => {
        await noteEmptyAnomalyWindow(engine, { end, hours: windowHours });
        const result = await engine.anomalies.run({
          ...(options.modelId === undefined ? {} : { modelId: options.modelId }),
          ...(windowHours === undefined ? {} : { windowHours }),
          ...(end === undefined ? {} : { end }),
          onProgress: (line) => process.stderr.write(`${line}\n`),
        });
        const created = await Promise.all(result.createdIds.map((id) => engine.anomalies.get(id)));
        const summary = await engine.anomalies.summary();
        if (options.json) {
          printJson({ run: runJson(result), anomalies: created, summary });
          return;
        }
        process.stdout.write(
          `${renderCreated(created)}\n${explainRun(result)}\n\n${renderSummary(summary)}\n`,
        );
      });
    });
}

/** The run as the CLI prints it in JSON (the `run` key of `--json`): the spec's snake_case names. */
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

/** What a run's counts mean, in words: where every detection went and why. */
function explainRun(result: AnomalyRunResult): string {
  const inWindow = result.belowAlarmBudget + result.detections;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const lines = [
    `${plural(inWindow, 'detection')} in the window ${result.timeWindowStart.toISOString()} to ${result.timeWindowEnd.toISOString()}` +
      ` (history examined from ${result.historyStart.toISOString()}; ${result.outsideWindow} more before the window, not reported).`,
    `${result.belowAlarmBudget} below the alarm budget: not significant when re-tested on the data behind them (family-wise level over the series' points).`,
    `${result.detections} kept, merged into ${result.anomaliesFound} ${result.anomaliesFound === 1 ? 'anomaly' : 'anomalies'}` +
      ` (views of the same event on several series or detectors are one anomaly): ${result.anomaliesCreated} new, ${result.duplicatesSkipped} already known (stored by an earlier run on the same series and an overlapping window).`,
  ];
  return lines.join('\n');
}

function renderCreated(created: readonly AnomalyDetection[]): string {
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
