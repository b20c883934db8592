import { EngineError } from '@incident-insights/engine/vocabulary';
import type { Command } from 'commander';
import { configureDemo } from '../backend/demo-setup.ts';
import { countIncidents, ingestRecords, withBackend } from '../deferred.ts';
import { printable, printJson, renderTable } from '../format.ts';
import { startProgress } from '../progress.ts';

interface DemoOptions {
  incidents: string;
  seed: string;
  days: string;
  ifEmpty?: boolean;
  json?: boolean;
}

/**
 * `insights demo [--incidents N] [--seed S] [--days D] [--if-empty] [--json]`: fills the database
 * with seeded synthetic incidents over the last D days (through ingestion, upserting `SYN-<n>` ids)
 * and prints what it wrote, including the planted anomalies and recurring problems; configures
 * what the other analyses need to show something (see `configureDemo`).
 */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'Generate synthetic incidents (with planted anomalies and recurring problems) into the database',
    )
    .option('--incidents <n>', 'number of incidents', '20000')
    .option('--seed <n>', 'random seed (same seed, same incidents)', '1')
    .option('--days <n>', 'length of the period ending now, days', '90')
    .option('--if-empty', 'do nothing when the database already holds incidents')
    .option('--json', 'print the summary as JSON')
    .action(async (options: DemoOptions, command: Command) => {
      const count = integer(options.incidents, '--incidents', 1);
      const seed = integer(options.seed, '--seed', Number.MIN_SAFE_INTEGER);
      const days = integer(options.days, '--days', 1);
      // Imported here, not at the top: `insights --help` need not load the engine.
      const [{ generateIncidents }, { databasePath }] = await Promise.all([
        import('@incident-insights/engine/synth'),
        import('../engine-options.ts'),
      ]);
      await withBackend(command, async (backend) => {
        if (options.ifEmpty) {
          const existing = await countIncidents(backend);
          if (existing > 0) {
            if (options.json) printJson({ database: databasePath(command), written: 0, existing });
            else process.stdout.write(`The database already holds ${existing} incidents; nothing written.\n`);
            return;
          }
        }
        // The window ends at the engine's clock (the server's beside one: the same machine's).
        const now = backend.kind === 'engine' ? backend.engine.now() : new Date();
        const data = generateIncidents({ seed, count, days, end: now });
        const progress = startProgress({ label: 'demo', json: options.json ?? false });
        const report = await ingestRecords(backend, data.incidents, (done) =>
          progress.update({ done, total: data.count, message: null }),
        ).finally(() => progress.stop());
        const configured = await configureDemo(backend);
        const truth = data.truth;
        const anomalies = truth.anomalies.map((a) => ({
          kind: a.kind,
          service: a.service,
          team: a.team,
          start: a.start,
          end: a.end,
          factor: a.factor,
          incidents: a.incidentExternalIds.length,
        }));
        const recurring = truth.recurring.map((r) => ({
          fingerprint: r.fingerprint,
          service: r.service,
          period_hours: r.periodHours ?? null,
          mean_interval_hours: r.meanIntervalHours,
          incidents: r.incidentExternalIds.length,
        }));
        const summary = {
          database: databasePath(command),
          written: data.count,
          inserted: report.inserted,
          updated: report.updated,
          seed,
          start: data.start,
          end: data.end,
          anomalies,
          recurring,
          configured,
        };
        if (options.json) {
          printJson(summary);
          return;
        }
        const range = data.count > 0 ? ` (SYN-1..SYN-${data.count})` : '';
        process.stdout.write(
          `Wrote ${data.count} synthetic incidents${range} from ${data.start.toISOString()} to ` +
            `${data.end.toISOString()} into ${printable(summary.database)}: ${report.inserted} new, ${report.updated} updated.\n`,
        );
        if (configured.length > 0) {
          process.stdout.write(
            `Configured for the analyses: ${configured.join(', ')} (insights serve's schedules calculate costs, train the models and fill the dashboards).\n`,
          );
        }
        if (anomalies.length > 0) {
          process.stdout.write(
            `\nPlanted anomalies:\n${renderTable(anomalies, [
              { header: 'kind', value: (a) => a.kind },
              { header: 'service', value: (a) => a.service },
              { header: 'team', value: (a) => a.team },
              { header: 'start', value: (a) => a.start },
              { header: 'end', value: (a) => a.end },
              { header: 'factor', value: (a) => a.factor, right: true },
              { header: 'incidents', value: (a) => a.incidents, right: true },
            ])}\n`,
          );
        }
        if (recurring.length > 0) {
          process.stdout.write(
            `\nRecurring problems:\n${renderTable(recurring, [
              { header: 'fingerprint', value: (r) => r.fingerprint },
              { header: 'service', value: (r) => r.service },
              { header: 'period (h)', value: (r) => r.period_hours ?? 'irregular', right: true },
              { header: 'incidents', value: (r) => r.incidents, right: true },
            ])}\n`,
          );
        }
      });
    });
}

function integer(text: string, option: string, min: number): number {
  const value = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min) {
    const bound = min > Number.MIN_SAFE_INTEGER ? ` of at least ${min}` : '';
    throw new EngineError('VALIDATION_ERROR', `${option} must be an integer${bound}, not "${text}"`);
  }
  return value;
}
