import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEngine } from '@incident-insights/engine';
import { internalContext } from '@incident-insights/engine/internal';
import { readRuntimeFile } from '@incident-insights/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertIncidents, stormFixture } from '../../../test/support/anomaly-fixtures.ts';
import { type CliRun, packageRunner, repoRoot, runInsights } from '../../../test/support/run-cli.ts';
import { spawnServe } from '../../../test/support/serve-process.ts';

// Two identical databases: `alone.duckdb`, which commands open themselves, and `served.duckdb`,
// held by `insights serve`, so that every command there goes through the server. The same command
// on both must print the same thing.
const dir = mkdtempSync(join(tmpdir(), 'insights-beside-'));
const alone = join(dir, 'alone.duckdb');
const served = join(dir, 'served.duckdb');
// The storm fixture: 35 days of background incidents on 4 services and 30 checkout incidents on
// 2026-03-09 14:00-15:00 UTC; every window below ends at this fixed instant.
const end = '2026-03-10T00:00:00Z';

let server: ChildProcess | undefined;
let serverExited: Promise<number | null> | undefined;

afterAll(async () => {
  server?.kill('SIGTERM');
  await serverExited;
  rmSync(dir, { recursive: true, force: true });
});

beforeAll(async () => {
  const engine = await openEngine({ path: alone });
  try {
    const storm = stormFixture();
    await insertIncidents(internalContext(engine).db, [...storm.background, ...storm.storm]);
  } finally {
    await engine.close();
  }
  copyFileSync(alone, served);
  if (existsSync(`${alone}.wal`)) copyFileSync(`${alone}.wal`, `${served}.wal`);
  await startServe(served);
}, 120_000);

/** Starts `insights serve --no-schedule` on `db` and resolves once its runtime file is there. */
async function startServe(db: string): Promise<void> {
  const served = spawnServe(db, ['--no-schedule']);
  server = served.child;
  serverExited = served.exited;
  for (let waited = 0; !readRuntimeFile(db); waited += 100) {
    if (served.child.exitCode !== null || waited > 90_000)
      throw new Error(`serve did not start: ${served.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** `fetch` on the served database's server as the system actor (its runtime file's credential). */
async function api<T>(path: string): Promise<T> {
  const runtime = readRuntimeFile(served);
  if (!runtime) throw new Error('no server');
  const response = await fetch(`${runtime.url}${path}`, {
    headers: { Authorization: `Token ${runtime.credential}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

function insights(db: string, args: readonly string[]): Promise<CliRun> {
  return runInsights(['--db', db, ...args]);
}

/** The output with every UUID (random in each database: anomaly, analysis and user ids) as `<id>`. */
function withoutIds(text: string): string {
  return text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>');
}

/**
 * Runs `args` on both databases; both succeed and print the same (ids aside). Returns the served run.
 * The two runs touch different files, so they run at the same time (one on each core).
 */
async function sameOnBoth(args: readonly string[]): Promise<CliRun> {
  const [byItself, throughServer] = await Promise.all([insights(alone, args), insights(served, args)]);
  expect(byItself.code, byItself.stderr).toBe(0);
  expect(throughServer.code, throughServer.stderr).toBe(0);
  expect(withoutIds(throughServer.stdout)).toBe(withoutIds(byItself.stdout));
  return throughServer;
}

describe('commands on a database that `insights serve` holds', () => {
  it('calculate-kpis: exit 0, the same table as alone, and the measurements the API then lists', async () => {
    const run = await sameOnBoth(['calculate-kpis', '--end', end]);
    // 8 system metrics, all measured now (worked out by the command alone on the copy).
    expect(run.stdout).toMatch(/^Calculated 8 measurements, 0 already stored\.\n/);
    const json = await insights(served, ['calculate-kpis', '--end', end, '--json']);
    expect(json.code).toBe(0);
    const reported = JSON.parse(json.stdout) as {
      id: string;
      metric_id: string;
      value: string | null;
      computed: boolean;
    }[];
    expect(reported).toHaveLength(8);
    for (const measurement of reported) {
      expect(measurement.computed).toBe(false);
      const listed = await api<{ results: { id: string; value: string | null }[] }>(
        `/api/analytics/kpi-measurements/?metric_id=${measurement.metric_id}`,
      );
      expect(listed.results.map((m) => ({ id: m.id, value: m.value }))).toContainEqual({
        id: measurement.id,
        value: measurement.value,
      });
    }
  });

  it('run-anomaly-detection: exit 0, the same report as alone, and the anomalies the API then shows', async () => {
    const run = await sameOnBoth(['run-anomaly-detection', '--time-window', '48', '--end', end]);
    expect(run.stdout).toMatch(/\d+ kept, merged into \d+ anomal(y|ies) .*: [1-9]\d* new, 0 already known/);
    // A second run finds them all known; its JSON names what the API holds.
    const json = await insights(served, [
      'run-anomaly-detection',
      '--time-window',
      '48',
      '--end',
      end,
      '--json',
    ]);
    expect(json.code).toBe(0);
    const out = JSON.parse(json.stdout) as {
      run: { anomalies_created: number };
      summary: { total_anomalies: number };
    };
    expect(out.run.anomalies_created).toBe(0);
    const listed = await api<{ count: number; results: { description: string }[] }>(
      '/api/analytics/anomaly-detections/?page_size=100',
    );
    expect(listed.count).toBe(out.summary.total_anomalies);
    expect(
      listed.results.some((a) => a.description.startsWith('30 incidents for checkout on 2026-03-09')),
    ).toBe(true);
  });

  it('analyze-recurrence: exit 0, the same analyses as alone, stored where the API reads them', async () => {
    await sameOnBoth(['analyze-recurrence', '--time-window', '720', '--end', end]);
    const json = await insights(served, [
      'analyze-recurrence',
      '--time-window',
      '720',
      '--end',
      end,
      '--json',
    ]);
    expect(json.code).toBe(0);
    const out = JSON.parse(json.stdout) as { analyses: { id: string; occurrence_count: number }[] };
    // The storm's 30 checkout incidents share one title: at least that pattern is found.
    expect(out.analyses.length).toBeGreaterThan(0);
    for (const analysis of out.analyses) {
      const shown = await api<{ id: string; occurrence_count: number }>(
        `/api/analytics/recurrence-analyses/${analysis.id}/`,
      );
      expect(shown.occurrence_count).toBe(analysis.occurrence_count);
    }
  });

  it('users create and tokens: the same lines as alone, and the API knows the user', async () => {
    const args = ['users', 'create', '--username', 'ana', '--password', 'secret-pass', '--role', 'analyst'];
    const run = await sameOnBoth(args);
    expect(run.stdout).toMatch(/^Created user ana \(analyst\) [0-9a-f-]{36}\n$/);
    const id = run.stdout.trim().split(' ').at(-1);
    const users = await api<{ results: { id: string; username: string; role: string }[] }>(
      '/api/auth/users/',
    );
    expect(users.results).toContainEqual(expect.objectContaining({ id, username: 'ana', role: 'analyst' }));
    // The same refusal as alone: a second `ana` is a CONFLICT (exit 4) with the engine's message.
    const [again, againAlone] = await Promise.all([insights(served, args), insights(alone, args)]);
    expect(again.code).toBe(4);
    expect(again.stderr).toBe(againAlone.stderr);
    const token = await insights(served, ['tokens', 'create', '--user', 'ana', '--name', 'ci']);
    expect(token.code).toBe(0);
    expect(token.stdout.trim()).toMatch(/^ii_[\w-]{43}$/);
    const listed = await insights(served, ['tokens', 'list', '--user', 'ana', '--json']);
    expect((JSON.parse(listed.stdout) as { prefix: string }[]).map((t) => t.prefix)).toEqual([
      token.stdout.trim().slice(0, 11),
    ]);
    const prefix = token.stdout.trim().slice(0, 11);
    const revoked = await insights(served, ['tokens', 'revoke', prefix]);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toMatch(new RegExp(`^Revoked token ${prefix} \\([0-9a-f-]{36}\\) of ana\n$`));
    const twice = await insights(served, ['tokens', 'revoke', prefix]);
    expect(twice.code).toBe(4);
    expect(twice.stderr).toMatch(new RegExp(`^insights: token ${prefix} is already revoked \\(since `));
  });

  it('ingest: the same report and range as alone, and the incidents are in the served database', async () => {
    const csv = join(dir, 'old.csv');
    writeFileSync(
      csv,
      [
        'external_id,title,severity,service,created_at,acknowledged_at,resolved_at',
        'U-1,Mail down,HIGH,mail,2016-03-01T10:00:00Z,2016-03-01T10:20:00Z,2016-03-01T12:00:00Z',
        'U-2,VPN flaps,MEDIUM,vpn,2016-03-02T12:00:00Z,,',
      ].join('\n'),
    );
    const run = await sameOnBoth(['ingest', csv]);
    // Two new incidents, the earliest now 2016-03-01 10:00.
    expect(run.stdout).toMatch(/^received +inserted +updated +skipped\n-+ +-+ +-+ +-+\n +2 +2 +0 +0\n/);
    expect(run.stdout).toMatch(/The database holds \d+ incidents created 2016-03-01T10:00:00\.000Z – /);
    const listed = await api<{ count: number }>('/api/incidents/?search=VPN%20flaps');
    expect(listed.count).toBe(1);
    // A bad file fails the same way through the server: exit 2, the engine's one line.
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'external_id,title,severity\nX-1,a,BAD\n');
    const [failed, failedAlone] = await Promise.all([
      insights(served, ['ingest', bad]),
      insights(alone, ['ingest', bad]),
    ]);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toBe(failedAlone.stderr);
  });
});

describe('demo beside a server', () => {
  it('sends its incidents through the API: --if-empty sees them, a run writes them', async () => {
    const held = await api<{ count: number }>('/api/incidents/?page_size=1');
    const skipped = await sameOnBoth(['demo', '--if-empty']);
    expect(skipped.stdout).toBe(`The database already holds ${held.count} incidents; nothing written.\n`);
    const run = await insights(served, ['demo', '--incidents', '50', '--days', '1', '--seed', '5']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /^Wrote 50 synthetic incidents \(SYN-1\.\.SYN-50\) from .* into .*served\.duckdb: 50 new, 0 updated\.\n/,
    );
    expect((await api<{ count: number }>('/api/incidents/?page_size=1')).count).toBe(held.count + 50);
    // Its configuration goes through the API too: the spec's dashboard and the demo's models.
    expect(run.stdout).toContain('Configured for the analyses: cost model, SLA contract');
    const dashboards = await api<{ results: { name: string }[] }>('/api/analytics/dashboard-configurations/');
    expect(dashboards.results.map((d) => d.name)).toContain('Executive Dashboard');
    const models = await api<{ results: { name: string }[] }>(
      '/api/analytics/predictive-models/?page_size=100',
    );
    expect(models.results.map((m) => m.name)).toContain('Demo severity predictor');
  });
});

describe('a database held by a process that is not a server', () => {
  it('fails with one line naming the process, not DuckDB text, and a non-zero exit', async () => {
    const db = join(dir, 'held.duckdb');
    const holder = spawn(
      process.execPath,
      [
        ...packageRunner(),
        '--input-type=module',
        '-e',
        `import { openEngine } from '@incident-insights/engine';
         const engine = await openEngine({ path: ${JSON.stringify(db)} });
         process.stdout.write('open\\n');
         process.stdin.on('end', () => engine.close());
         process.stdin.resume();`,
      ],
      { cwd: repoRoot, stdio: ['pipe', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve) => holder.stdout?.once('data', () => resolve()));
      const run = await insights(db, ['calculate-kpis', '--end', end]);
      expect(run.code).toBe(4);
      expect(run.stdout).toBe('');
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(
        new RegExp(`^insights: the database .*held\\.duckdb is in use by process ${holder.pid} \\(`),
      );
      expect(run.stderr).not.toMatch(/Could not set lock|IO Error/);
    } finally {
      holder.stdin?.end();
      await new Promise((resolve) => holder.on('exit', resolve));
    }
  });
});
