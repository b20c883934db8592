import { type DuckDBType, DuckDBTypeId } from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';
import * as arrow from 'apache-arrow';
import { EngineError } from '../../errors.ts';
import { bitIsSet, copyBits } from './bitmap.ts';

/**
 * Writes rows `[start, start + count)` of an Arrow column into rows `[0, count)` of a DuckDB
 * vector (a fresh data-chunk vector, or a LIST's child vector). Arrow JS slices a `Data` by
 * narrowing its value and offset buffers but keeps `offset` for the validity bitmap (and the bits
 * of a Bool column): values are indexed by `start`, bits by `data.offset + start`.
 */
export type ColumnWriter = (vector: duckdb.Vector, data: arrow.Data, start: number, count: number) => void;

/** Copies the Arrow validity of the rows into the vector; nothing to do when the column has no null. */
function writeValidity(vector: duckdb.Vector, data: arrow.Data, start: number, count: number): void {
  if (data.nullCount === 0 || !data.nullBitmap || data.nullBitmap.length === 0) return;
  duckdb.vector_ensure_validity_writable(vector);
  const bits = data.offset + start;
  const bytes = Math.ceil(count / 8);
  let mask: Uint8Array;
  if ((bits & 7) === 0) mask = data.nullBitmap.subarray(bits >> 3, (bits >> 3) + bytes);
  else {
    mask = new Uint8Array(bytes);
    copyBits(data.nullBitmap, bits, mask, 0, count);
  }
  duckdb.copy_data_to_vector_validity(
    vector,
    0,
    mask.buffer as ArrayBuffer,
    mask.byteOffset,
    mask.byteLength,
  );
}

/** Marks rows `[0, count)` of the vector null (a table column the Arrow table does not have). */
export function writeNulls(vector: duckdb.Vector, count: number): void {
  duckdb.vector_ensure_validity_writable(vector);
  const zeros = new Uint8Array(Math.ceil(count / 8));
  duckdb.copy_data_to_vector_validity(vector, 0, zeros.buffer, 0, zeros.byteLength);
}

function isValid(data: arrow.Data, row: number): boolean {
  return data.nullCount === 0 || !data.nullBitmap || bitIsSet(data.nullBitmap, data.offset + row);
}

/** Same bytes on both sides: one copy per chunk. */
function copyWriter(width: number): ColumnWriter {
  return (vector, data, start, count) => {
    const values = data.values as ArrayBufferView;
    const from = values.byteOffset + start * width;
    duckdb.copy_data_to_vector(vector, 0, values.buffer as ArrayBuffer, from, count * width);
    writeValidity(vector, data, start, count);
  };
}

/** Numbers of another Arrow numeric type, converted by `TypedArray.set` (one pass, no objects). */
function convertWriter(
  Target:
    | Float64ArrayConstructor
    | Int32ArrayConstructor
    | Float32ArrayConstructor
    | Int16ArrayConstructor
    | Int8ArrayConstructor
    | Uint8ArrayConstructor
    | Uint16ArrayConstructor
    | Uint32ArrayConstructor,
): ColumnWriter {
  return (vector, data, start, count) => {
    const values = data.values as Float64Array;
    const out = new Target(count);
    const slice = values.subarray(start, start + count);
    if (typeof slice[0] === 'bigint') for (let i = 0; i < count; i++) out[i] = Number(slice[i]);
    else out.set(slice);
    duckdb.copy_data_to_vector(vector, 0, out.buffer, 0, out.byteLength);
    writeValidity(vector, data, start, count);
  };
}

/** int64 targets (BIGINT, TIMESTAMP*) from Arrow values scaled by `multiply / divide`. */
function int64Writer(multiply: bigint, divide: bigint): ColumnWriter {
  return (vector, data, start, count) => {
    const values = data.values as BigInt64Array | Int32Array | Float64Array;
    const out = new BigInt64Array(count);
    for (let i = 0; i < count; i++) {
      const v = values[start + i] ?? 0;
      const big = typeof v === 'bigint' ? v : BigInt(Math.trunc(v));
      out[i] = (big * multiply) / divide;
    }
    duckdb.copy_data_to_vector(vector, 0, out.buffer, 0, out.byteLength);
    writeValidity(vector, data, start, count);
  };
}

function boolWriter(): ColumnWriter {
  return (vector, data, start, count) => {
    const bits = data.values as Uint8Array;
    const size = duckdb.sizeof_bool;
    const out = new Uint8Array(count * size);
    for (let i = 0; i < count; i++) if (bitIsSet(bits, data.offset + start + i)) out[i * size] = 1;
    duckdb.copy_data_to_vector(vector, 0, out.buffer, 0, out.byteLength);
    writeValidity(vector, data, start, count);
  };
}

/** VARCHAR/BLOB from Utf8, Binary or a dictionary of them: bytes handed to DuckDB, no JS string. */
function stringWriter(): ColumnWriter {
  return (vector, data, start, count) => {
    writeValidity(vector, data, start, count);
    if (arrow.DataType.isDictionary(data.type)) {
      const dictionary = (data.dictionary as arrow.Vector).data[0] as arrow.Data;
      const entries: Uint8Array[] = [];
      for (let k = 0; k < dictionary.length; k++) entries.push(utf8At(dictionary, k));
      const keys = data.values as Int32Array;
      for (let i = 0; i < count; i++) {
        if (!isValid(data, start + i)) continue;
        const entry = entries[keys[start + i] ?? 0];
        if (entry) duckdb.vector_assign_string_element_len(vector, i, entry);
      }
      return;
    }
    for (let i = 0; i < count; i++) {
      if (isValid(data, start + i))
        duckdb.vector_assign_string_element_len(vector, i, utf8At(data, start + i));
    }
  };
}

function utf8At(data: arrow.Data, row: number): Uint8Array {
  const offsets = data.valueOffsets as Int32Array;
  return (data.values as Uint8Array).subarray(offsets[row] ?? 0, offsets[row + 1] ?? 0);
}

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
}

/** UUID from its text (Utf8, dashes optional) into DuckDB's flipped little-endian int128. */
function uuidWriter(column: string): ColumnWriter {
  return (vector, data, start, count) => {
    const out = new Uint8Array(count * 16);
    for (let i = 0; i < count; i++) {
      if (!isValid(data, start + i)) continue;
      const text = utf8At(data, start + i);
      let k = 0;
      for (let c = 0; c < text.length && k < 32; c++) {
        const code = text[c] ?? 0;
        if (code === 45) continue;
        const nibble = hexValue(code);
        if (nibble < 0) k = 99;
        else {
          // Big-endian byte k>>1 of the UUID lands at little-endian position 15 - (k>>1).
          const at = i * 16 + 15 - (k >> 1);
          out[at] = (out[at] ?? 0) | (k & 1 ? nibble : nibble << 4);
          k++;
        }
      }
      if (k !== 32) {
        throw new EngineError('VALIDATION_ERROR', `column ${column}: not a UUID at row ${start + i}`, {
          column,
          row: start + i,
        });
      }
      out[i * 16 + 15] = (out[i * 16 + 15] ?? 0) ^ 0x80;
    }
    duckdb.copy_data_to_vector(vector, 0, out.buffer, 0, out.byteLength);
    writeValidity(vector, data, start, count);
  };
}

/** LIST from an Arrow List: (offset, length) entries, then the child rows through their writer. */
function listWriter(child: ColumnWriter): ColumnWriter {
  return (vector, data, start, count) => {
    const offsets = data.valueOffsets as Int32Array;
    const first = offsets[start] ?? 0;
    const last = offsets[start + count] ?? first;
    const entries = new BigUint64Array(count * 2);
    for (let i = 0; i < count; i++) {
      const from = offsets[start + i] ?? 0;
      entries[i * 2] = BigInt(from - first);
      entries[i * 2 + 1] = BigInt((offsets[start + i + 1] ?? from) - from);
    }
    duckdb.list_vector_reserve(vector, last - first);
    duckdb.list_vector_set_size(vector, last - first);
    duckdb.copy_data_to_vector(vector, 0, entries.buffer, 0, entries.byteLength);
    writeValidity(vector, data, start, count);
    const childData = data.children[0] as arrow.Data;
    if (last > first) child(duckdb.list_vector_get_child(vector), childData, first, last - first);
  };
}

/**
 * The writer that puts an Arrow column of type `source` into a DuckDB column of type `target`.
 *
 * @throws EngineError UNSUPPORTED when the pair is not one the bridge converts.
 */
export function writerFor(target: DuckDBType, source: arrow.DataType, column: string): ColumnWriter {
  const unsupported = () =>
    new EngineError(
      'UNSUPPORTED',
      `column ${column}: cannot append Arrow ${String(source)} to DuckDB ${target.toString()}`,
      { column, arrow: String(source), duckdb: target.toString() },
    );
  const numeric = arrow.DataType.isInt(source) || arrow.DataType.isFloat(source);
  const same = (arrowType: arrow.Type, bits?: number, signed?: boolean) =>
    source.typeId === arrowType &&
    (bits === undefined || (source as arrow.Int).bitWidth === bits) &&
    (signed === undefined || (source as arrow.Int).isSigned === signed);
  switch (target.typeId) {
    case DuckDBTypeId.BOOLEAN:
      if (arrow.DataType.isBool(source)) return boolWriter();
      break;
    case DuckDBTypeId.TINYINT:
      return same(arrow.Type.Int, 8, true) ? copyWriter(1) : numeric ? convertWriter(Int8Array) : fail();
    case DuckDBTypeId.SMALLINT:
      return same(arrow.Type.Int, 16, true) ? copyWriter(2) : numeric ? convertWriter(Int16Array) : fail();
    case DuckDBTypeId.INTEGER:
      return same(arrow.Type.Int, 32, true) ? copyWriter(4) : numeric ? convertWriter(Int32Array) : fail();
    case DuckDBTypeId.UTINYINT:
      return same(arrow.Type.Int, 8, false) ? copyWriter(1) : numeric ? convertWriter(Uint8Array) : fail();
    case DuckDBTypeId.USMALLINT:
      return same(arrow.Type.Int, 16, false) ? copyWriter(2) : numeric ? convertWriter(Uint16Array) : fail();
    case DuckDBTypeId.UINTEGER:
      return same(arrow.Type.Int, 32, false) ? copyWriter(4) : numeric ? convertWriter(Uint32Array) : fail();
    case DuckDBTypeId.BIGINT:
      return same(arrow.Type.Int, 64, true) ? copyWriter(8) : numeric ? int64Writer(1n, 1n) : fail();
    case DuckDBTypeId.UBIGINT:
      if (same(arrow.Type.Int, 64, false)) return copyWriter(8);
      break;
    case DuckDBTypeId.FLOAT:
      return source.typeId === arrow.Type.Float &&
        (source as arrow.Float).precision === arrow.Precision.SINGLE
        ? copyWriter(4)
        : numeric
          ? convertWriter(Float32Array)
          : fail();
    case DuckDBTypeId.DOUBLE:
      return source.typeId === arrow.Type.Float &&
        (source as arrow.Float).precision === arrow.Precision.DOUBLE
        ? copyWriter(8)
        : numeric
          ? convertWriter(Float64Array)
          : fail();
    case DuckDBTypeId.DATE:
      if (arrow.DataType.isDate(source) && (source as arrow.Date_).unit === arrow.DateUnit.DAY)
        return copyWriter(4);
      break;
    case DuckDBTypeId.TIME:
      if (arrow.DataType.isTime(source) && (source as arrow.Time).unit === arrow.TimeUnit.MICROSECOND) {
        return copyWriter(8);
      }
      break;
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return timestampWriter(source, 6) ?? fail();
    case DuckDBTypeId.TIMESTAMP_S:
      return timestampWriter(source, 0) ?? fail();
    case DuckDBTypeId.TIMESTAMP_MS:
      return timestampWriter(source, 3) ?? fail();
    case DuckDBTypeId.TIMESTAMP_NS:
      return timestampWriter(source, 9) ?? fail();
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.BLOB: {
      const value = arrow.DataType.isDictionary(source) ? source.dictionary : source;
      if (arrow.DataType.isUtf8(value) || arrow.DataType.isBinary(value)) return stringWriter();
      break;
    }
    case DuckDBTypeId.UUID:
      if (arrow.DataType.isUtf8(source)) return uuidWriter(column);
      break;
    case DuckDBTypeId.LIST:
      if (arrow.DataType.isList(source)) {
        const child = source.children[0] as arrow.Field;
        return listWriter(writerFor(target.valueType, child.type, `${column}[]`));
      }
      break;
    default:
      break;
  }
  return fail();

  function fail(): never {
    throw unsupported();
  }
}

/** Digits of sub-second precision of an Arrow timestamp or date unit. */
function unitDigits(source: arrow.DataType): number | undefined {
  if (arrow.DataType.isTimestamp(source)) {
    return [0, 3, 6, 9][(source as arrow.Timestamp).unit];
  }
  if (arrow.DataType.isDate(source) && (source as arrow.Date_).unit === arrow.DateUnit.MILLISECOND) return 3;
  return undefined;
}

/** A copy when the units agree, a scaling pass otherwise; `undefined` for a non-time source. */
function timestampWriter(source: arrow.DataType, targetDigits: number): ColumnWriter | undefined {
  const digits = unitDigits(source);
  if (digits === undefined) return undefined;
  if (digits === targetDigits) return copyWriter(8);
  return digits < targetDigits
    ? int64Writer(10n ** BigInt(targetDigits - digits), 1n)
    : int64Writer(1n, 10n ** BigInt(digits - targetDigits));
}
