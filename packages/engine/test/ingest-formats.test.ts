import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  Dictionary,
  Field,
  Int32,
  List,
  Table,
  TimestampMillisecond,
  tableToIPC,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { type Engine, type IncidentInput, openEngine } from '../src/index.ts';
import { internalContext } from '../src/internal.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'insights-ingest-formats-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const severities = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
const offsets = ['Z', '+02:00', '-05:30', '+00:00'];

/**
 * Deterministic incidents covering nulls, offsets, tags, text that needs CSV quoting (commas,
 * quotes, line breaks) and every optional field. Timestamps are written with offsets; created_at
 * of incident i is 2024-03-01T00:00Z + i hours in UTC whatever offset it is written in.
 */
function fixture(n: number): IncidentInput[] {
  const out: IncidentInput[] = [];
  for (let i = 0; i < n; i++) {
    const created = Date.UTC(2024, 2, 1) + i * 3_600_000;
    const offset = offsets[i % offsets.length]!;
    out.push({
      external_id: `EXT-${String(i).padStart(5, '0')}`,
      title: i % 7 === 0 ? `Disk full, "db-${i}"` : `Incident ${i}`,
      description: i % 5 === 0 ? null : i % 3 === 0 ? `line one\nline two, with comma ${i}` : `plain ${i}`,
      category: i % 4 === 0 ? null : `cat-${i % 3}`,
      subcategory: i % 2 === 0 ? `sub-${i % 5}` : null,
      severity: severities[i % 4]!,
      priority: i % 6 === 0 ? null : (`P${(i % 5) + 1}` as IncidentInput['priority']),
      status: i % 9 === 0 ? 'IN_PROGRESS' : null,
      service: `svc-${i % 4}`,
      team: i % 8 === 0 ? null : `team-${i % 2}`,
      created_at: withOffset(created, offset),
      acknowledged_at: i % 3 === 0 ? null : withOffset(created + 300_000 + i * 1000, offset),
      resolved_at: i % 4 === 1 ? null : withOffset(created + 7_200_000, 'Z'),
      closed_at: i % 5 === 0 ? withOffset(created + 9_000_000, offset) : null,
      escalation_level: i % 3,
      reopen_count: i % 2,
      reassignment_count: i % 4,
      affected_users: i % 3 === 0 ? null : i * 10,
      tags: i % 4 === 0 ? null : i % 4 === 1 ? [] : [`t${i % 3}`, 'shared'],
    });
  }
  return out;
}

/** ISO 8601 text of the instant `ms` written in the given offset. */
function withOffset(ms: number, offset: string): string {
  if (offset === 'Z') return new Date(ms).toISOString();
  const sign = offset.startsWith('-') ? -1 : 1;
  const [h, m] = offset.slice(1).split(':').map(Number);
  const local = new Date(ms + sign * (h! * 60 + m!) * 60_000).toISOString().slice(0, 19);
  return `${local}${offset}`;
}

function toCsv(records: IncidentInput[]): string {
  const fields = Object.keys(records[0]!);
  const cell = (v: unknown) => {
    if (v === null || v === undefined) return '';
    const text = Array.isArray(v) ? (v.length === 0 ? '[]' : v.join(';')) : String(v);
    return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return [
    fields.join(','),
    ...records.map((r) => fields.map((f) => cell((r as Record<string, unknown>)[f])).join(',')),
  ].join('\r\n');
}

function toArrow(records: IncidentInput[], format: 'file' | 'stream'): Uint8Array {
  const col = <T>(f: (r: IncidentInput) => T) => records.map(f);
  const ts = (v: unknown) => (v ? new Date(v as string) : null);
  const table = new Table({
    external_id: vectorFromArray(
      col((r) => r.external_id),
      new Utf8(),
    ),
    title: vectorFromArray(
      col((r) => r.title),
      new Utf8(),
    ),
    description: vectorFromArray(
      col((r) => r.description),
      new Utf8(),
    ),
    category: vectorFromArray(
      col((r) => r.category),
      new Dictionary(new Utf8(), new Int32()),
    ),
    subcategory: vectorFromArray(
      col((r) => r.subcategory),
      new Utf8(),
    ),
    severity: vectorFromArray(
      col((r) => r.severity),
      new Dictionary(new Utf8(), new Int32()),
    ),
    priority: vectorFromArray(
      col((r) => r.priority),
      new Utf8(),
    ),
    status: vectorFromArray(
      col((r) => r.status),
      new Utf8(),
    ),
    service: vectorFromArray(
      col((r) => r.service),
      new Utf8(),
    ),
    team: vectorFromArray(
      col((r) => r.team),
      new Utf8(),
    ),
    created_at: vectorFromArray(
      col((r) => ts(r.created_at)),
      new TimestampMillisecond(),
    ),
    acknowledged_at: vectorFromArray(
      col((r) => ts(r.acknowledged_at)),
      new TimestampMillisecond(),
    ),
    resolved_at: vectorFromArray(
      col((r) => ts(r.resolved_at)),
      new TimestampMillisecond(),
    ),
    closed_at: vectorFromArray(
      col((r) => ts(r.closed_at)),
      new TimestampMillisecond(),
    ),
    escalation_level: vectorFromArray(
      col((r) => r.escalation_level as number),
      new Int32(),
    ),
    reopen_count: vectorFromArray(
      col((r) => r.reopen_count as number),
      new Int32(),
    ),
    reassignment_count: vectorFromArray(
      col((r) => r.reassignment_count as number),
      new Int32(),
    ),
    affected_users: vectorFromArray(
      col((r) => r.affected_users as number | null),
      new Int32(),
    ),
    tags: vectorFromArray(
      col((r) => r.tags),
      new List(new Field('item', new Utf8(), true)),
    ),
  });
  return tableToIPC(table, format);
}

/** Every stored incident without the fields the store assigns, by external id. */
async function stored(engine: Engine) {
  const rows = await internalContext(engine).db.all(
    'SELECT * EXCLUDE (id, ingested_at, updated_at) FROM incidents ORDER BY external_id',
  );
  return rows;
}

describe('every format stores the same incidents', () => {
  const records = fixture(60);
  let reference: Awaited<ReturnType<typeof stored>>;

  it('from JS objects (the reference), with offsets stored as UTC', async () => {
    const engine = await openEngine({ path: ':memory:' });
    const report = await engine.incidents.ingest({ records });
    expect(report).toEqual({ received: 60, inserted: 60, updated: 0, skipped: 0, errors: [] });
    reference = await stored(engine);
    expect(reference).toHaveLength(60);
    // Incident 1 was written with +02:00: 2024-03-01T03:00:00+02:00 is 01:00 UTC (by hand).
    expect(records[1]!.created_at).toBe('2024-03-01T03:00:00+02:00');
    expect(reference[1]!['created_at']).toEqual(new Date('2024-03-01T01:00:00Z'));
    // Incident 2 with -05:30: 2024-03-01T02:00Z is 2024-02-29T20:30:00-05:30.
    expect(records[2]!.created_at).toBe('2024-02-29T20:30:00-05:30');
    expect(reference[2]!['created_at']).toEqual(new Date('2024-03-01T02:00:00Z'));
    // Status defaults from the timestamps unless given; tags survive as lists, [] included.
    expect(reference[0]).toMatchObject({ status: 'IN_PROGRESS', tags: null, description: null });
    expect(reference[1]).toMatchObject({ status: 'ACKNOWLEDGED', tags: [] });
    expect(reference[5]).toMatchObject({ status: 'CLOSED', tags: [] });
    expect(reference[6]).toMatchObject({ status: 'RESOLVED', tags: ['t0', 'shared'] });
    await engine.close();
  });

  const cases: [string, () => Parameters<Engine['incidents']['ingest']>[0]][] = [
    ['a JSON file', () => file('a.json', JSON.stringify(records))],
    ['an NDJSON file', () => file('a.ndjson', records.map((r) => JSON.stringify(r)).join('\n'))],
    [
      'NDJSON bytes',
      () => ({
        data: new TextEncoder().encode(records.map((r) => JSON.stringify(r)).join('\n')),
        format: 'ndjson',
      }),
    ],
    ['a CSV file', () => file('a.csv', toCsv(records))],
    ['CSV text', () => ({ data: toCsv(records), format: 'csv' })],
    ['an Arrow IPC file', () => file('a.arrow', toArrow(records, 'file'))],
    ['Arrow IPC stream bytes', () => ({ data: toArrow(records, 'stream'), format: 'arrow' })],
  ];
  for (const [name, source] of cases) {
    it(`from ${name}`, async () => {
      const engine = await openEngine({ path: ':memory:' });
      const report = await engine.incidents.ingest(source());
      expect(report).toEqual({ received: 60, inserted: 60, updated: 0, skipped: 0, errors: [] });
      expect(await stored(engine)).toEqual(reference);
      await engine.close();
    });
  }

  it('from a Parquet file written by DuckDB, and from its bytes', async () => {
    const writer = await openEngine({ path: ':memory:' });
    await writer.incidents.ingest({ records });
    const parquet = path.join(dir, 'a.parquet');
    await internalContext(writer).db.run(
      `COPY (SELECT * EXCLUDE (id, ingested_at, updated_at) FROM incidents ORDER BY external_id) TO '${parquet}' (FORMAT parquet)`,
    );
    await writer.close();
    for (const source of [
      { path: parquet },
      {
        data: new Uint8Array(await import('node:fs').then((fs) => fs.readFileSync(parquet))),
        format: 'parquet' as const,
      },
    ]) {
      const engine = await openEngine({ path: ':memory:' });
      const report = await engine.incidents.ingest(source);
      expect(report).toEqual({ received: 60, inserted: 60, updated: 0, skipped: 0, errors: [] });
      expect(await stored(engine)).toEqual(reference);
      await engine.close();
    }
  });

  function file(name: string, content: string | Uint8Array) {
    const p = path.join(dir, name);
    writeFileSync(p, content);
    return { path: p };
  }
});

describe('sources longer than one batch', () => {
  it('stream 9,000 CSV and NDJSON records across batch and chunk boundaries to the same rows', async () => {
    const records = fixture(9_000);
    const results = [];
    for (const source of [
      { records },
      { data: toCsv(records), format: 'csv' as const },
      { data: records.map((r) => JSON.stringify(r)).join('\n'), format: 'ndjson' as const },
    ]) {
      const engine = await openEngine({ path: ':memory:' });
      const report = await engine.incidents.ingest(source);
      expect(report.inserted).toBe(9_000);
      results.push(await stored(engine));
      await engine.close();
    }
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
  });
});

describe('Parquet rows checked in SQL', () => {
  const file = path.join(dir, 'tricky.parquet');
  const rowsSql = `SELECT * FROM (VALUES
      ('P1', 'plain', NULL, 'LOW', NULL, TIMESTAMPTZ '2024-01-01 10:00:00.123456+02', NULL::TIMESTAMP, TIMESTAMP '2024-01-01 12:00:00', 1::BIGINT, ['a', 'b']),
      ('P2', '  padded title  ', '', 'HIGH', 'P2', TIMESTAMPTZ '2024-01-02 10:00:00+00', TIMESTAMP '2024-01-02 10:05:00', NULL::TIMESTAMP, NULL::BIGINT, [' x ', '']),
      ('P3', 'Ünïcode títle', 'desc', 'MEDIUM', NULL, TIMESTAMPTZ '2024-01-03 10:00:00+00', NULL::TIMESTAMP, NULL::TIMESTAMP, 0::BIGINT, []::VARCHAR[]),
      ('P4', 'status given', NULL, 'CRITICAL', NULL, TIMESTAMPTZ '2024-01-04 10:00:00+00', NULL::TIMESTAMP, TIMESTAMP '2024-01-04 11:00:00', 2::BIGINT, NULL::VARCHAR[])
    ) AS t(external_id, title, description, severity, priority, created_at, acknowledged_at, resolved_at, reopen_count, tags)`;

  async function parquetVersusObjects(sql: string, skipInvalid = false) {
    const writer = await openEngine({ path: ':memory:' });
    await internalContext(writer).db.run(`COPY (${sql}) TO '${file}' (FORMAT parquet)`);
    // The same rows as JS values (what the schema path sees), through the objects reader.
    const objects = await internalContext(writer).db.all(`SELECT * FROM read_parquet('${file}')`);
    await writer.close();
    const viaSql = await openEngine({ path: ':memory:' });
    const viaJs = await openEngine({ path: ':memory:' });
    try {
      const a = await viaSql.incidents.ingest({ path: file }, { skipInvalid }).catch((e: unknown) => e);
      const b = await viaJs.incidents
        .ingest(
          {
            records: objects.map((o) => ({
              ...o,
              reopen_count: o['reopen_count'] === null ? null : Number(o['reopen_count']),
            })) as never,
          },
          { skipInvalid },
        )
        .catch((e: unknown) => e);
      return { a, b, sqlRows: await stored(viaSql), jsRows: await stored(viaJs) };
    } finally {
      await viaSql.close();
      await viaJs.close();
    }
  }

  it('store exactly what the schema path stores, microseconds, offsets, padding and Unicode included', async () => {
    const { a, b, sqlRows, jsRows } = await parquetVersusObjects(rowsSql);
    expect(a).toEqual({ received: 4, inserted: 4, updated: 0, skipped: 0, errors: [] });
    expect(a).toEqual(b);
    expect(sqlRows).toEqual(jsRows);
    // By hand: 10:00:00.123456+02 is 08:00:00.123Z; the padded title and tags are trimmed.
    expect(sqlRows[0]).toMatchObject({
      created_at: new Date('2024-01-01T08:00:00.123Z'),
      status: 'RESOLVED',
      reopen_count: 1,
    });
    expect(sqlRows[1]).toMatchObject({
      title: 'padded title',
      description: '',
      tags: ['x', ''],
      status: 'ACKNOWLEDGED',
      reopen_count: 0,
    });
    expect(sqlRows[2]).toMatchObject({ title: 'Ünïcode títle', tags: [], status: 'OPEN' });
  });

  it('leave bad rows to the schema, which names them', async () => {
    const bad = rowsSql.replace(
      "('P3', 'Ünïcode títle', 'desc', 'MEDIUM', NULL,",
      "('P3', 'Ünïcode títle', 'desc', 'MEDIUM', 'P9',",
    );
    const { a, b } = await parquetVersusObjects(bad);
    expect(a).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: { errors: [{ row: 3, field: 'priority' }] },
    });
    expect((a as Error).message).toBe((b as Error).message);
    const skipped = await parquetVersusObjects(bad, true);
    expect(skipped.a).toMatchObject({ received: 4, inserted: 3, skipped: 1 });
    expect(skipped.sqlRows).toEqual(skipped.jsRows);
  });
});
