import { EngineError } from '../../errors.ts';
import { batchSize, type RawBatch } from '../types.ts';
import { lines, type TextInput, textStream } from './text-input.ts';
import { UnreadableRecord } from './unreadable.ts';

/**
 * Reads a JSON array of incident objects (the whole document is parsed at once; use NDJSON for
 * sources larger than memory). Row `n` is the n-th element. `reshape` (column mapping and keys to
 * ignore, see `objectReshaper`) applies to each element.
 *
 * @throws EngineError VALIDATION_ERROR when the text is not JSON or not an array.
 */
export async function* readJson(
  input: TextInput,
  reshape?: (record: unknown) => unknown,
): AsyncGenerator<RawBatch> {
  let text = '';
  for await (const chunk of textStream(input)) text += chunk;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new EngineError(
      'VALIDATION_ERROR',
      `the JSON source is not valid JSON: ${(error as Error).message}`,
    );
  }
  if (!Array.isArray(parsed)) {
    throw new EngineError('VALIDATION_ERROR', 'the JSON source must be an array of incident objects');
  }
  for (let start = 0; start < parsed.length; start += batchSize) {
    const slice = parsed.slice(start, start + batchSize);
    yield { records: reshape ? slice.map(reshape) : slice, firstRow: start + 1 };
  }
}

/**
 * Reads newline-delimited JSON, one incident object a line, streaming. Blank lines are skipped and
 * not counted as rows; every record carries its line number. A line that is not JSON becomes an
 * unreadable record rather than stopping the read, so that every bad line is reported. `reshape`
 * applies to each record, as in {@link readJson}.
 */
export async function* readNdjson(
  input: TextInput,
  reshape?: (record: unknown) => unknown,
): AsyncGenerator<RawBatch> {
  let records: unknown[] = [];
  let lineNumbers: number[] = [];
  let firstRow = 1;
  for await (const [raw, line] of lines(textStream(input))) {
    const text = line === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    if (text.trim().length === 0) continue;
    let record: unknown;
    try {
      record = JSON.parse(text);
      if (reshape) record = reshape(record);
    } catch (error) {
      record = new UnreadableRecord(`not valid JSON: ${(error as Error).message}`);
    }
    records.push(record);
    lineNumbers.push(line);
    if (records.length === batchSize) {
      yield { records, firstRow, lines: lineNumbers };
      firstRow += records.length;
      records = [];
      lineNumbers = [];
    }
  }
  if (records.length > 0) yield { records, firstRow, lines: lineNumbers };
}
