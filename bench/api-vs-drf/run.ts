/**
 * API reads against the Django REST Framework peer (issue 14). One file of incidents from the peer's
 * generator (`gen_incidents.py N FILE --now NOW`) is loaded into both servers: into the peer by its
 * `run.sh` (SQLite, `load_incidents`, `calculate_kpis --force`, gunicorn with 2 sync workers, its KPI
 * clock pinned to NOW, throttling off) and into ours by `engine.incidents.ingest` on a fresh DuckDB
 * file, served by `insights serve --no-schedule` with `--rate-per-minute`/`--rate-per-hour` raised.
 * Each endpoint is first checked to answer 200 with the same count on both; then the same wrk load
 * (`-t2 -c16 -d10s --latency`, a Lua script sending a list of varied paths) runs on the peer and on
 * ours in turn. Then the writes (`writes.ts`): a POST loop on each side (wrk, a new JSON body each
 * request) and the bulk load of the whole file (the peer's `load_incidents --truncate`, our
 * `POST /api/incidents/bulk/`). Prints a markdown table of requests a second, p99 and the ratio,
 * with the machine's load at the start and the end.
 *
 * Needs wrk and the peer's Debian packages (python3-django, python3-djangorestframework,
 * python3-django-filters, gunicorn); it says which are missing and installs nothing. `WRK` names
 * another wrk binary, `PYTHON` another interpreter for the peer.
 *
 * Run: npx tsx --conditions=@incident-insights/source bench/api-vs-drf/run.ts [--count 200000]
 *   [--now ISO] [--seconds 10] [--connections 16] [--threads 2] [--peer DIR] [--dir DIR] [--keep]
 * (`--count 2000000` for the larger run; NOW defaults to the start of the current UTC hour so that
 * the KPI windows of both servers, the peer's pinned and ours on the real clock, cover the data.)
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type Server, startServer } from '../insights-process.ts';
import { type Catalog, csvVocabulary, type Endpoint, endpoints } from './endpoints.ts';
import { prepareOurs } from './ours.ts';
import { generateIncidents, missingPeerPackages, type Peer, peerDirectory, startPeer } from './peer.ts';
import {
  type BulkFigures,
  incidentPost,
  metricPost,
  oursBulkLoad,
  peerBulkLoad,
  postLoop,
} from './writes.ts';
import { type Load, type WrkFigures, wrk, wrkInstalled } from './wrk.ts';

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '200000' },
    now: { type: 'string' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '16' },
    threads: { type: 'string', default: '2' },
    peer: { type: 'string' },
    dir: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const count = Number(args.count);
const now = new Date(args.now ?? Math.floor(Date.now() / 3_600_000) * 3_600_000);
if (!Number.isInteger(count) || count < 100 || Number.isNaN(now.getTime())) {
  throw new Error('--count must be an integer of at least 100 and --now an ISO 8601 instant');
}
const nowIso = now.toISOString().replace('.000Z', 'Z');
const load: Load = {
  threads: Number(args.threads),
  connections: Number(args.connections),
  seconds: Number(args.seconds),
};
const log = (line: string) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const loadAverage = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');

/** A side of the comparison: its base URL, token and catalogue. */
interface Side {
  readonly name: string;
  readonly url: string;
  readonly token: string;
  catalog?: Catalog;
}

async function getJson(side: Side, path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${side.url}${path}`, { headers: { Authorization: `Token ${side.token}` } });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: response.status, body };
}

/** The count an answer carries: a page's `count`, a list's length, or 1 for one object. */
function answerCount(body: unknown): number {
  if (Array.isArray(body)) return body.length;
  const page = body as { count?: unknown };
  return typeof page.count === 'number' ? page.count : 1;
}

async function catalogOf(side: Side, csv: string): Promise<Catalog> {
  const { status, body } = await getJson(side, '/api/incidents/?page_size=100');
  if (status !== 200) throw new Error(`${side.name}: GET /api/incidents/ answered ${status}`);
  const page = body as { count: number; results: { id: string }[] };
  return { ...csvVocabulary(csv), incidentIds: page.results.map((r) => r.id), incidentCount: page.count };
}

/** Checks up to 5 of the endpoint's paths answer 200 with the same count on both; the first counts. */
async function check(endpoint: Endpoint, sides: readonly Side[]): Promise<{ counts: string; same: boolean }> {
  const answers = await Promise.all(
    sides.map(async (side) => {
      const paths = endpoint.paths(side.catalog as Catalog).slice(0, 5);
      const counts: number[] = [];
      for (const path of paths) {
        const { status, body } = await getJson(side, path);
        if (status !== 200)
          throw new Error(`${side.name}: GET ${path} answered ${status}: ${JSON.stringify(body)}`);
        counts.push(answerCount(body));
      }
      return counts;
    }),
  );
  const [peer = [], ours = []] = answers;
  return { counts: `${peer[0]} / ${ours[0]}`, same: peer.join() === ours.join() };
}

/**
 * Waits until `side` answers a small request: requests still queued from the last load (a slow
 * endpoint leaves many behind in the peer's sync workers) are served first, so the next load
 * starts on an idle server.
 */
async function drained(side: Side): Promise<void> {
  await getJson(side, '/api/analytics/kpi-metrics/?page_size=1');
}

const freePort = () =>
  new Promise<number>((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });

const missing = [...missingPeerPackages(), ...(wrkInstalled() ? [] : ['wrk'])];
if (missing.length > 0) {
  process.stderr.write(
    `missing: ${missing.join(' ')}\ninstall them first (Debian): sudo apt-get install -y ${missing.join(' ')}\n`,
  );
  process.exit(1);
}
const peerDir = peerDirectory(args.peer);
const loadAtStart = loadAverage();
const dir = args.dir ? resolve(args.dir) : mkdtempSync(join(tmpdir(), 'api-vs-drf-'));
mkdirSync(dir, { recursive: true });
let peer: Peer | undefined;
let ours: Server | undefined;
try {
  const csv = join(dir, 'incidents.csv');
  log(`generating ${count} incidents ending ${nowIso} in ${csv}`);
  generateIncidents(peerDir, count, nowIso, csv);
  const db = join(dir, 'insights.duckdb');
  const prepared = await prepareOurs(db, csv, now);
  log(`ingested ${prepared.ingested} incidents in ${prepared.ingestSeconds.toFixed(1)} s`);
  log('starting the DRF peer (load_incidents, calculate_kpis, gunicorn with 2 workers)');
  const peerStarted = performance.now();
  peer = startPeer({ peer: peerDir, state: join(dir, 'drf-peer'), csv, port: await freePort(), now: nowIso });
  log(`peer ready in ${((performance.now() - peerStarted) / 1000).toFixed(1)} s`);
  ours = await startServer(db);
  const sides: Side[] = [
    { name: 'DRF', url: peer.url, token: peer.token },
    { name: 'ours', url: ours.url, token: prepared.token },
  ];
  for (const side of sides) side.catalog = await catalogOf(side, csv);

  const rows: string[] = [];
  const notes: string[] = [];
  const cell = (f: WrkFigures) => `${formatRps(f.rps)} (${formatMs(f.p99)})`;
  for (const endpoint of endpoints) {
    const checked = await check(endpoint, sides);
    if (!checked.same) notes.push(`${endpoint.label}: counts differ (DRF / ours: ${checked.counts})`);
    const figures: WrkFigures[] = [];
    for (const side of sides) {
      const paths = endpoint.paths(side.catalog as Catalog);
      log(`${side.name}: ${endpoint.label} over ${paths.length} paths`);
      await drained(side);
      figures.push(await wrk(side.url, paths, side.token, load, join(dir, 'paths.lua')));
    }
    const [drf, mine] = figures as [WrkFigures, WrkFigures];
    for (const [name, f] of [['DRF', drf] as const, ['ours', mine] as const]) {
      if (f.failed > 0)
        notes.push(`${endpoint.label}: ${name} had ${f.failed} failed of ${f.requests} requests`);
    }
    const ratio = drf.rps > 0 ? `${formatRatio(mine.rps / drf.rps)}` : '∞';
    rows.push(`| ${endpoint.label} | ${checked.counts} | ${cell(drf)} | ${cell(mine)} | ${ratio} |`);
  }

  // Writes, after every read: a POST loop on each side, then the bulk load of the whole file.
  for (const loop of [metricPost, incidentPost]) {
    const onPeer = loop === metricPost;
    const figures: (WrkFigures | undefined)[] = [];
    for (const side of sides) {
      if (side.name === 'DRF' && !onPeer) {
        figures.push(undefined);
        continue;
      }
      log(`${side.name}: ${loop.label}`);
      await drained(side);
      const f = await postLoop(side.url, side.token, loop, load, dir);
      if (f.failed > 0)
        notes.push(`${loop.label}: ${side.name} had ${f.failed} failed of ${f.requests} requests`);
      figures.push(f);
    }
    const [drf, mine] = figures;
    const ratio = drf && mine && drf.rps > 0 ? formatRatio(mine.rps / drf.rps) : '—';
    rows.push(`| ${loop.label} | — | ${drf ? cell(drf) : '—'} | ${mine ? cell(mine) : '—'} | ${ratio} |`);
  }
  for (const side of sides) await drained(side);
  log('DRF: load_incidents --truncate');
  const peerBulk = peerBulkLoad(peerDir, join(dir, 'drf-peer'), csv, count);
  log(`ours: POST /api/incidents/bulk/ (${count} rows of CSV)`);
  const ourBulk = await oursBulkLoad(ours.url, prepared.token, csv);
  const bulkCell = (b: BulkFigures) => `${formatRps(b.rows / b.seconds)} rows/s (${b.seconds.toFixed(1)} s)`;
  rows.push(
    `| bulk load of the file (DRF \`load_incidents --truncate\`; ours \`POST /api/incidents/bulk/\`, an upsert of the same rows) | ${peerBulk.rows} / ${ourBulk.rows} | ${bulkCell(peerBulk)} | ${bulkCell(ourBulk)} | ${formatRatio(peerBulk.seconds / ourBulk.seconds)} |`,
  );

  const lines = [
    `API reads and writes against the DRF peer: ${count} incidents (gen_incidents.py, --now ${nowIso}),`,
    `wrk -t${load.threads} -c${load.connections} -d${load.seconds}s --latency; load average (1/5/15 min) at start ${loadAtStart}, at end ${loadAverage()}`,
    '',
    '| endpoint | count (DRF / ours) | DRF rps (p99) | ours rps (p99) | ratio |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
    'Not measured: `GET /api/analytics/anomaly-detections/` (the peer has no anomaly endpoints).',
    ...notes.map((note) => `Note: ${note}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await ours?.stop();
  peer?.stop();
  if (!args.keep && !args.dir) rmSync(dir, { recursive: true, force: true });
}

function formatRps(rps: number): string {
  return rps >= 100 ? rps.toFixed(0) : rps >= 10 ? rps.toFixed(1) : rps.toFixed(2);
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms >= 100 ? 0 : 1)} ms`;
}

function formatRatio(ratio: number): string {
  return `${ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(2)}x`;
}
