/**
 * The Django REST Framework peer (`../shared/peers/drf-rest-framework`): what it needs installed, its
 * data generator, and its server started by its own `run.sh` with all state in a folder of ours.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

/** The peer's folder: `--peer`, else `DRF_PEER_DIR`, else `../shared/peers/drf-rest-framework`. */
export function peerDirectory(option: string | undefined): string {
  const dir = resolve(root, option ?? process.env['DRF_PEER_DIR'] ?? '../shared/peers/drf-rest-framework');
  if (!existsSync(join(dir, 'run.sh')))
    throw new Error(`no DRF peer in ${dir} (give its folder with --peer)`);
  return dir;
}

const python = process.env['PYTHON'] ?? '/usr/bin/python3';

/** Python modules the peer imports, with the Debian package that provides each. */
const pythonModules: readonly (readonly [module: string, debianPackage: string])[] = [
  ['django', 'python3-django'],
  ['rest_framework', 'python3-djangorestframework'],
  ['django_filters', 'python3-django-filters'],
  ['gunicorn', 'gunicorn'],
];

/** The Debian packages of the peer's stack that are missing; installing them is left to the caller. */
export function missingPeerPackages(): string[] {
  return pythonModules
    .filter(([module]) => spawnSync(python, ['-c', `import ${module}`], { stdio: 'ignore' }).status !== 0)
    .map(([, debianPackage]) => debianPackage);
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
  stop(): void;
}

/**
 * Starts the peer with its `run.sh`: SQLite under `state`, `csv` loaded, KPIs calculated, 2 gunicorn
 * sync workers on `port`, its KPI clock pinned to `now`. Throttling stays off (the peer's default),
 * which is the peer's rate limit raised out of the way.
 */
export function startPeer(options: {
  readonly peer: string;
  readonly state: string;
  readonly csv: string;
  readonly port: number;
  readonly now: string;
}): Peer {
  const env = {
    ...process.env,
    DRF_PEER_VAR: options.state,
    DRF_PEER_NOW: options.now,
    DRF_PEER_THROTTLE: '0',
  };
  const out = execFileSync(join(options.peer, 'run.sh'), [options.csv, String(options.port), '2'], {
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const token = out.trim().split('\n').at(-1)?.trim() ?? '';
  if (!/^[0-9a-f]{40}$/.test(token)) throw new Error(`the peer printed no token: ${out}`);
  return {
    url: `http://127.0.0.1:${options.port}`,
    token,
    stop: () => {
      execFileSync(join(options.peer, 'stop.sh'), [], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    },
  };
}
