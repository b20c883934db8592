import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { CsvSplitter } from './csv-splitter.ts';

/** A text source: a file to stream, or bytes/text already in memory. */
export type TextInput = { readonly path: string } | { readonly data: Uint8Array | string };

/** The source as a stream of UTF-8 text (a file is streamed, never read whole). */
export function textStream(input: TextInput): Readable {
  if ('path' in input) return createReadStream(input.path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  const text = typeof input.data === 'string' ? input.data : new TextDecoder().decode(input.data);
  return Readable.from([text], { objectMode: false });
}

/**
 * Splits a text stream into lines (without `\n` or `\r\n`), each with its 1-based line number.
 * Cost: one pass over the text; a line is held in memory only once.
 */
export async function* lines(stream: AsyncIterable<string | Buffer>): AsyncGenerator<[string, number]> {
  let rest = '';
  let line = 0;
  for await (const chunk of stream) {
    const text = rest + (typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    let start = 0;
    for (let end = text.indexOf('\n', start); end !== -1; end = text.indexOf('\n', start)) {
      line++;
      yield [text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end), line];
      start = end + 1;
    }
    rest = text.slice(start);
  }
  if (rest.length > 0) yield [rest.endsWith('\r') ? rest.slice(0, -1) : rest, line + 1];
}

/**
 * Splits a text or byte stream into CSV records with {@link CsvSplitter}, in arrays of records
 * (one per chunk read), each record with the line it starts on; fields are separated by
 * `separator` (a tab for TSV). Bytes are decoded as UTF-8 across
 * chunk boundaries.
 *
 * @throws CsvSyntaxError for malformed quoting.
 */
export async function* csvRecords(
  stream: AsyncIterable<string | Uint8Array>,
  separator: ',' | '\t' = ',',
): AsyncGenerator<[string[], number][]> {
  const splitter = new CsvSplitter(separator);
  const decoder = new TextDecoder();
  for await (const chunk of stream) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    const records = splitter.push(text);
    if (records.length > 0) yield records;
  }
  const records = splitter.push(decoder.decode(), true);
  if (records.length > 0) yield records;
}
