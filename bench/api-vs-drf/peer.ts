/**
 * The Django REST Framework peer (`../shared/peers/drf-rest-framework`): what it needs installed, its
 * data generator, and its server started by its own `run.sh` with all state in a folder of ours, on
 * SQLite or on PostgreSQL.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const root = resolve(import.meta.dirname, '../..');

/** The peer's folder: `--peer`, else `DRF_PEER_DIR`, else `../shared/peers/drf-rest-framework`. */
export function peerDirectory(option: string | undefined): string {
  const dir = resolve(root, option ?? process.env['DRF_PEER_DIR'] ?? '../shared/peers/drf-rest-framework');
  if (!existsSync(join(dir, 'run.sh')))
    throw new Error(`no DRF peer in ${dir} (give its folder with --peer)`);
  return dir;
}

const python = process.env['PYTHON'] ?? '/usr/bin/python3';

/** The peer's database: its default SQLite file, or a PostgreSQL database on the local cluster. */
export type PeerDatabase = 'sqlite' | 'postgres';

/** Python modules the peer imports, with the Debian package that provides each. */
const pythonModules: readonly (readonly [module: string, debianPackage: string])[] = [
  ['django', 'python3-django'],
  ['rest_framework', 'python3-djangorestframework'],
  ['django_filters', 'python3-django-filters'],
  ['gunicorn', 'gunicorn'],
];

/** Runs a command with its output discarded; whether it could be started at all. */
const commandRuns = (command: string, args: readonly string[], env = process.env) =>
  spawnSync(command, args, { env, stdio: 'ignore' }).error === undefined;

/** The Debian packages of the peer's stack that are missing; installing them is left to the caller. */
export function missingPeerPackages(database: PeerDatabase): string[] {
  const modules =
    database === 'postgres' ? [...pythonModules, ['psycopg2', 'python3-psycopg2'] as const] : pythonModules;
  const missing = modules
    .filter(([module]) => spawnSync(python, ['-c', `import ${module}`], { stdio: 'ignore' }).status !== 0)
    .map(([, debianPackage]) => debianPackage);
  if (database === 'postgres' && !commandRuns('pg_lsclusters', ['-h'])) missing.push('postgresql');
  else if (database === 'postgres' && !commandRuns('psql', ['--version'])) missing.push('postgresql-client');
  return missing;
}

/**
 * Why the peer cannot run on PostgreSQL here, or undefined when it can: its `run.sh` starts the
 * cluster with `pg_ctlcluster` and creates a missing cluster, role and database, all of which take root.
 */
export function postgresUnavailable(): string | undefined {
  if (process.getuid?.() === 0) return undefined;
  return 'the peer on PostgreSQL needs root: its run.sh starts the cluster (pg_ctlcluster) and creates the role and database as the postgres user';
}

/** Writes `count` incidents ending at `now` to `file` with the peer's generator (seed 42, 90 days). */
export function generateIncidents(peer: string, count: number, now: string, file: string): void {
  execFileSync(python, [join(peer, 'gen_incidents.py'), String(count), file, '--now', now], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** A running peer: its base URL and token. */
export interface Peer {
  readonly url: string;
  readonly token: string;
  /** Stops gunicorn; on PostgreSQL also drops the run's database and stops the cluster if `run.sh` started it. */
  stop(): void;
}

/** The peer failed to start: a one-line reason (its own messages went to stderr above it). */
export class PeerNotStarted extends Error {}

/**
 * The environment of the peer's scripts: state under `state`, KPI clock pinned to `now`, throttling
 * off (the peer's rate limit raised out of the way), the database chosen. On PostgreSQL the database
 * is this run's own (`drf_peer_bench_<pid>`), so metrics and measurements of an earlier run (the
 * SQLite file is new each run) never change the counts compared.
 */
export function peerEnvironment(options: {
  readonly state: string;
  readonly now: string;
  readonly database: PeerDatabase;
}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DRF_PEER_VAR: options.state,
    DRF_PEER_NOW: options.now,
    DRF_PEER_THROTTLE: '0',
    DRF_PEER_DB: options.database,
    ...(options.database === 'postgres'
      ? { DRF_PEER_PG_NAME: process.env['DRF_PEER_PG_NAME'] ?? `drf_peer_bench_${process.pid}` }
      : {}),
  };
}

/**
 * Starts the peer with its `run.sh`: its database (`env`, from {@link peerEnvironment}), `csv`
 * loaded, KPIs calculated, 2 gunicorn sync workers on `port`. On PostgreSQL `run.sh` starts the
 * cluster (and, as root, creates the role and database); {@link Peer.stop} undoes that. When it
 * fails, whatever it started is stopped and {@link PeerNotStarted} says so in one line.
 */
export function startPeer(options: {
  readonly peer: string;
  readonly env: NodeJS.ProcessEnv;
  readonly csv: string;
  readonly port: number;
}): Peer {
  const { peer, env } = options;
  const stop = () => {
    execFileSync(join(peer, 'stop.sh'), ['--keep-db'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    const database = env['DRF_PEER_DB'] === 'postgres' ? env['DRF_PEER_PG_NAME'] : undefined;
    if (database) commandRuns('dropdb', ['--if-exists', '--force', database], env);
    execFileSync(join(peer, 'stop.sh'), [], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  };
  const started = spawnSync(join(peer, 'run.sh'), [options.csv, String(options.port), '2'], {
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  });
  const token = started.stdout?.trim().split('\n').at(-1)?.trim() ?? '';
  if (started.status !== 0 || !/^[0-9a-f]{40}$/.test(token)) {
    stop();
    const reason = started.error?.message ?? `run.sh exited with ${started.status}`;
    throw new PeerNotStarted(
      `the DRF peer did not start on ${env['DRF_PEER_DB']} (${reason}; its messages are above; --keep keeps its state and logs in ${env['DRF_PEER_VAR']})`,
    );
  }
  return { url: `http://127.0.0.1:${options.port}`, token, stop };
}

/** The query {@link activePeerBackends} sends: every other backend of this database running something. */
const activeBackendsQuery =
  "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()";

/**
 * How many backends of the peer's PostgreSQL database are running a statement, the one asking left
 * out (`pg_stat_activity`; autovacuum workers of that database count too). Asked with `psql` as
 * the peer connects (its settings.py): database `DRF_PEER_PG_NAME`, role `DRF_PEER_PG_USER` (else
 * the OS user), `DRF_PEER_PG_PASSWORD`, host `DRF_PEER_PG_HOST` (else the local socket), port
 * `DRF_PEER_PG_PORT` (else 5432), all from `env` ({@link peerEnvironment}).
 *
 * @throws Error when psql cannot connect or answers something else than a count.
 */
export async function activePeerBackends(env: NodeJS.ProcessEnv): Promise<number> {
  const host = env['DRF_PEER_PG_HOST'];
  const password = env['DRF_PEER_PG_PASSWORD'];
  const { stdout } = await promisify(execFile)(
    'psql',
    ['-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', activeBackendsQuery],
    {
      env: {
        ...process.env,
        PGDATABASE: env['DRF_PEER_PG_NAME'] ?? 'drf_peer',
        PGUSER: env['DRF_PEER_PG_USER'] ?? userInfo().username,
        PGPORT: env['DRF_PEER_PG_PORT'] ?? '5432',
        ...(host ? { PGHOST: host } : {}),
        ...(password ? { PGPASSWORD: password } : {}),
        PGAPPNAME: 'api-vs-drf settle',
      },
      timeout: 30_000,
    },
  );
  const active = Number(stdout.trim());
  if (stdout.trim() === '' || !Number.isInteger(active)) throw new Error(`psql answered ${stdout.trim()}`);
  return active;
}
