/**
 * The Arrow bridge and worker transfer, each against a baseline measured in the same run.
 *
 *   npx tsx --conditions=@incident-insights/source bench/bridge.bench.ts [rows] [transferRows]
 *
 * 1. A 4-column query (BIGINT, INTEGER, DOUBLE, TIMESTAMP) over `rows` rows (default 10 M),
 *    generated once with `range()` into a table and then read with `SELECT *`: `queryArrow`
 *    against `getColumnsJS()` on the same query, and against DuckDB alone (materialising the
 *    result and visiting its chunks), which isolates the bridge's own cost.
 * 2. `transferRows` rows (default 1 M) of the same query sent to a worker and back: as an Arrow
 *    table (IPC bytes, transferred both ways) against the same rows as JS objects
 *    (`getRowObjectsJS()`, structured-cloned both ways).
 * 3. The same `transferRows` rows written to a table: `appendArrow` (data chunks) against
 *    DuckDB's appender fed value by value from the JS objects.
 */
import { availableParallelism, loadavg } from 'node:os';
import { timestampValue } from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';
import { appendArrow, queryArrow } from '../packages/engine/src/store/arrow-bridge.ts';
import { Database } from '../packages/engine/src/store/database.ts';
import { WorkerPool } from '../packages/engine/src/workers/pool.ts';
import { tableFromTransferable, tableToTransferable } from '../packages/engine/src/workers/transfer.ts';
import { medianOf } from './timer.ts';

const rows = Number(process.argv[2] ?? 10_000_000);
const transferRows = Number(process.argv[3] ?? 1_000_000);
const columns = 4;

const generate = (n: number) => `SELECT range::BIGINT AS id, (range % 1000)::INTEGER AS k,
  range::DOUBLE / 7 AS x, TIMESTAMP '2024-01-01' + to_microseconds(range * 1000) AS ts FROM range(${n})`;
const query = (n: number) => (n === rows ? 'SELECT * FROM big' : `SELECT * FROM big LIMIT ${n}`);

const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1 });
const mvps = (values: number, ms: number) => values / ms / 1000;

const loadBefore = loadavg();
const db = await Database.open(':memory:');
const values = rows * columns;
console.log(
  `node ${process.version}, ${availableParallelism()} cores; ${fmt(rows)} rows x ${columns} columns`,
);

await db.run(`CREATE TABLE big AS ${generate(rows)}`);
// Warm DuckDB and the code paths once on a small query.
await queryArrow(db, query(100_000));

const duckdbOnly = await medianOf(3, async () => {
  await db.withReader(async (conn) => {
    const result = await conn.run(query(rows));
    // The same synchronous chunk access queryArrow uses, touching each vector, building nothing.
    const raw = (result as unknown as { result: duckdb.Result }).result;
    const chunks = duckdb.result_chunk_count(raw);
    for (let i = 0; i < chunks; i++) {
      const chunk = duckdb.result_get_chunk(raw, i);
      for (let c = 0; c < columns; c++) duckdb.data_chunk_get_vector(chunk, c);
    }
  });
});
const arrowMs = await medianOf(3, async () => {
  const table = await queryArrow(db, query(rows));
  if (table.numRows !== rows) throw new Error('short result');
});
const jsMs = await medianOf(1, async () => {
  const reader = await db.withReader((conn) => conn.runAndReadAll(query(rows)));
  const cols = reader.getColumnsJS();
  if (cols[0]?.length !== rows) throw new Error('short result');
});
const line = (label: string, t: { ms: number; cpuMs: number }, n: number) =>
  `${label.padEnd(44)} wall ${fmt(t.ms).padStart(8)} ms (${fmt(mvps(n, t.ms)).padStart(6)} M values/s)` +
  `   cpu ${fmt(t.cpuMs).padStart(8)} ms (${fmt(mvps(n, t.cpuMs)).padStart(6)} M values/s)`;
console.log(`load average before: ${loadBefore.map((l) => l.toFixed(1)).join(' ')}`);
console.log('\n## bridge: SELECT * over the generated table (median of 3; getColumnsJS once)');
console.log(line('DuckDB alone (materialise, visit chunks)', duckdbOnly, values));
console.log(line('queryArrow', arrowMs, values));
console.log(line('getColumnsJS()', jsMs, values));
console.log(
  `queryArrow speed / getColumnsJS speed: wall ${fmt(jsMs.ms / arrowMs.ms)}x, cpu ${fmt(jsMs.cpuMs / arrowMs.cpuMs)}x`,
);
console.log(
  `bridge beyond DuckDB: wall ${fmt(arrowMs.ms - duckdbOnly.ms)} ms, cpu ${fmt(arrowMs.cpuMs - duckdbOnly.cpuMs)} ms`,
);

const pool = new WorkerPool({ threads: 1, entry: new URL('./echo.worker.ts', import.meta.url) });
const table = await queryArrow(db, query(transferRows));
const objects = (await db.withReader((conn) => conn.runAndReadAll(query(transferRows)))).getRowObjectsJS();
await pool.run('bench.echo', { warm: true });

const arrowTransfer = await medianOf(5, async () => {
  const ipc = tableToTransferable(table);
  const back = await pool.run<{ ipc: Uint8Array }>('arrow.echo', { ipc });
  if (tableFromTransferable(back.ipc).numRows !== transferRows) throw new Error('short table');
});
const cloneTransfer = await medianOf(3, async () => {
  const back = await pool.run<unknown[]>('bench.echo', objects);
  if (back.length !== transferRows) throw new Error('short rows');
});
console.log(
  `\n## worker round trip of ${fmt(transferRows)} rows x ${columns} columns (median of 5 Arrow, 3 clone)`,
);
console.log(`Arrow IPC, transferred both ways:        wall ${fmt(arrowTransfer.ms)} ms`);
console.log(`JS objects, structured clone both ways:  wall ${fmt(cloneTransfer.ms)} ms`);
console.log(`clone time / transfer time: ${fmt(cloneTransfer.ms / arrowTransfer.ms)}x`);
console.log(
  `load average after: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);

await db.run('CREATE TABLE sink AS FROM big LIMIT 0');
const arrowAppend = await medianOf(3, async () => {
  await db.run('DELETE FROM sink');
  await db.transaction((conn) => appendArrow(conn, 'sink', table));
});
const rowAppend = await medianOf(3, async () => {
  await db.run('DELETE FROM sink');
  // The baseline needs DuckDB's own appender, which only a raw connection has (store/ and
  // benchmarks may borrow one).
  await db.withReader(async (conn) => {
    const appender = await conn.createAppender('sink');
    for (const row of objects as { id: bigint; k: number; x: number; ts: Date }[]) {
      appender.appendBigInt(row.id);
      appender.appendInteger(row.k);
      appender.appendDouble(row.x);
      appender.appendTimestamp(timestampValue(BigInt(row.ts.getTime()) * 1000n));
      appender.endRow();
    }
    appender.closeSync();
  });
});
const rowsPerS = (n: number, ms: number) => fmt(n / ms / 1000);
console.log(`\n## append ${fmt(transferRows)} rows x ${columns} columns to a table (median of 3)`);
console.log(
  `appendArrow (data chunks):             wall ${fmt(arrowAppend.ms)} ms, cpu ${fmt(arrowAppend.cpuMs)} ms = ${rowsPerS(transferRows, arrowAppend.cpuMs)} M rows/s (cpu)`,
);
console.log(
  `appender, value by value from objects: wall ${fmt(rowAppend.ms)} ms, cpu ${fmt(rowAppend.cpuMs)} ms = ${rowsPerS(transferRows, rowAppend.cpuMs)} M rows/s (cpu)`,
);
console.log(
  `speed ratio: cpu ${fmt(rowAppend.cpuMs / arrowAppend.cpuMs)}x, wall ${fmt(rowAppend.ms / arrowAppend.ms)}x`,
);
console.log(
  `load average at the end: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);

await pool.close();
await db.close();
