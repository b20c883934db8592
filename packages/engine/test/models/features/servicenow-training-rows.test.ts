import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Engine, openEngine } from '../../../src/index.ts';
import { internalContext } from '../../../src/internal.ts';
import { defaultFeatures, readTrainingRows } from '../../../src/models/features/index.ts';
import { textTokens } from '../../../src/models/features/text-hash.ts';

const zip = path.resolve(import.meta.dirname, '../../../../..', '../shared/data/incident_event_log.zip');
const dir = mkdtempSync(path.join(tmpdir(), 'insights-features-servicenow-'));
const everything = { start: new Date('2016-01-01T00:00:00Z'), end: new Date('2018-01-01T00:00:00Z') };
let engine: Engine;

beforeAll(async () => {
  engine = await openEngine({
    path: path.join(dir, 'servicenow.duckdb'),
    now: () => new Date('2026-01-01T00:00:00Z'),
    workers: { threads: 1 },
  });
  await engine.incidents.ingest({ path: zip, format: 'servicenow' });
}, 120_000);
afterAll(async () => {
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

/*
 * Reference figures from /usr/bin/python3 with pandas on the raw CSV (na_values='?'), one row per
 * incident from its last event (events sorted by number, sys_updated_at day-first, sys_mod_count,
 * file order), opened_at and resolved_at parsed day-first: 24,918 incidents; 23,362 with
 * resolved_at ≥ opened_at, mean (resolved_at − opened_at) 178.1715820563308 h; opened in March
 * 2016 and so resolved: 8,221, mean 240.8388355025747 h; opened_at.dt.dayofweek counts
 * {0: 5947, 1: 4951, 2: 4884, 3: 4105, 4: 3829, 5: 639, 6: 563}.
 */
describe('training rows of the UCI ServiceNow event log', () => {
  it('reads the resolved incidents for resolution time, oldest first, with the hours pandas computes', async () => {
    const db = internalContext(engine).db;
    const read = await readTrainingRows(db, {
      modelType: 'RESOLUTION_TIME_PREDICTION',
      features: ['category', 'priority', 'hour_of_day'],
      target: 'resolution_hours',
      ...everything,
    });
    expect(read.rows.length).toBe(23_362);
    const mean = read.rows.reduce((sum, row) => sum + Number(row['resolution_hours']), 0) / read.rows.length;
    expect(mean).toBeCloseTo(178.1715820563308, 9);
    for (let i = 1; i < read.createdAt.length; i++) {
      expect(read.createdAt[i] as number).toBeGreaterThanOrEqual(read.createdAt[i - 1] as number);
    }
  }, 60_000);

  it('respects the window [start, end)', async () => {
    const db = internalContext(engine).db;
    const start = new Date('2016-03-01T00:00:00Z');
    const end = new Date('2016-04-01T00:00:00Z');
    const read = await readTrainingRows(db, {
      modelType: 'RESOLUTION_TIME_PREDICTION',
      features: ['team'],
      target: 'resolution_hours',
      start,
      end,
    });
    expect(read.rows.length).toBe(8_221);
    const mean = read.rows.reduce((sum, row) => sum + Number(row['resolution_hours']), 0) / read.rows.length;
    expect(mean).toBeCloseTo(240.8388355025747, 9);
    expect(read.createdAt[0]).toBeGreaterThanOrEqual(start.getTime());
    expect(read.createdAt.at(-1)).toBeLessThan(end.getTime());
  }, 60_000);

  it('reads every incident for severity with the default features, hashed text included', async () => {
    const db = internalContext(engine).db;
    const read = await readTrainingRows(db, {
      modelType: 'SEVERITY_PREDICTION',
      features: defaultFeatures.SEVERITY_PREDICTION,
      target: 'severity',
      ...everything,
    });
    expect(read.rows.length).toBe(24_918);
    // 10 scalar features and 2 × 32 hash buckets.
    expect(read.featureNames.length).toBe(10 + 64);
    const weekdays = [0, 0, 0, 0, 0, 0, 0];
    for (const row of read.rows)
      weekdays[row['day_of_week'] as number] = (weekdays[row['day_of_week'] as number] ?? 0) + 1;
    expect(weekdays).toEqual([5947, 4951, 4884, 4105, 3829, 639, 563]);
    // The bucket counts of a row add up to its title's tokens (titles: category / subcategory / symptom).
    const titles = await db.all<{ title: string }>(
      'SELECT title FROM incidents ORDER BY created_at, id LIMIT 50',
    );
    titles.forEach(({ title }, i) => {
      const row = read.rows[i] ?? {};
      let sum = 0;
      for (let k = 0; k < 32; k++) sum += Number(row[`title_hash_${k}`]);
      expect(sum).toBe(textTokens(title).length);
    });
  }, 60_000);
});
