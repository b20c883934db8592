import type { ColumnMapping, IngestFormat, IngestReport } from '@incident-insights/engine';
import { EngineError, ingestFileExtensions, ingestFormats } from '@incident-insights/engine/vocabulary';
import type { Command } from 'commander';
import { coverageJson, describeCoverage } from '../data-range.ts';
import { coverageOf, ingestFile, withBackend } from '../deferred.ts';
import { printJson, renderTable } from '../format.ts';
import { startProgress } from '../progress.ts';

interface IngestCommandOptions {
  format?: string;
  skipInvalid?: boolean;
  map?: string[];
  ignoreColumn?: string[];
  json?: boolean;
}

/**
 * `insights ingest <file> [--format F] [--skip-invalid] [--map field=header ...] [--ignore-column header ...]
 * [--json]`: loads
 * incidents into the database, upserting by external id, and prints the report, then how many
 * incidents the database holds and when they were created (JSON: under `database`). An invalid
 * file writes nothing and fails with one line naming the first bad row and the count.
 */
export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description(
      'Load incidents from a file (json, ndjson, csv, tsv, parquet, arrow, or a ServiceNow event log .zip)',
    )
    .argument(
      '<file>',
      `the file to read; the format follows its extension (${ingestFileExtensions.join(' ')}) unless --format is given`,
    )
    .option('--format <format>', `one of ${ingestFormats.join(', ')}`)
    .option('--skip-invalid', 'write the valid rows and report the invalid ones instead of writing nothing')
    .option(
      '--map <field=header...>',
      'read an incident field from a differently named column (repeatable), e.g. --map title="Short description"',
    )
    .option(
      '--ignore-column <header...>',
      'leave a column (a JSON key) unread (repeatable); any other column that is neither an incident field nor mapped is refused',
    )
    .option('--json', 'print the report as JSON')
    .action(async (file: string, options: IngestCommandOptions, command: Command) => {
      const format = parseFormat(options.format);
      const columnMapping = parseMapping(options.map ?? []);
      const json = options.json ?? false;
      const { report, coverage } = await withBackend(command, async (backend) => {
        const progress = startProgress({ label: 'ingest', json });
        // Alone, the engine reports the records read; a server's bulk route answers only at the end.
        const ticker =
          backend.kind === 'server'
            ? setInterval(
                () => progress.update({ done: 0, total: null, message: `sending ${file} to the server` }),
                500,
              )
            : undefined;
        try {
          const report = await ingestFile(
            backend,
            {
              path: file,
              ...(format ? { format } : {}),
              ...(columnMapping ? { columnMapping } : {}),
              ...(options.ignoreColumn ? { ignoreColumns: options.ignoreColumn } : {}),
              skipInvalid: options.skipInvalid ?? false,
            },
            ({ phase, received }) =>
              progress.update({
                done: received,
                total: null,
                message:
                  phase === 'reading' ? `${received} records read` : `${received} records read, merging`,
              }),
          );
          return { report, coverage: await coverageOf(backend) };
        } finally {
          if (ticker) clearInterval(ticker);
          progress.stop();
        }
      });
      if (json) {
        printJson({ ...report, database: coverageJson(coverage) });
        return;
      }
      printReport(report);
      process.stdout.write(`\n${describeCoverage(coverage)}\n`);
    });
}

function parseFormat(format: string | undefined): IngestFormat | undefined {
  if (format === undefined) return undefined;
  if (!(ingestFormats as readonly string[]).includes(format)) {
    throw new EngineError('VALIDATION_ERROR', `--format must be one of ${ingestFormats.join(', ')}`);
  }
  return format as IngestFormat;
}

function parseMapping(pairs: readonly string[]): ColumnMapping | undefined {
  if (pairs.length === 0) return undefined;
  const mapping: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0 || at === pair.length - 1) {
      throw new EngineError('VALIDATION_ERROR', `--map takes field=header, got ${pair}`);
    }
    mapping[pair.slice(0, at).trim()] = pair.slice(at + 1);
  }
  return mapping;
}

function printReport(report: IngestReport): void {
  process.stdout.write(
    `${renderTable(
      [report],
      [
        { header: 'received', value: (r) => r.received, right: true },
        { header: 'inserted', value: (r) => r.inserted, right: true },
        { header: 'updated', value: (r) => r.updated, right: true },
        { header: 'skipped', value: (r) => r.skipped, right: true },
      ],
    )}\n`,
  );
  if (report.errors.length > 0) {
    process.stdout.write(
      `\n${renderTable(report.errors, [
        { header: 'row', value: (e) => e.row, right: true },
        { header: 'line', value: (e) => e.line, right: true },
        { header: 'field', value: (e) => e.field },
        { header: 'error', value: (e) => e.message },
      ])}\n`,
    );
  }
}
