import { EngineError, heatmapTypes, timeGranularities } from '@incident-insights/engine/vocabulary';
import type { Command } from 'commander';
import { runJobCommand, withBackend } from '../deferred.ts';
import { printJson, renderTable } from '../format.ts';

interface Options {
  type?: string;
  granularity?: string;
  json?: boolean;
}

/** One heatmap in the result of a `refresh_heatmaps` job. */
interface RefreshedHeatmapJson {
  readonly id: string;
  readonly heatmap_type: string;
  readonly time_granularity: string;
  readonly period_start: string;
  readonly period_end: string;
  readonly replaced: boolean;
  readonly rows: number;
  readonly columns: number;
}

/**
 * An option naming one of `allowed`, in any case (`--type incident_frequency`).
 *
 * @throws EngineError VALIDATION_ERROR `<name> must be one of ..., not <text>`.
 */
function enumOption<T extends string>(name: string, text: string, allowed: readonly T[]): T {
  const upper = text.trim().toUpperCase();
  if (!(allowed as readonly string[]).includes(upper)) {
    throw new EngineError('VALIDATION_ERROR', `${name} must be one of ${allowed.join(', ')}, not ${text}`, {
      field: name,
      value: text,
    });
  }
  return upper as T;
}

/**
 * `insights refresh-heatmaps [--type T] [--granularity G] [--json]`: computes and stores the
 * heatmaps (every type and granularity unless narrowed, each over its default period) as a
 * `refresh_heatmaps` job, which the server's schedule runs hourly; beside a running server the job
 * goes to it. A heatmap of the same type, granularity, period and filters is replaced. Prints one
 * line per heatmap (or the job's result as JSON).
 */
export function registerRefreshHeatmaps(program: Command): void {
  program
    .command('refresh-heatmaps')
    .description(
      'Compute and store the heatmaps (incident frequency, resolution time, cost impact, anomaly density)',
    )
    .option('--type <type>', `one heatmap type: ${heatmapTypes.join(', ')} (default: all)`)
    .option('--granularity <granularity>', `one granularity: ${timeGranularities.join(', ')} (default: all)`)
    .option('--json', 'print the heatmaps refreshed as JSON')
    .action(async (options: Options, command: Command) => {
      const type = options.type === undefined ? undefined : enumOption('--type', options.type, heatmapTypes);
      const granularity =
        options.granularity === undefined
          ? undefined
          : enumOption('--granularity', options.granularity, timeGranularities);
      const result = await withBackend(command, (backend) =>
        runJobCommand(backend, {
          label: 'refresh-heatmaps',
          kind: 'refresh_heatmaps',
          parameters: {
            ...(type === undefined ? {} : { heatmap_type: type }),
            ...(granularity === undefined ? {} : { time_granularity: granularity }),
          },
          json: options.json ?? false,
        }),
      );
      const { heatmaps } = result as unknown as { heatmaps: RefreshedHeatmapJson[] };
      if (options.json) {
        printJson({ heatmaps });
        return;
      }
      process.stdout.write(
        `${renderTable(heatmaps, [
          { header: 'TYPE', value: (h) => h.heatmap_type },
          { header: 'GRANULARITY', value: (h) => h.time_granularity },
          { header: 'PERIOD', value: (h) => `${h.period_start.slice(0, 10)} – ${h.period_end.slice(0, 10)}` },
          { header: 'CELLS', value: (h) => `${h.rows} × ${h.columns}` },
          { header: 'STORED', value: (h) => (h.replaced ? 'replaced' : 'new') },
          { header: 'ID', value: (h) => h.id },
        ])}\n`,
      );
    });
}
