import { type DuckDBConnection, DuckDBInstance, INTEGER, VARCHAR } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runKept, runKeptAndReadAll } from '../../src/store/kept-statements.ts';

let instance: DuckDBInstance;
let connection: DuckDBConnection;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  connection = await instance.connect();
});
afterAll(() => {
  connection.closeSync();
  instance.closeSync();
});

const rowsOf = async (sql: string, values: Record<string, string | number>) =>
  (await runKeptAndReadAll(connection, sql, values, undefined)).getRowObjectsJS();

describe('kept prepared statements', () => {
  it('prepares a statement once and runs it again with new values', async () => {
    await connection.run('CREATE TABLE kept_a (n INTEGER, s VARCHAR)');
    const prepare = vi.spyOn(connection, 'prepare');
    const insert = 'INSERT INTO kept_a VALUES ($n, $s)';
    for (const [n, s] of [
      [1, 'one'],
      [2, 'two'],
      [3, 'three'],
    ] as const) {
      await runKept(connection, insert, { n, s }, { n: INTEGER, s: VARCHAR });
    }
    expect(prepare).toHaveBeenCalledTimes(1);
    prepare.mockRestore();
    expect(await rowsOf('SELECT n, s FROM kept_a WHERE n >= $from ORDER BY n', { from: 2 })).toEqual([
      { n: 2, s: 'two' },
      { n: 3, s: 'three' },
    ]);
  });

  it('binds a kept statement again when its table changed since it was prepared', async () => {
    await connection.run('CREATE TABLE kept_b (n INTEGER)');
    await connection.run('INSERT INTO kept_b VALUES (1), (2)');
    const read = 'SELECT * FROM kept_b WHERE n > $n ORDER BY n';
    expect(await rowsOf(read, { n: 0 })).toEqual([{ n: 1 }, { n: 2 }]);
    await connection.run('DROP TABLE kept_b');
    await connection.run(
      "CREATE TABLE kept_b (label VARCHAR, n INTEGER); INSERT INTO kept_b VALUES ('x', 5)",
    );
    expect(await rowsOf(read, { n: 0 })).toEqual([{ label: 'x', n: 5 }]);
  });

  it('gives concurrent runs of one text on one connection each their own values', async () => {
    const echo = 'SELECT $v::INTEGER * 2 AS doubled';
    const answers = await Promise.all([1, 2, 3, 4].map((v) => rowsOf(echo, { v })));
    expect(answers).toEqual([[{ doubled: 2 }], [{ doubled: 4 }], [{ doubled: 6 }], [{ doubled: 8 }]]);
  });

  it('runs a text of several statements as DuckDB does, every statement, without keeping it', async () => {
    const prepare = vi.spyOn(connection, 'prepare');
    const several = 'CREATE TABLE kept_c AS SELECT 41 AS n; SELECT n + $add::INTEGER AS m FROM kept_c';
    expect(await rowsOf(several, { add: 1 })).toEqual([{ m: 42 }]);
    expect(prepare).not.toHaveBeenCalled();
    prepare.mockRestore();
  });
});
