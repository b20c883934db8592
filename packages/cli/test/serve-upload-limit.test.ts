/**
 * `insights serve --upload-limit <MiB>`: the largest body of a bulk upload. A bad value is refused
 * in one line before anything is opened; a body above the limit is answered 413 in the spec's
 * error form and writes nothing; the same body under a raised limit is ingested.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInsights } from '../../../test/support/run-cli.ts';
import { listeningUrl, printed, type ServeProcess, spawnServe } from '../../../test/support/serve-process.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'insights-upload-limit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const mebibyte = 1024 * 1024;

/**
 * A CSV of 6,000 incidents with 199-character titles: the 38-byte header and 6,000 rows of 233
 * bytes (id 7, title 199, severity 3, date 20, three commas and a newline), 1,398,038 bytes in all
 * (1.33 MiB): above a 1 MiB limit and under a 2 MiB one.
 */
const rows = 6000;
const body = [
  'external_id,title,severity,created_at',
  ...Array.from(
    { length: rows },
    (_, i) => `U-${String(i).padStart(5, '0')},${'Disk full '.repeat(20).trim()},LOW,2026-01-02T03:04:05Z`,
  ),
  '',
].join('\n');

/** A running `insights serve` on an empty database: its process, URL and the admin token it printed. */
interface Serving {
  readonly served: ServeProcess;
  readonly url: string;
  readonly token: string;
}

/** Starts `insights serve --port 0 --upload-limit <mib>` on a new database. */
async function startServe(db: string, mib: string): Promise<Serving> {
  const served = spawnServe(db, ['--no-schedule', '--upload-limit', mib]);
  // The token (stdout) and the address (stderr) come on two pipes, in either order.
  const [url, token] = await Promise.all([listeningUrl(served), printed(served, 'stdout', /^(ii_\S+)$/m)]);
  return { served, url, token };
}

async function stop(server: Serving): Promise<void> {
  server.served.child.kill('SIGTERM');
  await server.served.exited;
}

function postBulk(server: Serving): Promise<Response> {
  return fetch(`${server.url}/api/incidents/bulk/`, {
    method: 'POST',
    headers: { Authorization: `Token ${server.token}`, 'Content-Type': 'text/csv' },
    body,
  });
}

async function incidentCount(server: Serving): Promise<number> {
  const page = await fetch(`${server.url}/api/incidents/?page_size=1`, {
    headers: { Authorization: `Token ${server.token}` },
  });
  return ((await page.json()) as { count: number }).count;
}

describe('insights serve --upload-limit', () => {
  // Two servers on two new databases, started side by side: 1 MiB and 2 MiB.
  let small: Serving;
  let raised: Serving;
  beforeAll(async () => {
    [small, raised] = await Promise.all([
      startServe(path.join(dir, 'small.duckdb'), '1'),
      startServe(path.join(dir, 'raised.duckdb'), '2'),
    ]);
  });
  afterAll(async () => {
    await Promise.all([small, raised].filter(Boolean).map(stop));
  });

  it('refuses a value that is not a whole number of MiB from 1 to 4096, in one line, opening nothing', async () => {
    const refused = await Promise.all(
      ['0', '1e2', '4097', 'abc'].map(async (value) => {
        const db = path.join(dir, `bad-${value}.duckdb`);
        const { code, stderr } = await runInsights(['--db', db, 'serve', '--upload-limit', value]);
        return { code, stderr, opened: existsSync(db) };
      }),
    );
    for (const [i, value] of ['0', '1e2', '4097', 'abc'].entries()) {
      expect(refused[i]).toEqual({
        code: 2, // bad input (packages/cli/src/exit-codes.ts)
        stderr: `insights: --upload-limit must be a whole number of MiB from 1 to 4096, not ${value}\n`,
        opened: false,
      });
    }
  });

  it('answers a body above the limit 413 in the spec error form and writes nothing', async () => {
    expect(body.length).toBe(1_398_038);
    const response = await postBulk(small);
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      error: `Request body is larger than ${mebibyte} bytes.`,
      details: { limit: mebibyte },
      code: 'PAYLOAD_TOO_LARGE',
    });
    expect(await incidentCount(small)).toBe(0);
  });

  it('ingests the same body under a raised limit', async () => {
    const response = await postBulk(raised);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ received: rows, inserted: rows, updated: 0 });
    expect(await incidentCount(raised)).toBe(rows);
  });
});
