import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { type IncidentInput, severities } from '@incident-insights/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/test-server.ts';

/**
 * 250 incidents, one an hour from 2024-01-01T00:00Z. Incident i has severity severities[i % 4],
 * service svc-(i % 5), and a title starting "Database outage" when i % 10 == 0 (25 of them).
 */
function fixture(): IncidentInput[] {
  return Array.from({ length: 250 }, (_, i) => ({
    external_id: `INC-${String(i).padStart(4, '0')}`,
    title: i % 10 === 0 ? `Database outage ${i}` : `Incident ${i}`,
    description: `generated incident number ${i}`,
    severity: severities[i % 4] ?? 'LOW',
    service: `svc-${i % 5}`,
    created_at: new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString(),
  }));
}

interface PageBody {
  count: number;
  next: string | null;
  previous: string | null;
  results: { id: string; external_id: string; title: string; created_at: string; severity: string }[];
}

describe('/api/incidents/', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({
      populate: (engine) => engine.incidents.ingest({ records: fixture() }).then(() => {}),
    });
  });
  afterAll(() => s.close());

  const list = async (query: string): Promise<{ status: number; body: PageBody }> => {
    const res = await s.fetch(`/api/incidents/${query}`, { as: 'viewer' });
    return { status: res.status, body: (await res.json()) as PageBody };
  };

  it('pages with page_size 100, clamps 101 to 100, ends on the last page and 404s past it', async () => {
    const first = await list('?page_size=100');
    expect(first.status).toBe(200);
    expect(first.body.count).toBe(250);
    expect(first.body.results).toHaveLength(100);
    expect(first.body.previous).toBeNull();
    expect(first.body.next).toBe(`${s.url}/api/incidents/?page_size=100&page=2`);

    const clamped = await list('?page_size=101');
    expect(clamped.body.results).toHaveLength(100);

    const last = await list('?page_size=100&page=3');
    expect(last.body.results).toHaveLength(50); // 250 - 2 * 100
    expect(last.body.next).toBeNull();
    expect(last.body.previous).toBe(`${s.url}/api/incidents/?page_size=100&page=2`);

    const second = await list('?page=2&page_size=100');
    expect(second.body.previous).toBe(`${s.url}/api/incidents/?page_size=100`); // DRF: page 1 has no page=

    const past = await s.fetch('/api/incidents/?page_size=100&page=4', { as: 'viewer' });
    expect(past.status).toBe(404);
    expect(await past.json()).toMatchObject({ code: 'NOT_FOUND', error: 'Invalid page.' });
  });

  it('defaults to 20 a page and keeps other parameters in the links', async () => {
    const page = await list('?severity=HIGH,CRITICAL&search=incident');
    expect(page.body.results).toHaveLength(20);
    // HIGH and CRITICAL are i % 4 in {2, 3}: 62 + 62 of i < 250 (by hand); every description has "incident".
    expect(page.body.count).toBe(124);
    const next = new URL(page.body.next ?? '');
    expect(next.searchParams.get('severity')).toBe('HIGH,CRITICAL');
    expect(next.searchParams.get('search')).toBe('incident');
    expect(next.searchParams.get('page')).toBe('2');
  });

  it('refuses bad list parameters with a 400 naming the parameter', async () => {
    for (const [query, parameter] of [
      ['?page_size=0', 'page_size'],
      ['?page=abc', 'page'],
      ['?created_after=yesterday', 'created_after'],
      ['?severity=SEVERE', 'severity'],
      ['?ordering=password', 'ordering'],
    ] as const) {
      const res = await s.fetch(`/api/incidents/${query}`, { as: 'viewer' });
      expect(res.status, query).toBe(400);
      const body = (await res.json()) as { error: string; details: { parameter: string }; code: string };
      expect(body.code).toBe('VALIDATION_ERROR');
      expect(body.details.parameter).toBe(parameter);
    }
  });

  it('orders ascending and descending and searches title and description', async () => {
    const asc = await list('?ordering=created_at&page_size=3');
    expect(asc.body.results.map((r) => r.external_id)).toEqual(['INC-0000', 'INC-0001', 'INC-0002']);
    const desc = await list('?ordering=-created_at&page_size=2');
    expect(desc.body.results.map((r) => r.external_id)).toEqual(['INC-0249', 'INC-0248']);
    const search = await list('?search=DATABASE&page_size=100');
    expect(search.body.count).toBe(25); // i % 10 == 0 for i < 250
    const window = await list('?created_after=2024-01-02T00:00:00Z&created_before=2024-01-03');
    expect(window.body.count).toBe(24); // hours 24..47
  });

  it('creates, reads, changes and deletes one incident with the right roles', async () => {
    const input = { title: 'Disk full', severity: 'HIGH', created_at: '2024-03-01T10:00:00+02:00' };
    const denied = await s.fetch('/api/incidents/', { method: 'POST', as: 'viewer', json: input });
    expect(denied.status).toBe(403);
    expect(await s.engine.incidents.count()).toBe(250);

    const created = await s.fetch('/api/incidents/', { method: 'POST', as: 'analyst', json: input });
    expect(created.status).toBe(201);
    const incident = (await created.json()) as { id: string; created_at: string; status: string };
    expect(incident.created_at).toBe('2024-03-01T08:00:00.000Z'); // +02:00 stored as UTC
    expect(incident.status).toBe('OPEN');

    const patched = await s.fetch(`/api/incidents/${incident.id}/`, {
      method: 'PATCH',
      as: 'analyst',
      json: { resolved_at: '2024-03-01T09:00:00Z' },
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({
      status: 'RESOLVED',
      resolved_at: '2024-03-01T09:00:00.000Z',
    });

    const badPatch = await s.fetch(`/api/incidents/${incident.id}`, {
      method: 'PATCH',
      as: 'analyst',
      json: { resolved_at: '2024-02-01T00:00:00Z' },
    });
    expect(badPatch.status).toBe(400);

    expect(
      (await s.fetch(`/api/incidents/${incident.id}/`, { method: 'DELETE', as: 'analyst' })).status,
    ).toBe(403);
    expect((await s.fetch(`/api/incidents/${incident.id}/`, { method: 'DELETE', as: 'admin' })).status).toBe(
      204,
    );
    const gone = await s.fetch(`/api/incidents/${incident.id}/`, { as: 'viewer' });
    expect(gone.status).toBe(404);
    expect(await gone.json()).toMatchObject({ code: 'NOT_FOUND' });
    expect(await s.engine.incidents.count()).toBe(250);
  });
});

describe('POST /api/incidents/bulk/', () => {
  let s: TestServer;
  let dir: string;
  beforeAll(async () => {
    s = await startServer();
    dir = mkdtempSync(join(tmpdir(), 'bulk-'));
  });
  afterAll(async () => {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (body: BodyInit, type: string, query = '') =>
    s.fetch(`/api/incidents/bulk/${query}`, {
      method: 'POST',
      as: 'analyst',
      body,
      headers: { 'Content-Type': type },
    });

  it('ingests a JSON array and upserts by external id on a second upload', async () => {
    const rows = [
      { external_id: 'J-1', title: 'one', severity: 'LOW', created_at: '2024-01-01T00:00:00Z' },
      { external_id: 'J-2', title: 'two', severity: 'HIGH', created_at: '2024-01-01T01:00:00Z' },
    ];
    const first = await post(JSON.stringify(rows), 'application/json');
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({
      received: 2,
      inserted: 2,
      updated: 0,
      skipped: 0,
      errors: [],
    });
    const again = await post(JSON.stringify(rows), 'application/json');
    expect(await again.json()).toMatchObject({ received: 2, inserted: 0, updated: 2 });
  });

  it('ingests NDJSON and CSV, and CSV as a multipart file with a column mapping', async () => {
    const ndjson = [
      { external_id: 'N-1', title: 'n1', severity: 'MEDIUM', created_at: '2024-01-02T00:00:00Z' },
      { external_id: 'N-2', title: 'n2', severity: 'MEDIUM', created_at: '2024-01-02T00:00:00Z' },
    ]
      .map((r) => JSON.stringify(r))
      .join('\n');
    expect(await (await post(ndjson, 'application/x-ndjson')).json()).toMatchObject({ inserted: 2 });

    const csv = 'external_id,title,severity,created_at\nC-1,c1,LOW,2024-01-03T00:00:00Z\n';
    expect(await (await post(csv, 'text/csv; charset=utf-8')).json()).toMatchObject({ inserted: 1 });

    const form = new FormData();
    form.set(
      'file',
      new File(['Ref,Summary,severity,created_at\nM-1,mapped,LOW,2024-01-04\n'], 'x.csv', {
        type: 'text/csv',
      }),
    );
    form.set('column_mapping', JSON.stringify({ external_id: 'Ref', title: 'Summary' }));
    const multipart = await s.fetch('/api/incidents/bulk/', { method: 'POST', as: 'analyst', body: form });
    expect(multipart.status).toBe(200);
    expect(await multipart.json()).toMatchObject({ inserted: 1 });
    const page = await s.fetch('/api/incidents/?search=mapped', { as: 'viewer' });
    expect(((await page.json()) as PageBody).results[0]?.external_id).toBe('M-1');
  });

  it('ingests a Parquet upload', async () => {
    const file = join(dir, 'incidents.parquet');
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    await conn.run(
      `COPY (SELECT 'P-' || i AS external_id, 'parquet ' || i AS title, 'CRITICAL' AS severity,
        TIMESTAMP '2024-02-01' + INTERVAL (i) HOUR AS created_at FROM range(3) t(i)) TO '${file}' (FORMAT parquet)`,
    );
    conn.closeSync();
    db.closeSync();
    const res = await post(readFileSync(file), 'application/vnd.apache.parquet');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ received: 3, inserted: 3 });
  });

  it('writes nothing when one row is bad and names the row, unless skip_invalid', async () => {
    const before = await s.engine.incidents.count();
    const csv = [
      'external_id,title,severity,created_at',
      'B-1,fine,LOW,2024-01-05T00:00:00Z',
      'B-2,bad severity,SEVERE,2024-01-05T00:00:00Z',
      'B-3,fine,LOW,2024-01-05T00:00:00Z',
    ].join('\n');
    const res = await post(csv, 'text/csv');
    expect(res.status).toBe(400);
    const body = (await res.json()) as {
      code: string;
      details: { errors: { row: number; field: string }[] };
    };
    expect(body.code).toBe('VALIDATION_ERROR');
    expect(body.details.errors).toEqual([expect.objectContaining({ row: 2, field: 'severity' })]);
    expect(await s.engine.incidents.count()).toBe(before);

    const skipped = await post(csv, 'text/csv', '?skip_invalid=true');
    expect(await skipped.json()).toMatchObject({ received: 3, inserted: 2, skipped: 1 });
    expect(await s.engine.incidents.count()).toBe(before + 2);
  });

  it('refuses other media types with 415 and viewers with 403', async () => {
    const res = await post('hello', 'text/plain');
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    const viewer = await s.fetch('/api/incidents/bulk/', {
      method: 'POST',
      as: 'viewer',
      body: '[]',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(viewer.status).toBe(403);
  });
});
