import { open } from 'node:fs/promises';

const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * Whether the quotes and carriage returns of a CSV (or TSV) file are plain RFC 4180, where DuckDB's
 * `read_csv` and `CsvSplitter` split the text alike: every `"` opens a field (at the start of the
 * text, after a BOM, a line break or a separator), closes one (before a separator, a line break or
 * the end) or is doubled inside one, no quoted field is left open, and every `\r` is followed by
 * `\n`. DuckDB is more lenient than the splitter (it trims spaces around a quoted field, takes a
 * quote in the middle of an unquoted field as text, and a lone `\r` as a line break), so a file
 * that is not plain is left to the splitter, which refuses or reads it as it always did.
 * Cost: one read of the file, `chunkBytes` at a time; only quotes and carriage returns are looked
 * at (`indexOf`).
 */
export async function hasPlainQuoting(
  path: string,
  separator: ',' | '\t',
  chunkBytes = 1 << 22,
): Promise<boolean> {
  const sep = separator.charCodeAt(0);
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(chunkBytes);
    let resume = 0;
    let inQuote = false;
    let contentStart = 0;
    for (;;) {
      // Read from one byte before `resume`, so the byte before a quote is always at hand.
      const readAt = Math.max(0, resume - 1);
      const { bytesRead } = await file.read(buffer, 0, chunkBytes, readAt);
      const end = bytesRead;
      const last = bytesRead < chunkBytes;
      if (readAt === 0 && bytesRead >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) {
        contentStart = 3;
        if (resume < 3) resume = 3;
      }
      let i = resume - readAt;
      let stopped = false;
      // Next quote and carriage return at or after `i` (searched again only once passed).
      let quote = -2;
      let cr = -2;
      while (i < end) {
        if (quote !== -1 && quote < i) quote = buffer.indexOf(QUOTE, i);
        if (cr !== -1 && cr < i) cr = buffer.indexOf(CR, i);
        const at = Math.min(quote === -1 || quote >= end ? end : quote, cr === -1 || cr >= end ? end : cr);
        if (at >= end) {
          i = end;
          break;
        }
        if (at + 1 >= end && !last) {
          // Its next byte is in the next chunk: look again from there.
          i = at;
          stopped = true;
          break;
        }
        const next = at + 1 < end ? buffer[at + 1] : -1;
        if (buffer[at] === CR) {
          if (next !== LF) return false;
          i = at + 1;
          continue;
        }
        if (!inQuote) {
          const previous = readAt + at === contentStart ? LF : buffer[at - 1];
          if (previous !== sep && previous !== LF) return false;
          inQuote = true;
          i = at + 1;
          continue;
        }
        if (next === QUOTE) {
          i = at + 2;
          continue;
        }
        if (next !== sep && next !== LF && next !== CR && next !== -1) return false;
        inQuote = false;
        i = at + 1;
      }
      if (last && !stopped) return !inQuote;
      resume = readAt + i;
    }
  } finally {
    await file.close();
  }
}
