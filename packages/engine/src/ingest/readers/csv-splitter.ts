/** A CSV text that cannot be split into records (unclosed quote, text after a closing quote). */
export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    /** 1-based line where the bad record starts. */
    readonly line: number,
  ) {
    super(message);
  }
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * Splits CSV text (RFC 4180: `,` separator, or the tab of TSV, `"` quoting with `""` for a quote, `\n` or `\r\n` line
 * ends, fields may hold separators and line breaks when quoted) into records of strings, fed in
 * chunks of any size. Empty lines are skipped; a leading BOM is dropped. It exists because
 * `csv-parse`, which it matches record for record (a property test checks), splits about an order
 * of magnitude slower: lines without quotes, the common case, go through `String.split`, the others
 * through a small state machine. Cost: O(text); memory: one unfinished record.
 */
export class CsvSplitter {
  /** Character code of the field separator. */
  private readonly separatorCode: number;
  private buffer = '';
  private position = 0;
  /** Next line to be read, 1-based. */
  private line = 1;
  /** Position of the next `"` at or after `position`, -1 for none, -2 unknown. */
  private nextQuote = -2;
  private started = false;

  /** @param separator the field separator: `,` for CSV (RFC 4180), a tab for TSV (quoted alike). */
  constructor(private readonly separator: ',' | '\t' = ',') {
    this.separatorCode = separator.charCodeAt(0);
  }

  /**
   * Adds text and returns the records it completes, each with the line it starts on. With `final`,
   * the text is the last and a record without a closing line break is complete too.
   *
   * @throws CsvSyntaxError for malformed quoting.
   */
  push(text: string, final = false): [string[], number][] {
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.buffer = this.position < this.buffer.length ? this.buffer.slice(this.position) + text : text;
    this.position = 0;
    this.nextQuote = -2;
    const out: [string[], number][] = [];
    const buf = this.buffer;
    while (this.position < buf.length) {
      const start = this.position;
      const newline = buf.indexOf('\n', start);
      if (newline === -1 && !final) break;
      const end = newline === -1 ? buf.length : newline;
      if (this.nextQuote === -2 || (this.nextQuote !== -1 && this.nextQuote < start)) {
        this.nextQuote = buf.indexOf('"', start);
      }
      if (this.nextQuote === -1 || this.nextQuote >= end) {
        const stop = end > start && buf.charCodeAt(end - 1) === CR ? end - 1 : end;
        if (stop > start) out.push([buf.slice(start, stop).split(this.separator), this.line]);
        this.line++;
        this.position = end + 1;
        continue;
      }
      const record = this.quoted(buf, start, final);
      if (!record) break;
      out.push(record);
    }
    return out;
  }

  /** Parses one record holding quotes from `start`; `undefined` when it needs more text. */
  private quoted(buf: string, start: number, final: boolean): [string[], number] | undefined {
    const firstLine = this.line;
    let lines = 0;
    const cells: string[] = [];
    let i = start;
    for (;;) {
      if (buf.charCodeAt(i) === QUOTE) {
        let field = '';
        let from = i + 1;
        for (;;) {
          const close = buf.indexOf('"', from);
          if (close === -1) {
            if (final) throw new CsvSyntaxError('a quoted field is not closed', firstLine);
            return undefined;
          }
          const part = buf.slice(from, close);
          field += part;
          lines += countNewlines(part);
          if (close + 1 >= buf.length && !final) return undefined;
          if (buf.charCodeAt(close + 1) === QUOTE) {
            field += '"';
            from = close + 2;
            continue;
          }
          i = close + 1;
          break;
        }
        cells.push(field);
        let c = buf.charCodeAt(i);
        if (c === CR && i + 1 >= buf.length && !final) return undefined;
        if (c === CR && buf.charCodeAt(i + 1) === LF) c = buf.charCodeAt(++i);
        if (c === this.separatorCode) {
          i++;
          continue;
        }
        if (c === LF || i >= buf.length) break;
        throw new CsvSyntaxError('text follows a closing quote', firstLine);
      }
      let j = i;
      let c = buf.charCodeAt(j);
      while (j < buf.length && c !== this.separatorCode && c !== LF) {
        if (c === QUOTE) throw new CsvSyntaxError('a quote inside an unquoted field', firstLine);
        c = buf.charCodeAt(++j);
      }
      if (j >= buf.length && !final) return undefined;
      const stop = c !== this.separatorCode && j > i && buf.charCodeAt(j - 1) === CR ? j - 1 : j;
      cells.push(buf.slice(i, stop));
      i = j + 1;
      if (c !== this.separatorCode) {
        i = j;
        break;
      }
    }
    this.line += lines + 1;
    this.position = i + 1;
    this.nextQuote = -2;
    return [cells, firstLine];
  }
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
