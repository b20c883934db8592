import { EngineError } from '@incident-insights/engine/vocabulary';
import type { Command } from 'commander';
import { runJobCommand, withBackend } from '../deferred.ts';
import { printJson } from '../format.ts';

interface Options {
  expiredInsightsDays?: string;
  measurementsOlderThanDays?: string;
  finishedJobsOlderThanDays?: string;
  json?: boolean;
}

/** Longest retention a day count may name: 100 years. */
const maxDays = 36_500;

/**
 * A number of days given as an option's text: digits only, from 1 to {@link maxDays}.
 *
 * @throws EngineError VALIDATION_ERROR `<name> must be a whole number of days from 1, not <text>`.
 */
function daysOption(name: string, text: string): number {
  const trimmed = text.trim();
  const days = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || days < 1 || days > maxDays) {
    throw new EngineError(
      'VALIDATION_ERROR',
      `${name} must be a whole number of days from 1 to ${maxDays}, not ${text}`,
      { field: name, value: text },
    );
  }
  return days;
}

/** The result of a `cleanup` job: how many rows each part deleted. */
interface CleanupResult {
  readonly insights_deleted: number;
  readonly measurements_deleted: number;
  readonly jobs_deleted: number;
}

/**
 * `insights cleanup [--expired-insights-days N] [--measurements-older-than-days N]
 * [--finished-jobs-older-than-days N] [--json]`: the retention the spec's best practices ask for,
 * as a `cleanup` job (the server's schedule runs it daily): deletes predictive insights expired
 * more than N days ago, KPI measurements older than N days and job records finished more than N
 * days ago, and says how many of each. An option not given keeps the engine's default retention.
 */
export function registerCleanup(program: Command): void {
  program
    .command('cleanup')
    .description('Delete expired predictive insights, old KPI measurements and old job records')
    .option('--expired-insights-days <days>', 'delete insights expired more than this many days ago')
    .option('--measurements-older-than-days <days>', 'delete KPI measurements older than this many days')
    .option(
      '--finished-jobs-older-than-days <days>',
      'delete job records finished more than this many days ago',
    )
    .option('--json', 'print the counts as JSON')
    .action(async (options: Options, command: Command) => {
      const expired =
        options.expiredInsightsDays === undefined
          ? undefined
          : daysOption('--expired-insights-days', options.expiredInsightsDays);
      const older =
        options.measurementsOlderThanDays === undefined
          ? undefined
          : daysOption('--measurements-older-than-days', options.measurementsOlderThanDays);
      const jobs =
        options.finishedJobsOlderThanDays === undefined
          ? undefined
          : daysOption('--finished-jobs-older-than-days', options.finishedJobsOlderThanDays);
      const result = await withBackend(command, (backend) =>
        runJobCommand(backend, {
          label: 'cleanup',
          kind: 'cleanup',
          parameters: {
            ...(expired === undefined ? {} : { expired_insights_days: expired }),
            ...(older === undefined ? {} : { measurements_older_than_days: older }),
            ...(jobs === undefined ? {} : { finished_jobs_older_than_days: jobs }),
          },
          json: options.json ?? false,
        }),
      );
      const { insights_deleted, measurements_deleted, jobs_deleted } = result as unknown as CleanupResult;
      if (options.json) {
        printJson({ insights_deleted, measurements_deleted, jobs_deleted });
        return;
      }
      process.stdout.write(
        `Deleted ${plural(insights_deleted, 'expired insight')}, ${plural(measurements_deleted, 'KPI measurement')} and ${plural(jobs_deleted, 'finished job record')}.\n`,
      );
    });
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
