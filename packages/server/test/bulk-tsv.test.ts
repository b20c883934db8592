import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Incident, openEngine } from '@incident-insights/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInsights } from '../../../test/support/run-cli.ts';
import { startServer, type TestServer } from '../../../test/support/test-server.ts';

/**
 * A hand-made TSV: tabs between fields, so a comma is text ("disk full, again") and a quoted field
 * may hold a tab. The same file goes to `insights ingest` and, as a multipart file part named
 * `incidents.tsv` with no media type, to the HTTP bulk endpoint: both read it by its name.
 */
const tsv = [
  ['external_id', 'title', 'severity', 'priority', 'service', 'created_at', 'tags'],
  ['T-1', 'disk full, again', 'HIGH', 'P2', 'api', '2024-01-01T01:00:00Z', 'disk;storage'],
  ['T-2', '"tab\there"', 'LOW', 'P4', 'db', '2024-01-01T02:30:00Z', ''],
  ['T-3', 'login slow', 'CRITICAL', 'P1', 'auth', '2024-01-01T03:45:00Z', 'auth'],
]
  .map((cells) => cells.join('\t'))
  .join('\n');

const dir = mkdtempSync(join(tmpdir(), 'insights-tsv-'));
const file = join(dir, 'incidents.tsv');
const db = join(dir, 'cli.duckdb');
let s: TestServer;

beforeAll(async () => {
  writeFileSync(file, `${tsv}\n`);
  s = await startServer();
});
afterAll(async () => {
  await s?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What an incident holds from the file, without its generated id and bookkeeping times. */
function content(incident: Incident) {
  return {
    external_id: incident.external_id,
    title: incident.title,
    severity: incident.severity,
    priority: incident.priority,
    service: incident.service,
    created_at: incident.created_at.toISOString(),
    tags: incident.tags,
  };
}

describe('a .tsv file, through the CLI and over HTTP', () => {
  it('gives the same three incidents both ways', async () => {
    const form = new FormData();
    form.append('file', new File([`${tsv}\n`], 'incidents.tsv'));
    const response = await s.fetch('/api/incidents/bulk/', { method: 'POST', as: 'analyst', body: form });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ received: 3, inserted: 3, skipped: 0 });

    const run = await runInsights(['--db', db, 'ingest', file, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ received: 3, inserted: 3 });

    const overHttp = (await s.engine.incidents.list({ ordering: 'created_at' })).results.map(content);
    const cli = await openEngine({ path: db });
    const fromCli = (await cli.incidents.list({ ordering: 'created_at' })).results.map(content);
    await cli.close();

    expect(overHttp).toEqual([
      {
        external_id: 'T-1',
        title: 'disk full, again',
        severity: 'HIGH',
        priority: 'P2',
        service: 'api',
        created_at: '2024-01-01T01:00:00.000Z',
        tags: ['disk', 'storage'],
      },
      {
        external_id: 'T-2',
        title: 'tab\there',
        severity: 'LOW',
        priority: 'P4',
        service: 'db',
        created_at: '2024-01-01T02:30:00.000Z',
        tags: null, // an empty cell is no value, as in CSV
      },
      {
        external_id: 'T-3',
        title: 'login slow',
        severity: 'CRITICAL',
        priority: 'P1',
        service: 'auth',
        created_at: '2024-01-01T03:45:00.000Z',
        tags: ['auth'],
      },
    ]);
    expect(fromCli).toEqual(overHttp);
  });

  it('is also accepted as a raw body of type text/tab-separated-values', async () => {
    const response = await s.fetch('/api/incidents/bulk/', {
      method: 'POST',
      as: 'analyst',
      body: tsv.replace(/T-(\d)/g, 'U-$1'),
      headers: { 'Content-Type': 'text/tab-separated-values' },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ received: 3, inserted: 3 });
  });
});
