import { type DestinationStream, type Logger, pino } from 'pino';

/**
 * Whether a character is one a terminal or a log viewer may act on, as it can still appear in a
 * pino line: a C0 control but the line's own newline (JSON already escapes them inside strings),
 * DEL, a C1 control (U+009B is a CSI on many terminals), the line and paragraph separators, and
 * the bidirectional overrides and isolates (which reorder what is shown).
 */
export function isUnsafeLogCharacter(code: number): boolean {
  return (
    (code < 0x20 && code !== 0x0a) ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x2028 ||
    code === 0x2029 ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

/**
 * Escapes every such character of one serialised log line as a JSON `\uXXXX` escape. pino lines
 * are JSON and these characters can only stand inside its strings, where the escape means the same
 * character: the line stays valid JSON with the same values, and holds nothing but printable text.
 */
export function escapeLogLine(line: string): string {
  const end = line.endsWith('\n') ? line.length - 1 : line.length;
  let out = '';
  let from = 0;
  for (let i = 0; i < end; i++) {
    const code = line.charCodeAt(i);
    if (!isUnsafeLogCharacter(code)) continue;
    out += `${line.slice(from, i)}\\u${code.toString(16).padStart(4, '0')}`;
    from = i + 1;
  }
  return from === 0 ? line : out + line.slice(from);
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** pino level (`silent`, `error`, `warn`, `info`, `debug`). Default `info`. */
  readonly level?: string;
  /** Where lines go. Default stdout. */
  readonly destination?: DestinationStream;
}

/**
 * The server's logger: pino JSON lines, one per event, in which data from requests and from the
 * store (paths, user names, error messages) cannot carry a control character to the terminal.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const settings = { level: options.level ?? 'info', hooks: { streamWrite: escapeLogLine } };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
