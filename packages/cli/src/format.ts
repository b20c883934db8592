/** A column of a printed table: its header and how to read a cell from a row. */
export interface TableColumn<T> {
  readonly header: string;
  readonly value: (row: T) => unknown;
  /** Right-align (numbers). */
  readonly right?: boolean;
}

/**
 * C0 controls (NUL..US), DEL, C1 controls (U+0080..U+009F) and the Unicode line and paragraph
 * separators: characters that would move the cursor, ring the bell, start an escape sequence, break
 * a line or make a log file binary if printed as they are.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const controlCharacters = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

const namedEscapes: Readonly<Record<string, string>> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * The text of `value` safe to print on a terminal or in a log: every control character becomes a
 * visible escape (`\n`, `\t`, `\r`, `\x1b`, `\x00`, `\x9b`, `\u2028`), so that data (a title with
 * ESC or BEL, a name with NUL) cannot drive the terminal or split a line. Every value the CLI prints
 * from data, and every message that echoes input, goes through here.
 */
export function printable(value: unknown): string {
  return String(value).replace(controlCharacters, (c) => {
    const named = namedEscapes[c];
    if (named) return named;
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
  });
}

/**
 * Renders rows as a plain-text table with a header line, columns padded to their widest cell.
 * Cells pass through {@link printable}.
 */
export function renderTable<T>(rows: readonly T[], columns: readonly TableColumn<T>[]): string {
  const cells = rows.map((row) => columns.map((c) => cellText(c.value(row))));
  const headers = columns.map((c) => printable(c.header));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]?.length ?? 0)));
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => (columns[i]?.right ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

/**
 * Writes `value` as pretty JSON (dates as ISO strings, bigints as numbers) on stdout. JSON already
 * escapes C0 controls; DEL, C1 controls and the line separators are escaped too (`\u007f`), so the
 * output is still valid JSON and carries no raw control character.
 */
export function printJson(value: unknown): void {
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? Number(v) : v), 2);
  process.stdout.write(
    `${text.replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`,
  );
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(2);
  return printable(value);
}

/** A record as JSON carries it: its `Date` fields as ISO strings (one level deep). */
export type AsJson<T> = {
  readonly [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K];
};
