import { type DuckDBType, DuckDBTypeId } from '@duckdb/node-api';
import * as arrow from 'apache-arrow';
import { EngineError } from '../../errors.ts';
import { type ColumnBuilder, defaultMaxDictionarySize, FixedWidthBuilder } from './column-builders.ts';
import {
  BoolBuilder,
  DecimalBuilder,
  EnumBuilder,
  HugeIntBuilder,
  UuidBuilder,
} from './converting-builders.ts';
import { BlobBuilder, ListBuilder, VarCharBuilder } from './nested-builders.ts';

/**
 * The builder that turns a DuckDB column of `type` into Arrow. Mapping (DuckDB → Arrow):
 * BOOLEAN → Bool; TINYINT..BIGINT → Int8..Int64; UTINYINT..UBIGINT → Uint8..Uint64; HUGEINT →
 * Int64 (checked); FLOAT/DOUBLE → Float32/Float64; DECIMAL → Float64; DATE → DateDay; TIME →
 * TimeMicrosecond; TIMESTAMP and TIMESTAMPTZ → Timestamp(µs, 'UTC'); TIMESTAMP_S/_MS/_NS →
 * Timestamp(s/ms/ns, 'UTC'); VARCHAR → Dictionary<Utf8, Int32> or Utf8; ENUM → Dictionary; UUID →
 * Utf8 (canonical text); BLOB → Binary; LIST → List of the above.
 *
 * @throws EngineError UNSUPPORTED for any other type (cast it in SQL).
 */
export function builderForType(
  type: DuckDBType,
  column: string,
  capacityHint: number,
  maxDictionarySize = defaultMaxDictionarySize,
): ColumnBuilder {
  const fixed = (arrowType: arrow.DataType, width: number) =>
    new FixedWidthBuilder(arrowType, width, capacityHint);
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return new BoolBuilder(capacityHint);
    case DuckDBTypeId.TINYINT:
      return fixed(new arrow.Int8(), 1);
    case DuckDBTypeId.SMALLINT:
      return fixed(new arrow.Int16(), 2);
    case DuckDBTypeId.INTEGER:
      return fixed(new arrow.Int32(), 4);
    case DuckDBTypeId.BIGINT:
      return fixed(new arrow.Int64(), 8);
    case DuckDBTypeId.UTINYINT:
      return fixed(new arrow.Uint8(), 1);
    case DuckDBTypeId.USMALLINT:
      return fixed(new arrow.Uint16(), 2);
    case DuckDBTypeId.UINTEGER:
      return fixed(new arrow.Uint32(), 4);
    case DuckDBTypeId.UBIGINT:
      return fixed(new arrow.Uint64(), 8);
    case DuckDBTypeId.HUGEINT:
      return new HugeIntBuilder(column, capacityHint);
    case DuckDBTypeId.FLOAT:
      return fixed(new arrow.Float32(), 4);
    case DuckDBTypeId.DOUBLE:
      return fixed(new arrow.Float64(), 8);
    case DuckDBTypeId.DECIMAL:
      return new DecimalBuilder(type.width, type.scale, capacityHint);
    case DuckDBTypeId.DATE:
      return fixed(new arrow.DateDay(), 4);
    case DuckDBTypeId.TIME:
      return fixed(new arrow.TimeMicrosecond(), 8);
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return fixed(new arrow.TimestampMicrosecond('UTC'), 8);
    case DuckDBTypeId.TIMESTAMP_S:
      return fixed(new arrow.TimestampSecond('UTC'), 8);
    case DuckDBTypeId.TIMESTAMP_MS:
      return fixed(new arrow.TimestampMillisecond('UTC'), 8);
    case DuckDBTypeId.TIMESTAMP_NS:
      return fixed(new arrow.TimestampNanosecond('UTC'), 8);
    case DuckDBTypeId.VARCHAR:
      return new VarCharBuilder(maxDictionarySize, capacityHint);
    case DuckDBTypeId.BLOB:
      return new BlobBuilder(capacityHint);
    case DuckDBTypeId.UUID:
      return new UuidBuilder(capacityHint);
    case DuckDBTypeId.ENUM:
      return new EnumBuilder(type.values, capacityHint);
    case DuckDBTypeId.LIST:
      // List children stay plain: one dictionary per list column would need its own bookkeeping.
      return new ListBuilder(builderForType(type.valueType, column, capacityHint, 0), capacityHint);
    default:
      throw new EngineError(
        'UNSUPPORTED',
        `column ${column} has type ${type.toString()}, which the Arrow bridge does not read; cast it in SQL`,
        { column, type: type.toString() },
      );
  }
}
