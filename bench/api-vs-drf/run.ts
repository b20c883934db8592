/**
 * API reads against the Django REST Framework peer (issue 14). One file of incidents from the peer's
 * generator (`gen_incidents.py N FILE --now NOW`) is loaded into both servers: into the peer by its
 * `run.sh` (SQLite, or with `--peer-db postgres` a database of this run's own on the local
 * PostgreSQL cluster, which `run.sh` starts and the end of the run drops and stops;
 * `load_incidents`, `calculate_kpis --force`, gunicorn with 2 sync workers, its KPI clock pinned to
 * NOW, throttling off) and into ours by `engine.incidents.ingest` on a fresh DuckDB
 * file, served by `insights serve --no-schedule` with `--rate-per-minute`/`--rate-per-hour` raised.
 * Each endpoint is first checked to answer 200 with the same count on both; then the same wrk load
 * (`-t2 -c16 -d10s --latency`, a Lua script sending a list of varied paths) runs on the peer and on
 * ours in turn. Then the writes (`writes.ts`): a POST loop on each side (wrk, a new JSON body each
 * request) and the bulk load of the whole file (the peer's `load_incidents --truncate`, our
 * `POST /api/incidents/bulk/`; our server runs with `--upload-limit` above the file's size). Prints
 * a markdown table of requests a second, p99 and the ratio, with the machine's load at the start
 * and the end.
 *
 * Before each endpoint's check and before each measurement on either side, the run waits until
 * neither side is still busy with the last load (`settle.ts`): both servers answer a small request,
 * the peer's PostgreSQL database has no other active backend (`pg_stat_activity`; queries whose
 * client wrk abandoned go on running there), at most 5 minutes for both; then the CPU is more than
 * 80% idle over a second (`/proc/stat`), at most `--quiet-seconds` (120 by default). A measurement
 * taken after a bound passed gets a note saying it was measured under leftover load, and what was
 * still busy.
 *
 * An endpoint whose single requests (timed one at a time while the counts are checked; the slower
 * side's median) are too slow for wrk to get 10 answers from the peer's 2 workers in `--seconds` is
 * measured by single requests one at a time on both sides instead (3 each, after the checks), and
 * its row says so.
 * `--endpoints` runs a subset (names in `endpoints.ts`, plus `post`, `bulk`, `writes`).
 *
 * Needs wrk and the peer's Debian packages (python3-django, python3-djangorestframework,
 * python3-django-filters, gunicorn; python3-psycopg2 and postgresql for `--peer-db postgres`, which
 * also needs root, as the peer's run.sh does); it says what is missing and installs nothing. `WRK`
 * names another wrk binary, `PYTHON` another interpreter for the peer.
 *
 * Run: npx tsx --conditions=@incident-insights/source bench/api-vs-drf/run.ts [--count 200000]
 *   [--now ISO] [--seconds 10] [--connections 16] [--threads 2] [--peer-db sqlite|postgres]
 *   [--endpoints NAME,...] [--quiet-seconds 120] [--peer DIR] [--dir DIR] [--keep]
 * (`--count 2000000` for the larger run; NOW defaults to the start of the current UTC hour so that
 * the KPI windows of both servers, the peer's pinned and ours on the real clock, cover the data.)
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type Server, startServer } from '../insights-process.ts';
import { type Catalog, endpoints, selectedNames } from './endpoints.ts';
import { prepareOurs } from './ours.ts';
import {
  activePeerBackends,
  generateIncidents,
  missingPeerPackages,
  type Peer,
  type PeerDatabase,
  PeerNotStarted,
  peerDirectory,
  peerEnvironment,
  postgresUnavailable,
  startPeer,
} from './peer.ts';
import { catalogOf, check, median, type Side, singleFigures } from './requests.ts';
import { settle } from './settle.ts';
import {
  type BulkFigures,
  incidentPost,
  metricPost,
  oursBulkLoad,
  peerBulkLoad,
  postLoop,
} from './writes.ts';
import { type Load, measurementFor, type WrkFigures, wrk, wrkInstalled } from './wrk.ts';

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '200000' },
    now: { type: 'string' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '16' },
    threads: { type: 'string', default: '2' },
    'peer-db': { type: 'string', default: 'sqlite' },
    endpoints: { type: 'string' },
    'quiet-seconds': { type: 'string', default: '120' },
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
if (args['peer-db'] !== 'sqlite' && args['peer-db'] !== 'postgres') {
  throw new Error('--peer-db must be sqlite or postgres');
}
const peerDatabase: PeerDatabase = args['peer-db'];
const quietSeconds = Number(args['quiet-seconds']);
if (!Number.isInteger(quietSeconds) || quietSeconds < 0) {
  throw new Error('--quiet-seconds must be a whole number of seconds, 0 or more');
}
const selected = selectedNames(args.endpoints);
/** Single requests, one at a time, on each side of an endpoint too slow for wrk. */
const singleRequests = 3;
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

const freePort = () =>
  new Promise<number>((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });

const missing = [...missingPeerPackages(peerDatabase), ...(wrkInstalled() ? [] : ['wrk'])];
if (missing.length > 0) {
  process.stderr.write(
    `missing: ${missing.join(' ')}\ninstall them first (Debian): sudo apt-get install -y ${missing.join(' ')}\n`,
  );
  process.exit(1);
}
const postgresProblem = peerDatabase === 'postgres' ? postgresUnavailable() : undefined;
if (postgresProblem) {
  process.stderr.write(`PostgreSQL is not available for the peer: ${postgresProblem}\n`);
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
  log(`starting the DRF peer on ${peerDatabase} (load_incidents, calculate_kpis, gunicorn with 2 workers)`);
  const peerStarted = performance.now();
  const peerEnv = peerEnvironment({ state: join(dir, 'drf-peer'), now: nowIso, database: peerDatabase });
  // The bulk load (writes.ts) runs the peer's manage.py with this process's environment.
  process.env['DRF_PEER_DB'] = peerEnv['DRF_PEER_DB'];
  if (peerEnv['DRF_PEER_PG_NAME']) process.env['DRF_PEER_PG_NAME'] = peerEnv['DRF_PEER_PG_NAME'];
  peer = startPeer({ peer: peerDir, env: peerEnv, csv, port: await freePort() });
  log(`peer ready in ${((performance.now() - peerStarted) / 1000).toFixed(1)} s`);
  const postgres = peerDatabase === 'postgres' ? peerEnv : undefined;
  if (postgres) log(`the peer's database has ${await activePeerBackends(postgres)} active backends`);
  // Our upload limit above the file's size (548 MiB at 2,000,000 incidents), never below the default 256 MiB.
  const csvBytes = statSync(csv).size;
  const uploadMiB = Math.max(256, Math.ceil(csvBytes / 1024 / 1024) + 1);
  ours = await startServer(db, ['--upload-limit', String(uploadMiB)]);
  const sides: Side[] = [
    { name: 'DRF', url: peer.url, token: peer.token },
    { name: 'ours', url: ours.url, token: prepared.token },
  ];
  for (const side of sides) side.catalog = await catalogOf(side, csv);
  const settling = { sides, postgres, quietSeconds, log };

  const rows: string[] = [];
  const notes: string[] = [];
  const cell = (f: WrkFigures) => `${formatRps(f.rps)} (${formatMs(f.p99)})`;
  for (const endpoint of endpoints.filter((e) => selected.has(e.name))) {
    let checked: Awaited<ReturnType<typeof check>>;
    try {
      await settle(settling);
      checked = await check(endpoint, sides);
    } catch (error) {
      // One endpoint failing (a 2,000,000-row answer past gunicorn's 120 s worker timeout) costs its row only.
      notes.push(`${endpoint.label}: not measured: ${(error as Error).message.slice(0, 300)}`);
      rows.push(`| ${endpoint.label} | — | no answer | no answer | — |`);
      continue;
    }
    if (!checked.same) notes.push(`${endpoint.label}: counts differ (DRF / ours: ${checked.counts})`);
    // The slower side's median check request: one cold first request alone does not decide.
    const measurement = measurementFor(Math.max(...checked.latencies.map(median)), load);
    const figures: WrkFigures[] = [];
    try {
      for (const side of sides) {
        const paths = endpoint.paths(side.catalog as Catalog);
        const leftover = await settle(settling);
        if (leftover) notes.push(`${endpoint.label}: ${side.name} ${leftover}`);
        log(`${side.name}: ${endpoint.label} over ${paths.length} paths (${measurement.kind})`);
        figures.push(
          measurement.kind === 'single'
            ? await singleFigures(side, paths, singleRequests)
            : await wrk(
                side.url,
                paths,
                side.token,
                { ...load, timeoutSeconds: measurement.timeoutSeconds },
                join(dir, 'paths.lua'),
              ),
        );
      }
    } catch (error) {
      notes.push(`${endpoint.label}: not measured: ${(error as Error).message.slice(0, 300)}`);
      rows.push(`| ${endpoint.label} | ${checked.counts} | no answer | no answer | — |`);
      continue;
    }
    const label =
      measurement.kind === 'single'
        ? `${endpoint.label} (single requests, one at a time: ${singleRequests} a side; rps = 1 / median latency, slowest in brackets)`
        : endpoint.label;
    const [drf, mine] = figures as [WrkFigures, WrkFigures];
    for (const [name, f] of [['DRF', drf] as const, ['ours', mine] as const]) {
      if (f.failed > 0)
        notes.push(`${endpoint.label}: ${name} had ${f.failed} failed of ${f.requests} requests`);
    }
    const ratio = drf.rps > 0 ? `${formatRatio(mine.rps / drf.rps)}` : '∞';
    rows.push(`| ${label} | ${checked.counts} | ${cell(drf)} | ${cell(mine)} | ${ratio} |`);
  }

  // Writes, after every read: a POST loop on each side, then the bulk load of the whole file.
  for (const loop of selected.has('post') ? [metricPost, incidentPost] : []) {
    const onPeer = loop === metricPost;
    const figures: (WrkFigures | undefined)[] = [];
    for (const side of sides) {
      if (side.name === 'DRF' && !onPeer) {
        figures.push(undefined);
        continue;
      }
      const leftover = await settle(settling);
      if (leftover) notes.push(`${loop.label}: ${side.name} ${leftover}`);
      log(`${side.name}: ${loop.label}`);
      const f = await postLoop(side.url, side.token, loop, load, dir);
      if (f.failed > 0)
        notes.push(`${loop.label}: ${side.name} had ${f.failed} failed of ${f.requests} requests`);
      figures.push(f);
    }
    const [drf, mine] = figures;
    const ratio = drf && mine && drf.rps > 0 ? formatRatio(mine.rps / drf.rps) : '—';
    rows.push(`| ${loop.label} | — | ${drf ? cell(drf) : '—'} | ${mine ? cell(mine) : '—'} | ${ratio} |`);
  }
  if (selected.has('bulk')) {
    const bulkLabel = 'bulk load of the file';
    const peerLeftover = await settle(settling);
    if (peerLeftover) notes.push(`${bulkLabel}: DRF ${peerLeftover}`);
    log('DRF: load_incidents --truncate');
    const peerBulk = peerBulkLoad(peerDir, join(dir, 'drf-peer'), csv, count);
    const ourLeftover = await settle(settling);
    if (ourLeftover) notes.push(`${bulkLabel}: ours ${ourLeftover}`);
    log(`ours: POST /api/incidents/bulk/ (${count} rows of CSV, ${(csvBytes / 1024 / 1024).toFixed(0)} MiB)`);
    // A refused or failed upload costs its cell only, not the table of a long run.
    const ourBulk = await oursBulkLoad(ours.url, prepared.token, csv).catch((error: Error) => {
      notes.push(`${bulkLabel}: ours not measured: ${error.message.slice(0, 300)}`);
      return undefined;
    });
    const bulkCell = (b: BulkFigures) =>
      `${formatRps(b.rows / b.seconds)} rows/s (${b.seconds.toFixed(1)} s)`;
    rows.push(
      `| bulk load of the file (DRF \`load_incidents --truncate\`; ours \`POST /api/incidents/bulk/\`, an upsert of the same rows) | ${peerBulk.rows} / ${ourBulk?.rows ?? '—'} | ${bulkCell(peerBulk)} | ${ourBulk ? bulkCell(ourBulk) : 'no answer'} | ${ourBulk ? formatRatio(peerBulk.seconds / ourBulk.seconds) : '—'} |`,
    );
  }

  const lines = [
    `API reads and writes against the DRF peer on ${peerDatabase === 'postgres' ? 'PostgreSQL' : 'SQLite'}: ${count} incidents (gen_incidents.py, --now ${nowIso}),`,
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
} catch (error) {
  if (!(error instanceof PeerNotStarted)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
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
