import {
  DOUBLE,
  type DuckDBAppender,
  DuckDBDataChunk,
  type DuckDBType,
  INTEGER,
  LIST,
  VARCHAR,
} from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';
import { type ColumnKind, incidentColumns, type ValidIncident } from '../schema/incident.ts';
import { connectionOf, type Transaction } from './transaction.ts';

/**
 * The staging table an ingest call appends validated rows to, inside its transaction. Timestamps
 * travel as epoch milliseconds (DOUBLE) and become TIMESTAMPs in the merge, which saves building a
 * DuckDB value per timestamp in JS; `_row` is the source row, so that the last of several records
 * with one external id wins.
 */
export const stagingTable = 'incident_staging';

const stagingType: Record<ColumnKind, DuckDBType> = {
  uuid: VARCHAR,
  text: VARCHAR,
  enum: VARCHAR,
  timestamp: DOUBLE,
  int: INTEGER,
  'text[]': LIST(VARCHAR),
};
const stagingSqlType: Record<ColumnKind, string> = {
  uuid: 'VARCHAR',
  text: 'VARCHAR',
  enum: 'VARCHAR',
  timestamp: 'DOUBLE',
  int: 'INTEGER',
  'text[]': 'VARCHAR[]',
};

/** One DuckDB vector size: rows per data chunk. */
const chunkRows = duckdb.vector_size();

type Field = keyof ValidIncident;

/** Size of DuckDB's `string_t` and the longest string it holds inline (duckdb/common/types/string_type.hpp). */
const stringStructBytes = 16;
const inlineBytes = 12;
/**
 * Writes the inline `string_t` of `value` at `offset` of `out` (little-endian length, then the
 * bytes; the rest must already be zero) when it is ASCII of at most 12 characters (then UTF-8 bytes
 * and UTF-16 units coincide); returns false for any other string, which is then assigned through
 * DuckDB's C API.
 */
function writeInline(out: Uint8Array, offset: number, value: string): boolean {
  const n = value.length;
  if (n > inlineBytes) return false;
  for (let k = 0; k < n; k++) {
    const code = value.charCodeAt(k);
    if (code > 127) return false;
    out[offset + 4 + k] = code;
  }
  out[offset] = n;
  return true;
}

/**
 * Appends validated incidents to the staging table column by column, one 2,048-row data chunk at a
 * time, writing straight into DuckDB's vectors: numbers and timestamps as one typed-array copy per
 * column, nulls as one validity bitmap per column, short strings laid out inline and copied with
 * their column, longer strings one call each (no DuckDB value objects, no per-row arrays).
 */
export class StagingWriter {
  private readonly appender: DuckDBAppender;
  private readonly types: DuckDBType[];
  private pending: ValidIncident[] = [];
  private pendingRows: number[] = [];
  // Scratch buffers reused for every chunk (DuckDB copies them).
  private readonly doubles = new Float64Array(chunkRows);
  private readonly ints = new Int32Array(chunkRows);
  private readonly validity = new Uint8Array(Math.ceil(chunkRows / 8));
  private structBuffer = new Uint8Array(chunkRows * stringStructBytes);
  /** Rows appended so far. */
  staged = 0;

  private constructor(appender: DuckDBAppender) {
    this.appender = appender;
    this.types = [INTEGER, ...incidentColumns.map((c) => stagingType[c.kind])];
  }

  /** Creates (or empties) the staging table in `tx`, which must be a transaction. */
  static async open(tx: Transaction): Promise<StagingWriter> {
    const conn = connectionOf(tx);
    const columns = incidentColumns.map((c) => `${c.name} ${stagingSqlType[c.kind]}`);
    await conn.run(`CREATE OR REPLACE TEMP TABLE ${stagingTable} (_row INTEGER, ${columns.join(', ')})`);
    return new StagingWriter(await conn.createAppender(stagingTable, 'main', 'temp'));
  }

  /** Stages `incidents`; `rows[i]` is the source row of `incidents[i]`. */
  append(incidents: readonly ValidIncident[], rows: readonly number[]): void {
    for (let i = 0; i < incidents.length; i++) {
      this.pending.push(incidents[i]!);
      this.pendingRows.push(rows[i]!);
      if (this.pending.length === chunkRows) this.flushChunk();
    }
  }

  /** Appends what is buffered and closes the appender; call once, before the merge. */
  finish(): void {
    this.flushChunk();
    this.appender.flushSync();
    this.appender.closeSync();
  }

  private flushChunk(): void {
    const records = this.pending;
    const n = records.length;
    if (n === 0) return;
    const chunk = DuckDBDataChunk.create(this.types, n);
    const ints = this.ints;
    for (let i = 0; i < n; i++) ints[i] = this.pendingRows[i]!;
    copyNumbers(vectorOf(chunk, 0), ints, n);
    for (let c = 0; c < incidentColumns.length; c++) {
      const column = incidentColumns[c]!;
      const vector = vectorOf(chunk, c + 1);
      const field = column.name as Field;
      switch (column.kind) {
        case 'uuid':
        case 'text':
        case 'enum':
          this.writeStrings(vector, records, field);
          break;
        case 'timestamp':
          this.writeTimestamps(vector, records, field);
          break;
        case 'int':
          this.writeInts(vector, records, field);
          break;
        case 'text[]':
          this.writeLists(vector, records, field);
          break;
      }
    }
    this.appender.appendDataChunk(chunk);
    this.staged += n;
    this.pending = [];
    this.pendingRows = [];
  }

  /**
   * Strings of up to 12 UTF-8 bytes are inlined in DuckDB's 16-byte `string_t` (length, then the
   * bytes, zero padded), so short ASCII values are laid out in JS and copied with the column in one
   * call; only the others are assigned one by one.
   */
  private writeStrings(vector: duckdb.Vector, records: readonly ValidIncident[], field: Field): void {
    const n = records.length;
    const valid = this.clearValidity(n);
    const out = this.structs(n);
    const other: number[] = [];
    let nulls = false;
    for (let i = 0; i < n; i++) {
      const value = records[i]![field] as string | null;
      if (value === null || value === undefined) nulls = true;
      else {
        valid[i >> 3]! |= 1 << (i & 7);
        if (!writeInline(out, i * stringStructBytes, value)) other.push(i);
      }
    }
    duckdb.copy_data_to_vector(vector, 0, out.buffer as ArrayBuffer, 0, n * stringStructBytes);
    for (const i of other) duckdb.vector_assign_string_element(vector, i, records[i]![field] as string);
    if (nulls) copyValidity(vector, valid, n);
  }

  /** A zeroed scratch buffer for `n` string structs (grown for long tag lists). */
  private structs(n: number): Uint8Array {
    const bytes = n * stringStructBytes;
    if (this.structBuffer.length < bytes) this.structBuffer = new Uint8Array(bytes);
    this.structBuffer.fill(0, 0, bytes);
    return this.structBuffer;
  }

  private writeTimestamps(vector: duckdb.Vector, records: readonly ValidIncident[], field: Field): void {
    const valid = this.clearValidity(records.length);
    const out = this.doubles;
    let nulls = false;
    for (let i = 0; i < records.length; i++) {
      const value = records[i]![field] as Date | null;
      if (value === null || value === undefined) {
        nulls = true;
        out[i] = 0;
      } else {
        valid[i >> 3]! |= 1 << (i & 7);
        out[i] = value.getTime();
      }
    }
    copyNumbers(vector, out, records.length);
    if (nulls) copyValidity(vector, valid, records.length);
  }

  private writeInts(vector: duckdb.Vector, records: readonly ValidIncident[], field: Field): void {
    const valid = this.clearValidity(records.length);
    const out = this.ints;
    let nulls = false;
    for (let i = 0; i < records.length; i++) {
      const value = records[i]![field] as number | null;
      if (value === null || value === undefined) {
        nulls = true;
        out[i] = 0;
      } else {
        valid[i >> 3]! |= 1 << (i & 7);
        out[i] = value;
      }
    }
    copyNumbers(vector, out, records.length);
    if (nulls) copyValidity(vector, valid, records.length);
  }

  /** LIST(VARCHAR): (offset, length) entries, then every element into the child vector. */
  private writeLists(vector: duckdb.Vector, records: readonly ValidIncident[], field: Field): void {
    const n = records.length;
    const valid = this.clearValidity(n);
    // Entries are two uint64 each, written as uint32 halves (little-endian, high half zero).
    const entries = new Uint32Array(n * 4);
    let total = 0;
    let nulls = false;
    for (let i = 0; i < n; i++) {
      const list = records[i]![field] as string[] | null;
      entries[i * 4] = total;
      if (list === null || list === undefined) nulls = true;
      else {
        valid[i >> 3]! |= 1 << (i & 7);
        entries[i * 4 + 2] = list.length;
        total += list.length;
      }
    }
    duckdb.list_vector_reserve(vector, total);
    duckdb.list_vector_set_size(vector, total);
    duckdb.copy_data_to_vector(vector, 0, entries.buffer, 0, entries.byteLength);
    if (nulls) copyValidity(vector, valid, n);
    if (total === 0) return;
    const child = duckdb.list_vector_get_child(vector);
    const out = this.structs(total);
    const other: [number, string][] = [];
    let at = 0;
    for (let i = 0; i < n; i++) {
      const list = records[i]![field] as string[] | null;
      if (!list) continue;
      for (const tag of list) {
        if (!writeInline(out, at * stringStructBytes, tag)) other.push([at, tag]);
        at++;
      }
    }
    duckdb.copy_data_to_vector(child, 0, out.buffer as ArrayBuffer, 0, total * stringStructBytes);
    for (const [index, tag] of other) duckdb.vector_assign_string_element(child, index, tag);
  }

  private clearValidity(n: number): Uint8Array {
    const valid = this.validity;
    valid.fill(0, 0, Math.ceil(n / 8));
    return valid;
  }
}

function vectorOf(chunk: DuckDBDataChunk, column: number): duckdb.Vector {
  return duckdb.data_chunk_get_vector(chunk.chunk, column);
}

function copyNumbers(vector: duckdb.Vector, values: Float64Array | Int32Array, n: number): void {
  duckdb.copy_data_to_vector(
    vector,
    0,
    values.buffer as ArrayBuffer,
    values.byteOffset,
    n * values.BYTES_PER_ELEMENT,
  );
}

function copyValidity(vector: duckdb.Vector, valid: Uint8Array, n: number): void {
  duckdb.vector_ensure_validity_writable(vector);
  duckdb.copy_data_to_vector_validity(vector, 0, valid.buffer as ArrayBuffer, 0, Math.ceil(n / 8));
}
