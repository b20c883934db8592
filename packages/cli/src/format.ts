import stringWidth from 'string-width';

/** A column of a printed table: its header and how to read a cell from a row. */
export interface TableColumn<T> {
  readonly header: string;
  readonly value: (row: T) => unknown;
  /** Right-align (numbers). */
  readonly right?: boolean;
}

/**
 * C0 controls (NUL..US), DEL, C1 controls (U+0080..U+009F), the Unicode line and paragraph
 * separators, and the bidirectional embeddings, overrides and isolates (U+202A..U+202E,
 * U+2066..U+2069): characters that would move the cursor, ring the bell, start an escape sequence,
 * break a line, make a log file binary, or show the rest of a line (a table row) in another order
 * than it has if printed as they are.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const controlCharacters = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const namedEscapes: Readonly<Record<string, string>> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * The text of `value` safe to print on a terminal or in a log: every control character becomes a
 * visible escape (`\n`, `\t`, `\r`, `\x1b`, `\x00`, `\x9b`, `\u2028`, `\u202e`), so that data (a
 * title with ESC or BEL, a name with NUL) cannot drive the terminal or split a line. Every value the
 * CLI prints from data, and every message that echoes input, goes through here. Printable text of
 * any script, emoji included, is left as it is.
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
 * Cells pass through {@link printable}. Widths are display widths, the columns a terminal gives a
 * text (`string-width`): a CJK character or an emoji takes two, a combining accent none, so columns
 * stay aligned whatever the script.
 */
export function renderTable<T>(rows: readonly T[], columns: readonly TableColumn<T>[]): string {
  const cells = rows.map((row) => columns.map((c) => measured(cellText(c.value(row)))));
  const headers = columns.map((c) => measured(printable(c.header)));
  const widths = headers.map((h) => h.width);
  for (const row of cells) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.width);
    });
  }
  const line = (values: readonly Measured[]) =>
    values
      .map((v, i) => {
        const padding = ' '.repeat((widths[i] ?? 0) - v.width);
        return columns[i]?.right ? padding + v.text : v.text + padding;
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => ({ text: '-'.repeat(w), width: w }));
  return [line(headers), line(rule), ...cells.map(line)].join('\n');
}

/** A cell's text and the number of terminal columns it takes. */
interface Measured {
  readonly text: string;
  readonly width: number;
}

/**
 * `text` (already {@link printable}) with its display width (`string-width`, which counts printable
 * ASCII by its length without segmenting it).
 */
function measured(text: string): Measured {
  return { text, width: stringWidth(text) };
}

/**
 * Writes `value` as pretty JSON (dates as ISO strings, bigints as numbers) on stdout. JSON already
 * escapes C0 controls; DEL, C1 controls, the line separators and the bidirectional overrides are
 * escaped too (`\u007f`, `\u202e`), so the output is still valid JSON and carries no raw control
 * character.
 */
export function printJson(value: unknown): void {
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? Number(v) : v), 2);
  process.stdout.write(
    `${text.replace(/[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`,
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
