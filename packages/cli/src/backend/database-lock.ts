import { readFileSync } from 'node:fs';
import { EngineError } from '@incident-insights/engine';
import { readRuntimeFile, runtimeFilePath } from '@incident-insights/server/runtime-file';

/**
 * DuckDB's refusal to open a file another process holds: `IO Error: Could not set lock on file
 * "<path>": Conflicting lock is held in <program> (PID <n>). See also ...`.
 */
const lockRefusal = /Could not set lock on file[^:]*:\s*Conflicting lock is held in (.*?) \(PID (\d+)\)/;

/**
 * When `error` is DuckDB's lock refusal on `databasePath`, a one-line CONFLICT error that says what
 * holds the database (the process id and its command line) and what to do; any other error as it is.
 */
export function explainLockError(error: unknown, databasePath: string): unknown {
  const match = error instanceof Error ? lockRefusal.exec(error.message) : null;
  if (!match) return error;
  const pid = Number(match[2]);
  const holder = `process ${pid} (${commandLineOf(pid) ?? match[1]})`;
  const server = readRuntimeFile(databasePath);
  const message = server
    ? `the database ${databasePath} is in use by ${holder}, the server at ${server.url}: run the command again to send it there`
    : `the database ${databasePath} is in use by ${holder}, which is not an insights server ` +
      `(no live ${runtimeFilePath(databasePath)} to send the work to): stop that process or wait for it to end, then run the command again`;
  return new EngineError('CONFLICT', message, { pid, database: databasePath }, { cause: error });
}

/** The command line of process `pid` (Linux `/proc`), shortened; undefined where it cannot be read. */
function commandLineOf(pid: number): string | undefined {
  try {
    const words = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    if (words.length === 0) return undefined;
    const text = words.join(' ');
    return text.length > 160 ? `${text.slice(0, 157)}...` : text;
  } catch {
    return undefined;
  }
}
