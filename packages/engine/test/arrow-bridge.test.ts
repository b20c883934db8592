import * as arrow from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EngineError, incidentColumns } from '../src/index.ts';
import { appendArrow, incidentArrowSchema, queryArrow, resultToArrow } from '../src/store/arrow-bridge.ts';
import { Database } from '../src/store/database.ts';

const rows = 5000;

// Every column type the bridge supports, with nulls at a different period per column, over 5,000
// rows (three 2,048-row chunks, the last one partial).
const sourceSql = `CREATE TABLE src AS SELECT
  range::INTEGER AS id,
  CASE WHEN range % 7 = 0 THEN NULL ELSE range % 2 = 0 END AS b,
  (range % 100 - 50)::TINYINT AS i8,
  CASE WHEN range % 3 = 0 THEN NULL ELSE (range * 3 - 7000)::SMALLINT END AS i16,
  CASE WHEN range % 11 = 0 THEN NULL ELSE range::BIGINT * 1000000007 - 1099511627776 END AS i64,
  (range % 256)::UTINYINT AS u8,
  range::USMALLINT AS u16,
  (range * 100000)::UINTEGER AS u32,
  range::UBIGINT * 1000000000000000 AS u64,
  (range / 4)::FLOAT AS f32,
  CASE WHEN range % 5 = 0 THEN NULL ELSE range / 3 - 1e6 END AS f64,
  CASE WHEN range % 13 = 0 THEN NULL ELSE DATE '2024-03-10' + range::INTEGER END AS d,
  CASE WHEN range % 17 = 0 THEN NULL
    ELSE TIMESTAMP '2024-03-10 12:34:56.789012' + to_seconds(range::BIGINT) END AS ts,
  TIME '12:34:56.789012' AS tm,
  CASE WHEN range % 9 = 0 THEN NULL ELSE ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'][range % 4 + 1] END AS s,
  CASE WHEN range % 19 = 0 THEN NULL ELSE 'café nº ' || range || repeat('x', (range % 20)::INTEGER) END AS t,
  (substr(md5(range::VARCHAR), 1, 8) || '-' || substr(md5(range::VARCHAR), 9, 4) || '-' ||
    substr(md5(range::VARCHAR), 13, 4) || '-' || substr(md5(range::VARCHAR), 17, 4) || '-' ||
    substr(md5(range::VARCHAR), 21, 12))::UUID AS u,
  CASE WHEN range % 6 = 0 THEN NULL WHEN range % 6 = 1 THEN []::VARCHAR[]
    ELSE ['tag' || (range % 10), 'a longer tag number ' || range] END AS l,
  ('bytes' || range)::BLOB AS bl
FROM range(${rows})`;

let db: Database;
let table: arrow.Table;

beforeAll(async () => {
  db = await Database.open(':memory:');
  await db.run(sourceSql);
  table = await queryArrow(db, 'SELECT * FROM src ORDER BY id');
});
afterAll(async () => {
  await db.close();
});

/** Rows in one table and not in the other, both ways (EXCEPT ALL treats NULLs as equal). */
async function differences(a: string, b: string): Promise<number> {
  const row = await db.one<{ n: bigint }>(
    `SELECT (SELECT count(*) FROM (FROM ${a} EXCEPT ALL FROM ${b})) +
            (SELECT count(*) FROM (FROM ${b} EXCEPT ALL FROM ${a})) AS n`,
  );
  return Number(row?.n);
}

describe('queryArrow', () => {
  it('maps each DuckDB type to its Arrow type', () => {
    const types = Object.fromEntries(table.schema.fields.map((f) => [f.name, String(f.type)]));
    expect(types).toEqual({
      id: 'Int32',
      b: 'Bool',
      i8: 'Int8',
      i16: 'Int16',
      i64: 'Int64',
      u8: 'Uint8',
      u16: 'Uint16',
      u32: 'Uint32',
      u64: 'Uint64',
      f32: 'Float32',
      f64: 'Float64',
      d: 'Date32<DAY>',
      ts: 'Timestamp<MICROSECOND, UTC>',
      tm: 'Time64<MICROSECOND>',
      s: 'Dictionary<Int32, Utf8>',
      t: 'Utf8',
      u: 'Utf8',
      l: 'List<Utf8>',
      bl: 'Binary',
    });
  });

  it('reads results longer than one chunk into one contiguous column', () => {
    expect(table.numRows).toBe(rows);
    expect(table.batches).toHaveLength(1);
    // 0 + 1 + ... + 4999 = 4999 * 5000 / 2, by hand.
    const ids = table.getChild('id')?.toArray() as Int32Array;
    expect(ids.reduce((s, v) => s + v, 0)).toBe(12_497_500);
    expect(ids[4999]).toBe(4999);
  });

  it('carries nulls through validity bitmaps', () => {
    // Null when id % p == 0 for p = 7, 3, 11, 5, 13, 17, 9, 19: ceil(5000 / p) rows, by hand.
    const expected: Record<string, number> = {
      b: 715,
      i16: 1667,
      i64: 455,
      f64: 1000,
      d: 385,
      ts: 295,
      s: 556,
    };
    expected['t'] = 264;
    expected['l'] = 834;
    for (const [name, nulls] of Object.entries(expected)) {
      expect(table.getChild(name)?.nullCount, name).toBe(nulls);
    }
    expect(table.getChild('u8')?.nullCount).toBe(0);
    expect(table.getChild('b')?.get(0)).toBeNull();
    expect(table.getChild('b')?.get(2)).toBe(true);
    expect(table.getChild('b')?.get(3)).toBe(false);
    expect(table.getChild('i16')?.get(4)).toBe(4 * 3 - 7000);
  });

  it('keeps timestamps exact to the microsecond, in UTC', () => {
    const ts = rawValues<BigInt64Array>(table.getChild('ts'));
    // 2024-03-10T12:34:56.789012Z in microseconds since the epoch (Python datetime, by hand).
    expect(ts[1]).toBe(1_710_074_096_789_012n + 1_000_000n);
    expect(ts[4999]).toBe(1_710_074_096_789_012n + 4_999_000_000n);
    const days = rawValues<Int32Array>(table.getChild('d'));
    expect(days[1]).toBe(19_792 + 1); // 2024-03-10 is day 19,792 since 1970-01-01.
    expect(table.schema.fields.find((f) => f.name === 'ts')?.type).toMatchObject({ timezone: 'UTC' });
  });

  it('dictionary-encodes low-cardinality strings and keeps the others plain', async () => {
    const s = table.getChild('s');
    expect(s?.data[0]?.dictionary?.length).toBe(4);
    expect([1, 2, 3, 4].map((i) => s?.get(i))).toEqual(['MEDIUM', 'HIGH', 'CRITICAL', 'LOW']);
    expect(table.getChild('t')?.get(21)).toBe('café nº 21x');
    expect(table.getChild('t')?.get(4999)).toBe(`café nº 4999${'x'.repeat(19)}`);
    const plain = await queryArrow(db, 'SELECT s FROM src', undefined, { maxDictionarySize: 0 });
    expect(String(plain.schema.fields[0]?.type)).toBe('Utf8');
    const small = await queryArrow(db, 'SELECT t FROM src', undefined, { maxDictionarySize: 3000 });
    expect(String(small.schema.fields[0]?.type)).toBe('Utf8');
  });

  it('reads UUIDs, lists and blobs', async () => {
    const uuid = await queryArrow(db, "SELECT '8a3f5c2e-1b4d-4e6f-9a7b-0c1d2e3f4a5b'::UUID AS u");
    expect(uuid.getChild('u')?.get(0)).toBe('8a3f5c2e-1b4d-4e6f-9a7b-0c1d2e3f4a5b');
    const l = table.getChild('l');
    expect(l?.get(0)).toBeNull();
    expect(l?.get(1)?.toArray()).toEqual([]);
    expect(l?.get(2)?.toArray()).toEqual(['tag2', 'a longer tag number 2']);
    expect(new TextDecoder().decode(table.getChild('bl')?.get(42) as Uint8Array)).toBe('bytes42');
  });

  it('reads a streamed result the same as a materialised one', async () => {
    const streamed = await db.withReader(async (conn) =>
      resultToArrow(await conn.stream('SELECT * FROM src ORDER BY id')),
    );
    expect(streamed.numRows).toBe(rows);
    expect(streamed.schema.fields.map((f) => String(f.type))).toEqual(
      table.schema.fields.map((f) => String(f.type)),
    );
    await db.run('CREATE TABLE streamed AS FROM src LIMIT 0');
    await db.transaction((conn) => appendArrow(conn, 'streamed', streamed));
    expect(await differences('src', 'streamed')).toBe(0);
  });

  it('returns an empty table with the right schema for an empty result', async () => {
    const empty = await queryArrow(db, 'SELECT * FROM src WHERE id < 0');
    expect(empty.numRows).toBe(0);
    // Same types as the full result, except that t (5,000 distinct values there) has no value
    // here and so fits a dictionary.
    const expected = table.schema.fields.map((f) =>
      f.name === 't' ? 'Dictionary<Int32, Utf8>' : String(f.type),
    );
    expect(empty.schema.fields.map((f) => String(f.type))).toEqual(expected);
  });

  it('binds parameters and converts HUGEINT sums and decimals', async () => {
    const t = await queryArrow(
      db,
      'SELECT sum(id) AS total, 1.25::DECIMAL(10, 2) AS x FROM src WHERE id < $n',
      {
        n: 100,
      },
    );
    expect(t.getChild('total')?.get(0)).toBe(4950n); // 0 + ... + 99, by hand.
    expect(t.getChild('x')?.get(0)).toBe(1.25);
  });

  it('refuses types it does not read with UNSUPPORTED', async () => {
    await expect(queryArrow(db, 'SELECT INTERVAL 1 DAY AS i')).rejects.toMatchObject({ code: 'UNSUPPORTED' });
  });
});

describe('queryArrow on a large result', () => {
  it('lets the event loop run whenever a stretch of the copy has used its time, and returns every row in order', async () => {
    // 300,000 rows are 147 DuckDB chunks of 2,048. The clock is made to advance 5 ms at each
    // reading, so every second chunk ends a stretch of 8 ms or more: the event loop gets a turn
    // about 70 times (timers and requests of a server in the same process are not held up).
    let now = 0;
    const clock = vi.spyOn(performance, 'now').mockImplementation(() => (now += 5));
    const turns = vi.spyOn(globalThis, 'setImmediate');
    try {
      const large = await queryArrow(db, 'SELECT range::INTEGER AS n FROM range(300000)');
      expect(large.numRows).toBe(300_000);
      const n = large.getChild('n')?.toArray() as Int32Array;
      expect(n[0]).toBe(0);
      expect(n[299_999]).toBe(299_999);
      expect(turns.mock.calls.length).toBeGreaterThanOrEqual(60);
    } finally {
      turns.mockRestore();
      clock.mockRestore();
    }
  });
});

describe('appendArrow', () => {
  it('round-trips every column type, nulls included, through the appender', async () => {
    await db.run('CREATE TABLE dst AS FROM src LIMIT 0');
    const appended = await db.transaction((conn) => appendArrow(conn, 'dst', table));
    expect(appended).toBe(rows);
    expect(await differences('src', 'dst')).toBe(0);
    const counts = await db.one<{ n: bigint }>('SELECT count(*) AS n FROM dst');
    expect(counts?.n).toBe(BigInt(rows));
  });

  it('handles slices that start off a byte boundary and tables of several batches', async () => {
    await db.run('CREATE TABLE sliced AS FROM src LIMIT 0');
    const parts = new arrow.Table([...table.slice(3, 2100).batches, ...table.slice(2100, 4003).batches]);
    expect(parts.batches.length).toBeGreaterThan(1);
    await db.transaction((conn) => appendArrow(conn, 'sliced', parts));
    await db.run('CREATE TABLE expected AS FROM src WHERE id BETWEEN 3 AND 4002');
    expect(await differences('sliced', 'expected')).toBe(0);
  });

  it('converts other Arrow number and timestamp types to the column type', async () => {
    await db.run('CREATE TABLE conv (n BIGINT, x DOUBLE, ts TIMESTAMP, s VARCHAR)');
    const data = new arrow.Table({
      n: arrow.vectorFromArray([1, 2, null], new arrow.Int32()),
      x: arrow.vectorFromArray([1, 2, 3], new arrow.Int16()),
      ts: arrow.vectorFromArray([1_710_074_096_789, 0, null], new arrow.TimestampMillisecond()),
      s: arrow.vectorFromArray(['a', null, 'b'], new arrow.Utf8()),
    });
    await db.transaction((conn) => appendArrow(conn, 'conv', data));
    const back = await db.all('SELECT n, x, epoch_us(ts) AS us, s FROM conv ORDER BY x');
    expect(back).toEqual([
      { n: 1n, x: 1, us: 1_710_074_096_789_000n, s: 'a' },
      { n: 2n, x: 2, us: 0n, s: null },
      { n: null, x: 3, us: null, s: 'b' },
    ]);
  });

  it('appends to a temporary staging table and refuses a missing table with NOT_FOUND', async () => {
    const data = new arrow.Table({ a: arrow.vectorFromArray([1, 2, 3], new arrow.Int32()) });
    const staged = await db.transaction(async (conn) => {
      await conn.run('CREATE TEMP TABLE staging (a INTEGER)');
      await appendArrow(conn, 'staging', data);
      const row = await conn.one('SELECT sum(a)::INTEGER AS s FROM staging');
      await conn.run('DROP TABLE staging');
      return row;
    });
    expect(staged).toEqual({ s: 6 }); // 1 + 2 + 3
    await expect(db.transaction((conn) => appendArrow(conn, 'no_such_table', data))).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('writes nothing when the batch does not fit the table', async () => {
    await db.run('CREATE TABLE strict (a INTEGER NOT NULL, b VARCHAR)');
    const extra = new arrow.Table({
      a: arrow.vectorFromArray([1], new arrow.Int32()),
      zz: arrow.vectorFromArray([1]),
    });
    await expect(db.transaction((conn) => appendArrow(conn, 'strict', extra))).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
    });
    const missing = new arrow.Table({ b: arrow.vectorFromArray(['x', 'y'], new arrow.Utf8()) });
    await expect(db.transaction((conn) => appendArrow(conn, 'strict', missing))).rejects.toThrow();
    const badUuid = new arrow.Table({ u: arrow.vectorFromArray(['not-a-uuid'], new arrow.Utf8()) });
    await db.run('CREATE TABLE ids (u UUID)');
    await expect(db.transaction((conn) => appendArrow(conn, 'ids', badUuid))).rejects.toBeInstanceOf(
      EngineError,
    );
    const counts = await db.one<{ a: bigint; b: bigint }>(
      'SELECT (SELECT count(*) FROM strict) AS a, (SELECT count(*) FROM ids) AS b',
    );
    expect(counts).toEqual({ a: 0n, b: 0n });
  });
});

describe('incidentArrowSchema', () => {
  it('follows the incident columns and round-trips incidents through the incident table', async () => {
    const schema = incidentArrowSchema();
    expect(schema.fields.map((f) => f.name)).toEqual(incidentColumns.map((c) => c.name));
    expect(String(schema.fields.find((f) => f.name === 'severity')?.type)).toBe('Dictionary<Int32, Utf8>');
    expect(schema.fields.find((f) => f.name === 'title')?.nullable).toBe(false);
    expect(schema.fields.find((f) => f.name === 'resolved_at')?.nullable).toBe(true);

    const { incidentTables } = await import('../src/store/migrations/v1-initial-schema.ts');
    for (const ddl of incidentTables) await db.run(ddl);
    const created = 1_710_074_096_789_012n;
    const columns: Record<string, unknown[]> = {
      id: ['8a3f5c2e-1b4d-4e6f-9a7b-0c1d2e3f4a5b', '00000000-0000-4000-8000-000000000001'],
      external_id: ['INC1', 'INC2'],
      title: ['Database down', 'Slow login'],
      description: [null, 'p95 above 2 s'],
      category: ['Infrastructure', null],
      subcategory: [null, null],
      severity: ['CRITICAL', 'LOW'],
      priority: ['P1', null],
      status: ['RESOLVED', 'OPEN'],
      service: ['db', 'auth'],
      team: ['dba', null],
      created_at: [created, created + 1n],
      acknowledged_at: [created + 60_000_000n, null],
      resolved_at: [created + 3_600_000_000n, null],
      closed_at: [null, null],
      escalation_level: [1, 0],
      reopen_count: [0, 0],
      reassignment_count: [2, 0],
      affected_users: [1200, null],
      tags: [['db', 'outage'], null],
    };
    const vectors = Object.fromEntries(
      schema.fields.map((f) => {
        const values = columns[f.name] as unknown[];
        const type = f.type as arrow.DataType;
        if (arrow.DataType.isTimestamp(type)) {
          const data = new BigInt64Array(values.map((v) => (v ?? 0n) as bigint));
          const valid = values.map((v) => v !== null);
          return [f.name, arrow.makeVector(timestampData(type, data, valid))];
        }
        return [f.name, arrow.vectorFromArray(values, type)];
      }),
    );
    const extra = {
      ingested_at: arrow.makeVector(
        timestampData(new arrow.TimestampMicrosecond('UTC'), new BigInt64Array([created, created]), [
          true,
          true,
        ]),
      ),
      updated_at: arrow.makeVector(
        timestampData(new arrow.TimestampMicrosecond('UTC'), new BigInt64Array([created, created]), [
          true,
          true,
        ]),
      ),
    };
    const batch = new arrow.Table({ ...vectors, ...extra });
    await db.transaction((conn) => appendArrow(conn, 'incidents', batch));
    const back = await queryArrow(
      db,
      `SELECT ${incidentColumns.map((c) => c.name).join(', ')} FROM incidents ORDER BY external_id`,
    );
    expect(back.getChild('id')?.get(0)).toBe('8a3f5c2e-1b4d-4e6f-9a7b-0c1d2e3f4a5b');
    expect(back.getChild('severity')?.get(0)).toBe('CRITICAL');
    expect(rawValues<BigInt64Array>(back.getChild('resolved_at'))[0]).toBe(created + 3_600_000_000n);
    expect(back.getChild('resolved_at')?.get(1)).toBeNull();
    expect(back.getChild('tags')?.get(0)?.toArray()).toEqual(['db', 'outage']);
    expect(back.getChild('affected_users')?.get(1)).toBeNull();
    for (const field of schema.fields) {
      // Low-cardinality text comes back dictionary-encoded; every other type is the schema's.
      const type = String(back.schema.fields.find((f) => f.name === field.name)?.type);
      const expected =
        String(field.type) === 'Utf8' && type !== 'Utf8' ? 'Dictionary<Int32, Utf8>' : String(field.type);
      expect(type, field.name).toBe(expected);
    }
  });
});

function timestampData(type: arrow.DataType, values: BigInt64Array, valid: boolean[]): arrow.Data {
  const bitmap = new Uint8Array(Math.ceil(valid.length / 8));
  valid.forEach((v, i) => {
    if (v) bitmap[i >> 3] = (bitmap[i >> 3] ?? 0) | (1 << (i & 7));
  });
  const nullCount = valid.filter((v) => !v).length;
  return arrow.makeData({
    type: type as arrow.TimestampMicrosecond,
    length: values.length,
    nullCount,
    nullBitmap: bitmap,
    data: values,
  });
}

/** The value buffer of a one-chunk column. */
function rawValues<T>(vector: arrow.Vector | null | undefined): T {
  const data = vector?.data[0];
  if (!data) throw new Error('no such column');
  return data.values as T;
}
