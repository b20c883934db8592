import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Engine, EngineError, type IncidentInput, openEngine } from '../../../src/index.ts';
import { internalContext } from '../../../src/internal.ts';
import {
  featuresOfFields,
  incidentFeatureCatalogue,
  readIncidentFeatures,
  readTrainingRows,
} from '../../../src/models/features/index.ts';
import type { Database } from '../../../src/store/database.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'insights-features-'));
const allFeatures = incidentFeatureCatalogue.map((feature) => feature.name);
const start = new Date('2024-03-01T00:00:00Z');
const end = new Date('2024-03-15T00:00:00Z');

/** Zero counts for 32 buckets, with the given buckets set. */
function buckets(prefix: string, set: Record<number, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (let k = 0; k < 32; k++) out[`${prefix}_hash_${k}`] = set[k] ?? 0;
  return out;
}

// Hand-made incidents. Bucket numbers: FNV-1a 32-bit of each lower-cased ASCII token, mod 32,
// computed by a separate Python implementation (hash of "foobar" = 0xbf9cf968, the published
// test vector): disk 1163935908 → 4, full 4286165820 → 28, on 1630810064 → 16, db 1461503683 → 3,
// 01 552431802 → 26; usage → 8, at → 8, 95 → 19, var → 30; caf 4168369661 → 29, down 1035581717 → 21.
const incidents: (IncidentInput & { external_id: string })[] = [
  {
    external_id: 'A',
    title: 'Disk full on db-01', // 18 characters; tokens disk, full, on, db, 01
    description: 'Disk usage at 95% on /var', // 25 characters; tokens disk, usage, at, 95, on, var
    category: 'Infrastructure',
    subcategory: 'Storage',
    severity: 'HIGH',
    priority: 'P2',
    service: 'checkout',
    team: 'sre',
    created_at: '2024-03-06T14:30:00Z', // a Wednesday
    resolved_at: '2024-03-06T17:00:00Z', // 2.5 hours later
    escalation_level: 1,
    reopen_count: 1,
    reassignment_count: 2,
    affected_users: 150,
  },
  {
    external_id: 'B',
    title: 'Café down: café DOWN!', // 21 code points; tokens caf, down, caf, down (é separates)
    severity: 'LOW',
    service: 'checkout',
    created_at: '2024-03-10T23:59:00Z', // a Sunday
  },
  {
    external_id: 'C',
    title: '😀 emoji outage', // 14 code points (the emoji is one)
    description: '',
    severity: 'CRITICAL',
    team: 'dba',
    created_at: '2024-03-08T00:00:00Z', // a Friday
    resolved_at: '2024-03-08T01:30:00Z',
  },
  { external_id: 'E', title: 'first', severity: 'MEDIUM', created_at: '2024-03-01T00:00:00Z' }, // at start: in
  {
    external_id: 'F',
    title: 'at end',
    severity: 'MEDIUM',
    created_at: '2024-03-15T00:00:00Z',
    escalation_level: 2,
  }, // at end: out
  { external_id: 'D', title: 'later', severity: 'MEDIUM', created_at: '2024-03-20T00:00:00Z' },
];

let engine: Engine;
let db: Database;
let ids: Map<string, string>;

beforeAll(async () => {
  engine = await openEngine({
    path: path.join(dir, 'features.duckdb'),
    now: () => new Date('2024-04-01T00:00:00Z'),
  });
  db = internalContext(engine).db;
  const report = await engine.incidents.ingest({ records: incidents });
  expect(report.inserted).toBe(incidents.length);
  const rows = await db.all<{ id: string; external_id: string }>(
    'SELECT id::VARCHAR AS id, external_id FROM incidents',
  );
  ids = new Map(rows.map((row) => [row.external_id, row.id]));
  // Two cost analyses of A (100.50 + 20.25 = 120.75), none of the others.
  for (const [amount, type] of [
    ['100.50', 'DOWNTIME'],
    ['20.25', 'RESOURCE_COST'],
  ] as const) {
    await db.run(
      `INSERT INTO cost_analyses (id, incident_id, cost_type, cost_amount, created_at, updated_at)
       VALUES (uuid(), $incident::UUID, $type, $amount::DECIMAL(18, 2), $now, $now)`,
      { incident: ids.get('A') ?? '', type, amount, now: new Date('2024-03-07T00:00:00Z') },
    );
  }
});

afterAll(async () => {
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

const expectedA = {
  title_length: 18,
  description_length: 25,
  category: 'Infrastructure',
  subcategory: 'Storage',
  service: 'checkout',
  team: 'sre',
  priority: 'P2',
  severity: 'HIGH',
  hour_of_day: 14,
  day_of_week: 2,
  reassignment_count: 2,
  reopen_count: 1,
  affected_users: 150,
  ...buckets('title', { 3: 1, 4: 1, 16: 1, 26: 1, 28: 1 }),
  ...buckets('description', { 4: 1, 8: 2, 16: 1, 19: 1, 30: 1 }),
};
const expectedB = {
  title_length: 21,
  description_length: 0,
  category: null,
  subcategory: null,
  service: 'checkout',
  team: null,
  priority: null,
  severity: 'LOW',
  hour_of_day: 23,
  day_of_week: 6,
  reassignment_count: 0,
  reopen_count: 0,
  affected_users: null,
  ...buckets('title', { 21: 2, 29: 2 }),
  ...buckets('description', {}),
};

describe('incident features', () => {
  it('computes every catalogue feature of hand-made incidents as worked by hand', async () => {
    const read = await readIncidentFeatures(db, [ids.get('A') ?? '', ids.get('B') ?? ''], allFeatures);
    expect(read.ids).toEqual([ids.get('A'), ids.get('B')]);
    expect(read.rows).toEqual([expectedA, expectedB]);
    const c = await readIncidentFeatures(
      db,
      [ids.get('C') ?? ''],
      ['title_length', 'description_length', 'day_of_week', 'hour_of_day'],
    );
    expect(c.rows).toEqual([{ title_length: 14, description_length: 0, day_of_week: 4, hour_of_day: 0 }]);
  });

  it('gives the same values for incident fields sent to predict as for the stored incident', async () => {
    for (const incident of incidents) {
      const stored = await readIncidentFeatures(db, [ids.get(incident.external_id) ?? ''], allFeatures);
      expect(featuresOfFields(incident, allFeatures)).toEqual(stored.rows[0]);
    }
    // Fields as a client sends them: a local date-time is UTC, text is trimmed as at ingestion.
    expect(
      featuresOfFields({ title: '  Disk full on db-01 ', created_at: '2024-03-06T14:30' }, [
        'title_length',
        'hour_of_day',
      ]),
    ).toEqual({ title_length: 18, hour_of_day: 14 });
    // A Date is read as it is; without created_at the calendar features are missing.
    expect(
      featuresOfFields({ created_at: new Date('2024-03-10T23:59:00Z') }, ['day_of_week', 'hour_of_day']),
    ).toEqual({
      day_of_week: 6,
      hour_of_day: 23,
    });
    expect(featuresOfFields({ title: 'x' }, ['day_of_week', 'title_hash'])).toEqual({
      day_of_week: null,
      ...buckets('title', { 7: 1 }), // FNV-1a("x") mod 32 = 7 (Python)
    });
  });

  it('refuses fields that are not incident fields or are invalid, naming them', () => {
    const error = (() => {
      try {
        featuresOfFields({ title: 'x', colour: 'red', severity: 'SEVERE', affected_users: -1 }, [
          'title_length',
        ]);
      } catch (caught) {
        return caught as EngineError;
      }
      throw new Error('expected an error');
    })();
    expect(error).toBeInstanceOf(EngineError);
    expect(error.code).toBe('VALIDATION_ERROR');
    const fields = (error.details as { errors: { field: string }[] }).errors.map((e) => e.field).sort();
    expect(fields).toEqual(['affected_users', 'colour', 'severity']);
    // A name outside the catalogue is refused before anything is computed.
    expect(() => featuresOfFields({ title: 'x' }, ['title_length', 'colour'])).toThrow(
      /unknown incident features: colour/,
    );
    // Incident fields that are not features are accepted and not read.
    expect(featuresOfFields({ title: 'ab', status: 'OPEN', external_id: 'X' }, ['title_length'])).toEqual({
      title_length: 2,
    });
  });

  it('keeps the order of the ids asked for, leaves unknown ones out and refuses ids that are not UUIDs', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    const read = await readIncidentFeatures(
      db,
      [ids.get('C') ?? '', unknown, ids.get('A') ?? ''],
      ['severity'],
    );
    expect(read).toEqual({
      ids: [ids.get('C'), ids.get('A')],
      rows: [{ severity: 'CRITICAL' }, { severity: 'HIGH' }],
    });
    await expect(readIncidentFeatures(db, ['1; DROP TABLE incidents'], ['severity'])).rejects.toThrow(
      /must be UUIDs/,
    );
    await expect(readIncidentFeatures(db, [unknown], ['nonsense'])).rejects.toThrow(
      /unknown incident features: nonsense/,
    );
  });
});

describe('readTrainingRows', () => {
  it('reads incidents created in [start, end), ordered by created_at, with the target', async () => {
    const read = await readTrainingRows(db, {
      modelType: 'ESCALATION_PREDICTION',
      features: ['severity', 'title_hash'],
      target: 'escalated',
      start,
      end,
    });
    // E (at start, in), A, C, B; F (at end) and D (after) out.
    expect(Array.from(read.createdAt)).toEqual(
      ['2024-03-01T00:00:00Z', '2024-03-06T14:30:00Z', '2024-03-08T00:00:00Z', '2024-03-10T23:59:00Z'].map(
        Date.parse,
      ),
    );
    expect(read.rows.map((row) => [row['severity'], row['escalated']])).toEqual([
      ['MEDIUM', 'false'],
      ['HIGH', 'true'],
      ['CRITICAL', 'false'],
      ['LOW', 'false'],
    ]);
    expect(read.featureNames).toEqual(['severity', ...Object.keys(buckets('title', {}))]);
    expect(read.rows[1]).toEqual({
      severity: 'HIGH',
      ...buckets('title', { 3: 1, 4: 1, 16: 1, 26: 1, 28: 1 }),
      escalated: 'true',
    });
  });

  it('reads only resolved incidents for resolution time, in hours', async () => {
    const read = await readTrainingRows(db, {
      modelType: 'RESOLUTION_TIME_PREDICTION',
      features: ['team'],
      target: 'resolution_hours',
      start,
      end,
    });
    expect(read.rows).toEqual([
      { team: 'sre', resolution_hours: 2.5 },
      { team: 'dba', resolution_hours: 1.5 },
    ]);
  });

  it('reads only incidents with cost analyses for cost, summing them', async () => {
    const read = await readTrainingRows(db, {
      modelType: 'COST_PREDICTION',
      features: ['service'],
      target: 'cost_amount',
      start,
      end,
    });
    expect(read.rows).toEqual([{ service: 'checkout', cost_amount: 120.75 }]);
  });

  it('builds SQL only from catalogue names: a name carrying SQL is refused and changes nothing', async () => {
    await expect(
      readTrainingRows(db, {
        modelType: 'SEVERITY_PREDICTION',
        features: ['title_length FROM incidents; DELETE FROM incidents; --'],
        target: 'severity',
        start,
        end,
      }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
      message: expect.stringContaining('unknown incident features'),
    });
    expect(await engine.incidents.count()).toBe(incidents.length);
  });

  it('refuses a feature known only later, a target of another type, the target as a feature and an empty window', async () => {
    const base = { modelType: 'SEVERITY_PREDICTION' as const, target: 'severity', start, end };
    await expect(readTrainingRows(db, { ...base, features: ['reopen_count'] })).rejects.toThrow(
      /reopen_count is known only after the incident is opened/,
    );
    await expect(
      readTrainingRows(db, { ...base, features: ['team'], target: 'cost_amount' }),
    ).rejects.toThrow(/not a per-incident target of SEVERITY_PREDICTION; valid: severity/);
    await expect(readTrainingRows(db, { ...base, features: ['severity'] })).rejects.toThrow(
      /cannot also be a feature/,
    );
    await expect(readTrainingRows(db, { ...base, features: ['team'], end: start })).rejects.toThrow(
      /end after start/,
    );
    await expect(
      readTrainingRows(db, {
        ...base,
        modelType: 'INCIDENT_PREDICTION',
        features: ['team'],
        target: 'incident_count',
      }),
    ).rejects.toThrow(/not a per-incident target/);
  });
});
