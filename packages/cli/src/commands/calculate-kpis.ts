import type { KpiMeasurement } from '@incident-insights/engine';
import { instantOption, windowHoursOption } from '@incident-insights/engine/vocabulary';
import type { Command } from 'commander';
import { runJobCommand, withBackend } from '../deferred.ts';
import { type AsJson, printJson, renderTable } from '../format.ts';

interface Options {
  metricId?: string;
  timeWindow?: string;
  end?: string;
  force?: boolean;
  json?: boolean;
}

/**
 * `insights calculate-kpis [--metric-id ID] [--time-window HOURS] [--end ISO] [--force] [--json]`:
 * measures one metric (or every active one) over the window ending at the current hour and stores
 * the measurements; a period already measured is reported as stored unless `--force`. When no
 * incident was created in the measured periods, a line on stderr says so and names the range the
 * data covers (exit code 0).
 */
export function registerCalculateKpis(program: Command): void {
  program
    .command('calculate-kpis')
    .description('Calculate KPI measurements for one metric or every active metric')
    .option('--metric-id <id>', 'only this metric (default: every active metric)')
    .option(
      '--time-window <hours>',
      "window length in whole hours (default: each metric's time_window_hours)",
    )
    .option('--end <datetime>', 'end of the period, ISO 8601; no zone means UTC (default: the current hour)')
    .option('--force', 'recalculate and replace a measurement of the same period')
    .option('--json', 'print the measurements as JSON')
    .action(async (options: Options, command: Command) => {
      const windowHours =
        options.timeWindow === undefined ? undefined : windowHoursOption('--time-window', options.timeWindow);
      const end = options.end === undefined ? undefined : instantOption('--end', options.end);
      const result = await withBackend(command, (backend) =>
        runJobCommand(backend, {
          label: 'calculate-kpis',
          kind: 'calculate_kpis',
          parameters: {
            ...(options.metricId === undefined ? {} : { metric_id: options.metricId }),
            ...(windowHours === undefined ? {} : { time_window: windowHours }),
            ...(end === undefined ? {} : { end: end.toISOString() }),
            force: options.force ?? false,
          },
          json: options.json ?? false,
        }),
      );
      const { measurements } = result as unknown as CalculateKpisResult;
      if (options.json) {
        printJson(measurements);
        return;
      }
      process.stdout.write(`${renderResults(measurements)}\n`);
    });
}

/** The result of a `calculate_kpis` job: each measurement (JSON) and whether this run computed it. */
interface CalculateKpisResult {
  readonly measurements: readonly MeasurementResult[];
}

/** A KPI measurement as JSON (dates as ISO strings), with `computed`: false when it was already stored. */
type MeasurementResult = AsJson<KpiMeasurement> & { readonly computed: boolean };

function renderResults(results: readonly MeasurementResult[]): string {
  const computed = results.filter((r) => r.computed).length;
  const head = `Calculated ${computed} measurement${computed === 1 ? '' : 's'}, ${results.length - computed} already stored.`;
  if (results.length === 0) return head;
  const table = renderTable(results, [
    { header: 'metric', value: (r) => r.metric_name },
    { header: 'type', value: (r) => r.metric_type },
    { header: 'value', value: (r) => r.value, right: true },
    { header: 'unit', value: (r) => r.unit },
    { header: 'incidents', value: (r) => r.incident_count, right: true },
    { header: 'period start', value: (r) => r.period_start },
    { header: 'period end', value: (r) => r.period_end },
    { header: 'status', value: (r) => (r.computed ? 'calculated' : 'stored') },
    { header: 'metric id', value: (r) => r.metric_id },
  ]);
  return `${head}\n\n${table}`;
}
