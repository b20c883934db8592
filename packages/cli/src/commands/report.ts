import { accessSync, constants, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { EngineError } from '@incident-insights/engine/vocabulary';
import type { Command } from 'commander';
import { dashboardReportHtml, withBackend } from '../deferred.ts';
import { printJson } from '../format.ts';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Options {
  dashboard: string;
  out: string;
  json?: boolean;
}

function cannotWrite(path: string, reason: string): EngineError {
  return new EngineError('VALIDATION_ERROR', `cannot write the report to ${path}: ${reason}`, {
    field: '--out',
    value: path,
  });
}

/** Refuses an output path whose directory is missing or not writable, or that is a directory. */
function checkWritable(path: string): void {
  try {
    if (statSync(path, { throwIfNoEntry: false })?.isDirectory())
      throw cannotWrite(path, 'it is a directory');
    accessSync(dirname(path), constants.W_OK);
  } catch (error) {
    if (error instanceof EngineError) throw error;
    throw cannotWrite(path, (error as NodeJS.ErrnoException).code ?? String(error));
  }
}

/** Writes `text` to `path` whole or not at all (a temporary file beside it, then a rename). */
function writeWhole(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw cannotWrite(path, (error as NodeJS.ErrnoException).code ?? String(error));
  }
}

/**
 * `insights report --dashboard ID --out FILE [--json]`: writes dashboard ID as a self-contained
 * HTML report (charts as SVG, tiles and lists as tables; no script, nothing fetched) to FILE,
 * rendered here from the database, or fetched from the running server that holds it. An unknown
 * dashboard or a path that cannot be written is a one-line error, and nothing is written.
 */
export function registerReport(program: Command): void {
  program
    .command('report')
    .description('Write a dashboard as a self-contained HTML report')
    .requiredOption('--dashboard <id>', 'the dashboard (its id)')
    .requiredOption('--out <file>', 'the HTML file to write')
    .option('--json', 'print where the report was written, as JSON')
    .action(async (options: Options, command: Command) => {
      if (!uuid.test(options.dashboard)) {
        throw new EngineError(
          'VALIDATION_ERROR',
          `--dashboard must be an id (a UUID), not ${options.dashboard}`,
          {
            field: '--dashboard',
            value: options.dashboard,
          },
        );
      }
      const path = resolve(options.out);
      checkWritable(path);
      const html = await withBackend(command, (backend) => dashboardReportHtml(backend, options.dashboard));
      writeWhole(path, html);
      const bytes = Buffer.byteLength(html);
      if (options.json) {
        printJson({ dashboard: options.dashboard, path, bytes });
        return;
      }
      process.stdout.write(
        `Wrote the report of dashboard ${options.dashboard} to ${path} (${bytes} bytes).\n`,
      );
    });
}
