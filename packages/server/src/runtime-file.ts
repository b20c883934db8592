import { randomBytes } from 'node:crypto';
import {
  closeSync,
  openSync,
  readFileSync,
  renameSync,
  type Stats,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';

/**
 * What a running server leaves beside its database file, so that a command-line run on the same
 * database (which DuckDB will not let it open) can send its work to the server instead.
 */
export interface RuntimeFile {
  /** Base URL of the server, e.g. `http://127.0.0.1:8000`. */
  readonly url: string;
  /** The server's process id: the file is stale once that process is gone. */
  readonly pid: number;
  /**
   * A secret the server made at start and holds only in memory: `Authorization: Token
   * <credential>` acts as the system actor, as the command line does on its own.
   */
  readonly credential: string;
  /** The database file the server holds (absolute path). */
  readonly database: string;
  /** When the server started listening (ISO 8601). */
  readonly started_at: string;
}

/** Where the runtime file of a server on `databasePath` lives: `${databasePath}.server.json`. */
export function runtimeFilePath(databasePath: string): string {
  return `${databasePath}.server.json`;
}

/**
 * The runtime file of the server holding `databasePath`, or `undefined` when there is none, when
 * it cannot be read as one, or when it is stale (the process that wrote it is gone, e.g. killed).
 */
export function readRuntimeFile(databasePath: string): RuntimeFile | undefined {
  let text: string;
  try {
    const path = runtimeFilePath(databasePath);
    if (!ownedPrivately(statSync(path))) return undefined;
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRuntimeFile(value)) return undefined;
  return processAlive(value.pid) ? value : undefined;
}

/** A new local credential: 32 random bytes, base64url, with a prefix that tells it apart from API tokens. */
export function newLocalCredential(): string {
  return `iil_${randomBytes(32).toString('base64url')}`;
}

/**
 * Writes the runtime file of `databasePath` with mode 0600 (readable by its owner only), replacing
 * any earlier one at once (written beside it, then renamed), so that no reader sees half a file.
 */
export function writeRuntimeFile(databasePath: string, file: RuntimeFile): void {
  const target = runtimeFilePath(databasePath);
  const temporary = `${target}.${process.pid}.tmp`;
  try {
    unlinkSync(temporary); // a leftover would keep its own mode
  } catch {
    // none: the usual case
  }
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(file, null, 2)}\n`);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, target);
}

/**
 * Removes the runtime file of `databasePath` if it is still the one written with `credential`
 * (a later server's file is left alone). Never throws.
 */
export function removeRuntimeFile(databasePath: string, credential: string): void {
  const path = runtimeFilePath(databasePath);
  try {
    const current = JSON.parse(readFileSync(path, 'utf8')) as Partial<RuntimeFile>;
    if (current.credential === credential) unlinkSync(path);
  } catch {
    // Absent or unreadable: nothing of ours to remove.
  }
}

function isRuntimeFile(value: unknown): value is RuntimeFile {
  const v = value as Partial<Record<keyof RuntimeFile, unknown>> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.url === 'string' &&
    typeof v.pid === 'number' &&
    Number.isInteger(v.pid) &&
    v.pid > 0 &&
    typeof v.credential === 'string' &&
    typeof v.database === 'string' &&
    typeof v.started_at === 'string'
  );
}

/**
 * Whether a runtime file can be trusted: owned by the user running this process and readable or
 * writable by no one else, as `serve` writes it. A file another user could have planted would
 * otherwise send this user's commands (and the passwords they carry) to a server of theirs.
 */
function ownedPrivately(stats: Stats): boolean {
  const uid = process.getuid?.();
  return stats.isFile() && (uid === undefined || stats.uid === uid) && (stats.mode & 0o077) === 0;
}

/** Whether a process with this id exists (EPERM: it exists but belongs to another user). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
