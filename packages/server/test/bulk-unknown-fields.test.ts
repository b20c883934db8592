import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/test-server.ts';

interface ErrorBody {
  error: string;
  code: string;
  details: { errors?: { row: number; line?: number; field: string; message: string }[]; columns?: string[] };
}

describe('POST /api/incidents/bulk/ with fields outside the incident schema', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({
      populate: (engine) =>
        engine.incidents
          .ingest({
            records: [{ external_id: 'OLD', title: 'kept', severity: 'LOW', created_at: '2024-01-01' }],
          })
          .then(() => {}),
    });
  });
  afterAll(() => s.close());

  const post = (body: BodyInit, type: string, query = '') =>
    s.fetch(`/api/incidents/bulk/${query}`, {
      method: 'POST',
      as: 'analyst',
      body,
      headers: { 'Content-Type': type },
    });
  const count = () => s.engine.incidents.count();
  const good = { external_id: 'J-1', title: 'one', severity: 'LOW', created_at: '2024-01-02T00:00:00Z' };
  const misspelt = {
    external_id: 'J-2',
    title: 'two',
    severity: 'HIGH',
    created_at: '2024-01-02T01:00:00Z',
    resolution_note: 'x',
  };

  it('refuses a JSON row with an unknown field by row and field name, writing nothing', async () => {
    const res = await post(JSON.stringify([good, misspelt]), 'application/json');
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(body).toMatchObject({ code: 'VALIDATION_ERROR', error: '1 invalid row, nothing was written' });
    expect(body.details.errors).toEqual([
      {
        row: 2,
        field: 'resolution_note',
        message: expect.stringMatching(/^unknown field \(accepted: id, external_id, /),
      },
    ]);
    expect(await count()).toBe(1);
  });

  it('refuses an NDJSON row with an unknown field by its line, and skips it only with skip_invalid', async () => {
    const ndjson = [JSON.stringify(good), JSON.stringify(misspelt)].join('\n');
    const refused = await post(ndjson, 'application/x-ndjson');
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as ErrorBody).details.errors).toMatchObject([
      { row: 2, line: 2, field: 'resolution_note' },
    ]);
    expect(await count()).toBe(1);
    const skipped = await post(ndjson, 'application/x-ndjson', '?skip_invalid=true');
    expect(skipped.status).toBe(200);
    expect(await skipped.json()).toMatchObject({
      received: 2,
      inserted: 1,
      skipped: 1,
      errors: [{ row: 2, line: 2, field: 'resolution_note' }],
    });
    expect(await count()).toBe(2);
  });

  it('refuses a CSV column that is neither a field nor mapped, and reads it once ignored or mapped', async () => {
    const csv = 'external_id,title,severity,created_at,Owner\nC-1,c1,LOW,2024-01-03T00:00:00Z,ann\n';
    const refused = await post(csv, 'text/csv');
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as ErrorBody;
    expect(body.error).toMatch(
      /^column "Owner" is not an incident field \(accepted: .+\): map each to an incident field or ignore it by name/,
    );
    expect(body.details.columns).toEqual(['Owner']);
    expect(await count()).toBe(2);

    const ignored = await post(csv, 'text/csv', `?ignore_columns=${encodeURIComponent('["Owner"]')}`);
    expect(ignored.status).toBe(200);
    expect(await ignored.json()).toMatchObject({ inserted: 1 });

    const form = new FormData();
    form.set('file', new File([csv.replace('C-1', 'C-2')], 'x.csv', { type: 'text/csv' }));
    form.set('column_mapping', JSON.stringify({ team: 'Owner' }));
    const mapped = await s.fetch('/api/incidents/bulk/', { method: 'POST', as: 'analyst', body: form });
    expect(mapped.status).toBe(200);
    const { results } = await s.engine.incidents.list({ filters: { team: 'ann' } });
    expect(results.map((i) => i.external_id)).toEqual(['C-2']);
  });

  it('refuses ignore_columns that is not a JSON array of names', async () => {
    const res = await post('[]', 'application/json', '?ignore_columns=Owner');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      code: 'VALIDATION_ERROR',
      error: 'Invalid parameter ignore_columns: must be a JSON array of column names',
    });
  });
});
