import { EngineError } from '../../errors.ts';
import { type FieldSource, resolveColumns } from '../column-mapping.ts';
import { batchSize, type ColumnMapping, type IgnoredColumns, type RawBatch } from '../types.ts';
import { CsvSyntaxError } from './csv-splitter.ts';
import { tabularRecord } from './tabular.ts';
import { csvRecords, type TextInput, textStream } from './text-input.ts';
import { UnreadableRecord } from './unreadable.ts';

/**
 * Reads CSV (or, with `separator` a tab, TSV) with a header line (RFC 4180 quoting, BOM tolerated, empty lines skipped), streaming.
 * Columns go to incident fields by {@link resolveColumns}; an empty cell is no value; tags are a
 * JSON array or `a;b;c`. Row `n` is the n-th data record and its line the line it starts on. A
 * record with the wrong number of fields becomes an unreadable record.
 *
 * @throws EngineError VALIDATION_ERROR for malformed quoting (with its line), a mapping naming a
 *   missing column, or a column neither read nor ignored.
 */
export async function* readCsv(
  input: TextInput,
  mapping?: ColumnMapping,
  ignore?: IgnoredColumns,
  separator: ',' | '\t' = ',',
): AsyncGenerator<RawBatch> {
  let sources: FieldSource[] | undefined;
  let width = 0;
  let records: unknown[] = [];
  let lineNumbers: number[] = [];
  let firstRow = 1;
  try {
    for await (const chunk of csvRecords(textStream(input), separator)) {
      for (const [cells, line] of chunk) {
        if (!sources) {
          sources = resolveColumns(cells, mapping, ignore);
          width = cells.length;
          continue;
        }
        records.push(
          cells.length === width
            ? tabularRecord(cells, sources, true)
            : new UnreadableRecord(`expected ${width} fields, found ${cells.length}`),
        );
        lineNumbers.push(line);
        if (records.length === batchSize) {
          yield { records, firstRow, lines: lineNumbers };
          firstRow += records.length;
          records = [];
          lineNumbers = [];
        }
      }
    }
  } catch (error) {
    if (error instanceof CsvSyntaxError) {
      throw new EngineError('VALIDATION_ERROR', `malformed CSV at line ${error.line}: ${error.message}`, {
        errors: [
          { row: firstRow + records.length, line: error.line, field: '(record)', message: error.message },
        ],
      });
    }
    throw error;
  }
  if (records.length > 0) yield { records, firstRow, lines: lineNumbers };
}
