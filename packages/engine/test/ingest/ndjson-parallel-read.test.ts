import { describe, expect, it } from 'vitest';
import { ingestNdjsonInSql, ndjsonStaging, sampledKeys } from '../../src/ingest/ndjson-in-sql.ts';
import { type NdjsonRead, ndjsonAllowedKeys } from '../../src/ingest/ndjson-sql-check.ts';
import { stagingInsert } from '../../src/ingest/sql-staging.ts';
import { internalContext } from '../../src/internal.ts';
import { StagingWriter } from '../../src/store/incident-staging.ts';
import { scratchFiles, storedRows, twinEngines } from './twin-engines.ts';

const now = () => new Date('2026-06-01T00:00:00Z');
const engines = twinEngines(now);
const write = scratchFiles('insights-ndjson-parallel', 'ndjson');

/** Thrown to roll a transaction back once its answer is taken. */
class RolledBack extends Error {
  constructor(readonly value: unknown) {
    super('rolled back');
  }
}

/** DuckDB's plan (EXPLAIN, physical operators as text) of the statement staging `file` read as `read`. */
async function stagingPlan(file: string, read: NdjsonRead): Promise<string> {
  const staging = ndjsonStaging({}, read);
  try {
    await internalContext(engines.sql).db.transaction(async (tx) => {
      (await StagingWriter.open(tx)).finish();
      const rows = await tx.rows(`EXPLAIN ${stagingInsert(staging)}`, { ...staging.params, path: file });
      throw new RolledBack(rows.map((row) => String(row['explain_value'])).join('\n'));
    });
  } catch (error) {
    if (error instanceof RolledBack) return error.value as string;
    throw error;
  }
  throw new Error('unreachable');
}

describe('An NDJSON file staged in SQL', () => {
  it('is read by one insert with no window over the lines, read as maps or by keys', async () => {
    const file = write('{"external_id":"p-1","title":"T","severity":"LOW","created_at":"2026-01-02"}\n');
    const positions = await sampledKeys(
      internalContext(engines.sql),
      file,
      ndjsonAllowedKeys(undefined, undefined),
    );
    expect(positions).toBeDefined();
    for (const read of [{ as: 'map' }, { as: 'columns', positions: positions! }] as const) {
      const plan = await stagingPlan(file, read);
      // A window (`WITH ORDINALITY` numbering the lines) runs the whole statement on one thread while
      // the caller's thread waits spinning: measured on the 1 M synthetic file, 20 CPU s to stage
      // instead of 10. DuckDB's insert keeps the file's order (the next test).
      expect(plan, read.as).toMatch(/INSERT/);
      expect(plan, read.as).toContain('READ_JSON');
      expect(plan, read.as).not.toMatch(/WINDOW/);
    }
  });

  it('resolves an external id given on many lines to its last line across DuckDB’s read batches', async () => {
    // 2,500 lines of about 9 kB (23 MB): DuckDB reads a file this large in several batches, on both
    // threads (with `preserve_insertion_order` off the same read of 2,000 such lines (18 MB) comes out
    // of order, every row out of place, when tried). Line i gives external id q-(i mod 100) the title t-i.
    const filler = 'x'.repeat(9000);
    const lines: string[] = [];
    for (let i = 0; i < 2500; i++) {
      lines.push(
        JSON.stringify({
          external_id: `q-${i % 100}`,
          title: `t-${i}`,
          severity: 'LOW',
          created_at: '2026-01-02',
          description: filler,
        }),
      );
    }
    const file = write(`${lines.join('\n')}\n`);
    const report = await ingestNdjsonInSql(internalContext(engines.sql), { path: file }, {});
    expect(report).toEqual({ received: 2500, inserted: 100, updated: 0, skipped: 0, errors: [] });
    const rows = (await storedRows(engines.sql, 'q-')) as { external_id: string; title: string }[];
    // The last line of q-k is line 2,400 + k (worked by hand: 2,400 + k < 2,500 and ≡ k mod 100).
    expect(rows.map((r) => [r.external_id, r.title]).sort()).toEqual(
      Array.from({ length: 100 }, (_, k) => [`q-${k}`, `t-${2400 + k}`]).sort(),
    );
  });
});
