import { anomalyModelConfigSchema, type Engine, type IncidentCoverage } from '@incident-insights/engine';

/** A window of creation times: from `start` (inclusive) to `end` (exclusive). */
export interface TimeWindow {
  readonly start: Date;
  readonly end: Date;
}

/**
 * One line on what the database holds, e.g. `The database holds 24918 incidents created
 * 2016-02-29T01:16:00.000Z – 2017-02-14T21:46:00.000Z.`
 */
export function describeCoverage(coverage: IncidentCoverage): string {
  if (coverage.count === 0 || !coverage.firstCreatedAt || !coverage.lastCreatedAt) {
    return 'The database holds no incidents.';
  }
  return (
    `The database holds ${coverage.count} incident${coverage.count === 1 ? '' : 's'} created ` +
    `${coverage.firstCreatedAt.toISOString()} – ${coverage.lastCreatedAt.toISOString()}.`
  );
}

/**
 * The coverage as the CLI prints it in JSON (the `database` key of `insights ingest --json`): the
 * spec's snake_case names, `{ count, first_created_at, last_created_at }`.
 */
export function coverageJson(coverage: IncidentCoverage): {
  count: number;
  first_created_at: Date | null;
  last_created_at: Date | null;
} {
  return {
    count: coverage.count,
    first_created_at: coverage.firstCreatedAt,
    last_created_at: coverage.lastCreatedAt,
  };
}

/**
 * When no incident was created in `window`, prints on stderr `insights: no incidents in the window
 * <start> – <end>; the data covers <first> – <last>` (or `the database holds no incidents`) and
 * returns true. The command goes on and ends with exit code 0: an empty window is an answer (an
 * hour without incidents is a real zero), the line tells a window that missed the data from one.
 */
export async function noteEmptyWindow(engine: Engine, window: TimeWindow): Promise<boolean> {
  const inWindow = await engine.incidents.list({
    filters: { created_after: window.start, created_before: window.end },
    pageSize: 1,
  });
  if (inWindow.count > 0) return false;
  const coverage = await engine.incidents.coverage();
  const data =
    coverage.firstCreatedAt && coverage.lastCreatedAt
      ? `the data covers ${coverage.firstCreatedAt.toISOString()} – ${coverage.lastCreatedAt.toISOString()}`
      : 'the database holds no incidents';
  process.stderr.write(
    `insights: no incidents in the window ${window.start.toISOString()} – ${window.end.toISOString()}; ${data}\n`,
  );
  return true;
}

/**
 * {@link noteEmptyWindow} for `run-anomaly-detection`: the window of `hours` (default: the anomaly
 * model's default window, 24 h) ending at `end` (default now).
 */
export async function noteEmptyAnomalyWindow(
  engine: Engine,
  options: { readonly end?: Date | undefined; readonly hours?: number | undefined },
): Promise<boolean> {
  const end = options.end ?? new Date();
  const hours = options.hours ?? anomalyModelConfigSchema.parse({}).window_hours;
  return noteEmptyWindow(engine, { start: new Date(end.getTime() - hours * 3_600_000), end });
}
