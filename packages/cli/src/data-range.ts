import type { IncidentCoverage } from '@incident-insights/engine';

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
