import { type CalculationResult, instantOption, windowHoursOption } from '@incident-insights/engine';
import type { Command } from 'commander';
import { noteEmptyWindow } from '../data-range.ts';
import { withEngine } from '../engine-options.ts';
import { printJson, renderTable } from '../format.ts';

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
      await withEngine(command, async (engine) => {
        const calculation = { windowHours, end, force: options.force ?? false };
        const results = options.metricId
          ? [await engine.kpis.calculate(options.metricId, calculation)]
          : await engine.kpis.calculateAll(calculation);
        const window = measuredWindow(results);
        if (window) await noteEmptyWindow(engine, window);
        if (options.json) {
          printJson(results.map((r) => ({ ...r.measurement, computed: r.computed })));
          return;
        }
        process.stdout.write(`${renderResults(results)}\n`);
      });
    });
}

function renderResults(results: readonly CalculationResult[]): string {
  const computed = results.filter((r) => r.computed).length;
  const head = `Calculated ${computed} measurement${computed === 1 ? '' : 's'}, ${results.length - computed} already stored.`;
  if (results.length === 0) return head;
  const table = renderTable(results, [
    { header: 'metric', value: (r) => r.measurement.metric_name },
    { header: 'type', value: (r) => r.measurement.metric_type },
    { header: 'value', value: (r) => r.measurement.value, right: true },
    { header: 'unit', value: (r) => r.measurement.unit },
    { header: 'incidents', value: (r) => r.measurement.incident_count, right: true },
    { header: 'period start', value: (r) => r.measurement.period_start },
    { header: 'period end', value: (r) => r.measurement.period_end },
    { header: 'status', value: (r) => (r.computed ? 'calculated' : 'stored') },
    { header: 'metric id', value: (r) => r.measurement.metric_id },
  ]);
  return `${head}\n\n${table}`;
}

/** From the earliest period start to the latest period end of `results`; undefined when none. */
function measuredWindow(results: readonly CalculationResult[]): { start: Date; end: Date } | undefined {
  if (results.length === 0) return undefined;
  const starts = results.map((r) => new Date(r.measurement.period_start).getTime());
  const ends = results.map((r) => new Date(r.measurement.period_end).getTime());
  return { start: new Date(Math.min(...starts)), end: new Date(Math.max(...ends)) };
}
