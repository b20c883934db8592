/**
 * `bench/incident-point-reads.ts` on a small file: both sides run, only the indexed one reads by
 * index, both answer the same, and the table's figures and gains are what they say.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSyntheticParquet } from '@incident-insights/engine/synth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureSide, p99, type SideResult } from '../bench/incident-point-reads/measure.ts';
import { figure, ratio, resultTable } from '../bench/incident-point-reads/table.ts';
import { incidentByIdSql } from '../packages/engine/src/incidents/incident-service.ts';

describe('the point-read benchmark on 2,000 incidents', () => {
  const dir = mkdtempSync(join(tmpdir(), 'point-reads-bench-'));
  const end = new Date('2026-06-01T00:00:00Z');
  const sides: SideResult[] = [];
  beforeAll(async () => {
    const parquet = join(dir, 'incidents.parquet');
    await writeSyntheticParquet(parquet, {
      seed: 1,
      count: 2000,
      days: 10,
      end,
      anomalies: false,
      recurring: false,
    });
    for (const mode of ['without-index', 'with-index'] as const) {
      const options = {
        mode,
        parquet,
        // The same file again: every row is known, so the upsert takes the MERGE path.
        upsertParquet: parquet,
        database: join(dir, `${mode}.duckdb`),
        reads: 10,
        concurrentReads: 10,
        concurrency: 4,
        writes: 3,
        now: end,
      };
      sides.push(await measureSide(options, incidentByIdSql));
    }
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads by index scan with the index only, and answers the same on both sides', () => {
    const [without, withIndex] = sides as [SideResult, SideResult];
    expect([without.pointReadScan, withIndex.pointReadScan]).toEqual(['Sequential Scan', 'Index Scan']);
    expect(withIndex.answersDigest).toBe(without.answersDigest);
    for (const side of sides) {
      expect(side.incidents).toBe(2000);
      expect([side.coldRead.count, side.warmRead.count, side.concurrentRead.count]).toEqual([10, 10, 10]);
      expect([side.update.count, side.delete.count]).toEqual([3, 3]);
      // 2,000 rows upserted: 1,997 known (MERGE) and the 3 deleted ones inserted again.
      expect(side.upsert.rows).toBe(2000);
    }
    expect(without.createIndex).toBeDefined();
    expect(withIndex.createIndex).toBeUndefined();
    const table = resultTable(without, withIndex);
    expect(table).toContain("| point read's scan (EXPLAIN ANALYZE) | Sequential Scan | Index Scan | |");
    // Every line a row of the four columns (header, separator, 26 measures).
    const lines = table.split('\n');
    expect(lines).toHaveLength(28);
    for (const line of lines) expect(line.split('|')).toHaveLength(6);
  });
});

describe('the figures', () => {
  it('takes the 99th percentile by nearest rank', () => {
    // 1..200: rank ceil(0.99 × 200) = 198; one value: itself.
    expect(p99(Array.from({ length: 200 }, (_, i) => 200 - i))).toBe(198);
    expect(p99([7])).toBe(7);
  });

  it('prints three significant digits, whole numbers from 100, and gains as ratios', () => {
    expect([figure(0.027_84), figure(3.4321), figure(43.04), figure(1234.6)]).toEqual([
      '0.0278',
      '3.43',
      '43.0',
      '1235',
    ]);
    expect([ratio(40, 2), ratio(1, 3), ratio(1, 0), ratio(undefined, 1)]).toEqual([
      '20.0x',
      '0.333x',
      '—',
      '—',
    ]);
  });
});
