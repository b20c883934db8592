/**
 * The write half of the comparison (issue 14): creating one record a request in a loop (wrk with a
 * Lua script that posts a fresh JSON body each time) and bulk loading the whole file (the peer's
 * `load_incidents --truncate`, our `POST /api/incidents/bulk/` with the CSV as the body).
 *
 * The peer's incidents are read-only over HTTP (a `ReadOnlyModelViewSet`): its one create endpoint
 * is `POST /api/analytics/kpi-metrics/`, so that is the like-for-like POST loop; our
 * `POST /api/incidents/` loop is measured beside it without a peer figure.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { type Load, type WrkFigures, wrkPost } from './wrk.ts';

const python = process.env['PYTHON'] ?? '/usr/bin/python3';

/** A JSON body with `%s` where each request puts its own number (thread-request). */
export interface PostLoop {
  readonly label: string;
  readonly path: string;
  readonly body: string;
}

/** A KPI metric, the create both servers have (the peer's `KPIMetric` needs no more). */
export const metricPost: PostLoop = {
  label: '`POST /api/analytics/kpi-metrics/` (a loop of new metrics)',
  path: '/api/analytics/kpi-metrics/',
  body: JSON.stringify({
    name: 'bench metric %s',
    metric_type: 'INCIDENT_COUNT',
    aggregation_type: 'COUNT',
    time_window_hours: 24,
  }),
};

/** A new incident a request (ours only: the peer has no incident create). */
export const incidentPost: PostLoop = {
  label: '`POST /api/incidents/` (a loop of new incidents; the peer has none)',
  path: '/api/incidents/',
  body: JSON.stringify({
    external_id: 'BENCH-POST-%s',
    title: 'Bench incident %s',
    description: 'Created by the write benchmark',
    category: 'Application',
    severity: 'MEDIUM',
    priority: 'P3',
    service: 'checkout',
    team: 'Payments',
    created_at: '2026-01-01T00:00:00Z',
  }),
};

/** Runs a POST loop on one server. */
export function postLoop(
  base: string,
  token: string,
  loop: PostLoop,
  load: Load,
  dir: string,
): Promise<WrkFigures> {
  return wrkPost(base, loop.path, loop.body, token, load, join(dir, 'post.lua'));
}

/** What one bulk load did: rows and seconds (wall, from start to the answer). */
export interface BulkFigures {
  readonly rows: number;
  readonly seconds: number;
}

/** The peer's `load_incidents CSV --truncate` into its own database (state folder `state`). */
export function peerBulkLoad(peer: string, state: string, csv: string, rows: number): BulkFigures {
  const started = performance.now();
  execFileSync(python, ['manage.py', 'load_incidents', csv, '--truncate'], {
    cwd: peer,
    env: { ...process.env, DRF_PEER_VAR: state },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return { rows, seconds: (performance.now() - started) / 1000 };
}

/**
 * Our `POST /api/incidents/bulk/` with the CSV as a `text/csv` body (upserts by external id), on a
 * connection of its own ({@link postOnce}), so the upload does not ride on a keep-alive connection
 * left by the idle check before it, and a failure names its socket error. A 2,000,000-row run lost
 * its bulk row to fetch's bare "fetch failed"; the same upload after the same POST loops, and after
 * 330 idle seconds, then answered each time.
 */
export async function oursBulkLoad(base: string, token: string, csv: string): Promise<BulkFigures> {
  const body = readFileSync(csv);
  const started = performance.now();
  const { status, text } = await postOnce(`${base}/api/incidents/bulk/`, body, {
    Authorization: `Token ${token}`,
    'Content-Type': 'text/csv',
  });
  const seconds = (performance.now() - started) / 1000;
  if (status !== 200) throw new Error(`bulk load answered ${status}: ${text.slice(0, 300)}`);
  const report = JSON.parse(text) as { inserted?: number; updated?: number };
  return { rows: (report.inserted ?? 0) + (report.updated ?? 0), seconds };
}

/** One POST on a new connection (no agent, so no pooled socket); its status and body text. */
function postOnce(
  url: string,
  body: Buffer,
  headers: Record<string, string>,
): Promise<{ status: number; text: string }> {
  return new Promise((done, fail) => {
    const req = request(url, { method: 'POST', agent: false, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        done({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end(body);
  });
}
