import { instantOption, windowHoursOption } from '@incident-insights/engine/vocabulary';
import type { Command } from 'commander';
import { runJobCommand, withBackend } from '../deferred.ts';
import { printJson } from '../format.ts';

interface Options {
  timeWindow?: string;
  end?: string;
  json?: boolean;
}

/** The result of a `calculate_costs` job. */
interface CalculateCostsResult {
  readonly start: string;
  readonly end: string;
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly threshold_events: number;
  readonly missing_rates: readonly string[];
}

/**
 * `insights calculate-costs [--time-window HOURS] [--end ISO] [--json]`: prices the incidents
 * resolved or updated in the window (default the 24 hours before now) and the SLA periods
 * overlapping it, as a `calculate_costs` job (the server's schedule runs it hourly); beside a
 * running server the job runs there. Says how many analyses were created, recomputed and left as
 * they were; a currency without an exchange rate is named on stderr.
 */
export function registerCalculateCosts(program: Command): void {
  program
    .command('calculate-costs')
    .description('Calculate the cost impact of the incidents resolved or updated in a window')
    .option('--time-window <hours>', 'window length in whole hours (default: 24)')
    .option('--end <datetime>', 'end of the window, ISO 8601; no zone means UTC (default: now)')
    .option('--json', 'print the result as JSON')
    .action(async (options: Options, command: Command) => {
      const windowHours =
        options.timeWindow === undefined ? undefined : windowHoursOption('--time-window', options.timeWindow);
      const end = options.end === undefined ? undefined : instantOption('--end', options.end);
      const result = (await withBackend(command, (backend) =>
        runJobCommand(backend, {
          label: 'calculate-costs',
          kind: 'calculate_costs',
          parameters: {
            ...(windowHours === undefined ? {} : { time_window: windowHours }),
            ...(end === undefined ? {} : { end: end.toISOString() }),
          },
          json: options.json ?? false,
        }),
      )) as unknown as CalculateCostsResult;
      if (result.missing_rates.length > 0) {
        process.stderr.write(
          `calculate-costs: no exchange rate for ${result.missing_rates.join(', ')}; their costs were skipped\n`,
        );
      }
      if (options.json) {
        printJson(result);
        return;
      }
      process.stdout.write(
        `Cost analyses from ${result.start} to ${result.end}: ${result.created} created, ${result.updated} recomputed, ` +
          `${result.unchanged} unchanged; ${result.threshold_events} over the cost threshold.\n`,
      );
    });
}
