import type { AnalyzeRecurrenceResult, RecurrenceAnalysis } from '@incident-insights/engine';
import {
  defaultRecurrenceWindowHours,
  instantOption,
  windowHoursOption,
} from '@incident-insights/engine/vocabulary';
import type { Command } from 'commander';
import { runJobCommand, withBackend } from '../deferred.ts';
import { type AsJson, printJson, renderTable } from '../format.ts';

interface Options {
  timeWindow?: string;
  end?: string;
  json?: boolean;
}

/**
 * `insights analyze-recurrence [--time-window HOURS] [--end ISO] [--json]`: finds incidents that
 * keep coming back among those created in the last HOURS, stores or updates one recurrence analysis
 * per pattern, and prints them (highest confidence first) after a one-line account of the run.
 */
export function registerAnalyzeRecurrence(program: Command): void {
  program
    .command('analyze-recurrence')
    .description('Find recurring incidents (same fingerprint, similar text, periodic) and store the analyses')
    .option(
      '--time-window <hours>',
      `hours before the end whose incidents are analysed (default ${defaultRecurrenceWindowHours})`,
    )
    .option('--end <datetime>', 'end of the window, ISO 8601; no zone means UTC (default: now)')
    .option('--json', 'print the run and its analyses as JSON')
    .action(async (options: Options, command: Command) => {
      // A recurrence window only bounds creation times, so it may be a fraction of an hour.
      const windowHours =
        options.timeWindow === undefined
          ? undefined
          : windowHoursOption('--time-window', options.timeWindow, { whole: false });
      const end = options.end === undefined ? undefined : instantOption('--end', options.end);
      const result = await withBackend(command, (backend) =>
        runJobCommand(backend, {
          label: 'analyze-recurrence',
          kind: 'analyze_recurrence',
          parameters: {
            ...(windowHours === undefined ? {} : { time_window: windowHours }),
            ...(end === undefined ? {} : { end: end.toISOString() }),
          },
          json: options.json ?? false,
        }),
      );
      const { notes: _notes, ...run } = result as unknown as RecurrenceJobResult;
      if (options.json) {
        printJson(run);
        return;
      }
      process.stdout.write(`${renderRun(run)}\n`);
    });
}

/** The result of an `analyze_recurrence` job: the run as JSON (dates as ISO strings) and its notes. */
type RecurrenceRun = Omit<AsJson<AnalyzeRecurrenceResult>, 'analyses'> & {
  readonly analyses: readonly AsJson<RecurrenceAnalysis>[];
};
type RecurrenceJobResult = RecurrenceRun & { readonly notes?: readonly string[] };

function renderRun(result: RecurrenceRun): string {
  const head =
    `Analysed ${result.incidentsScanned} incidents created ${result.windowStart} to ` +
    `${result.windowEnd}: ${result.analyses.length} recurring patterns ` +
    `(${result.created} new, ${result.updated} updated, ${result.reopened} reopened, ${result.unchanged} unchanged).`;
  if (result.analyses.length === 0) return head;
  return `${head}\n\n${renderAnalyses(result.analyses)}`;
}

function renderAnalyses(analyses: readonly AsJson<RecurrenceAnalysis>[]): string {
  return renderTable(analyses, [
    { header: 'id', value: (a) => a.id },
    { header: 'type', value: (a) => a.recurrence_type },
    { header: 'count', value: (a) => a.occurrence_count, right: true },
    { header: 'confidence', value: (a) => a.confidence_score, right: true },
    { header: 'every (h)', value: (a) => a.mean_interval_hours, right: true },
    { header: 'last seen', value: (a) => a.last_seen },
    { header: 'services', value: (a) => a.affected_services.join(',') },
    { header: 'resolved', value: (a) => (a.is_resolved ? 'yes' : 'no') },
    { header: 'description', value: (a) => a.description },
  ]);
}
