import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEngine } from '@incident-insights/engine';
import { loadSyntheticIncidents } from '@incident-insights/engine/synth';
import { runtimeFilePath } from '@incident-insights/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInsights } from '../../../test/support/run-cli.ts';
import { spawnServe } from '../../../test/support/serve-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'insights-serve-analyze-'));
const db = join(dir, 'demo.duckdb');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  // A small demo database: enough for every analysis to have work to do.
  const engine = await openEngine({ path: db });
  try {
    await loadSyntheticIncidents(engine, { seed: 1, count: 1500, days: 30 });
    await engine.auth.createUser({ username: 'ops', role: 'admin' });
  } finally {
    await engine.close();
  }
});

/** Resolves when `pattern` appears in what `child` has written on stderr so far or later. */
function stderrMatch(child: ChildProcess, read: () => string, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = pattern.exec(read());
      if (match) {
        child.stderr?.off('data', check);
        resolve(match);
      }
    };
    child.stderr?.on('data', check);
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${read()}`)));
    check();
  });
}

/** The jobs of the database once no server holds it, by kind. */
async function storedJobs() {
  const engine = await openEngine({ path: db });
  try {
    return (await engine.jobs.list({ pageSize: 100 })).results.sort((a, b) => a.kind.localeCompare(b.kind));
  } finally {
    await engine.close();
  }
}

describe('insights serve --analyze', () => {
  it('answers first, then runs the three analyses as jobs of the server, and stops on SIGTERM', async () => {
    const { child, stderr, exited } = spawnServe(db, [
      '--no-schedule',
      '--analyze',
      '--anomaly-window',
      '240',
    ]);
    try {
      const [, url] = await stderrMatch(child, stderr, /listening on (http:\/\/[^/\s]+)\/api\//);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      await stderrMatch(child, stderr, /^analysis: run_anomaly_detection \w+ in/m);
      await stderrMatch(child, stderr, /^analysis: analyze_recurrence \w+ in/m);
      await stderrMatch(child, stderr, /^analysis: calculate_kpis \w+ in/m);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    const lines = stderr().split('\n');
    const at = (pattern: RegExp) => lines.findIndex((line) => pattern.test(line));
    expect(at(/listening on/)).toBeGreaterThanOrEqual(0);
    expect(at(/^schedules: none \(--no-schedule\); queued jobs still run$/)).toBeGreaterThan(
      at(/listening on/),
    );
    expect(
      at(
        /^analysis: queued calculate_kpis \(job [\w-]+\), analyze_recurrence \(job [\w-]+\), run_anomaly_detection/,
      ),
    ).toBeGreaterThan(at(/listening on/));
    // 8 system metrics, none measured before (the demo database has no measurement yet).
    expect(
      at(/^analysis: calculate_kpis SUCCEEDED in [\d.]+ s: 8 KPI measurements calculated, 0 already stored$/),
    ).toBeGreaterThan(0);
    expect(
      at(/^analysis: analyze_recurrence SUCCEEDED in [\d.]+ s: \d+ recurring patterns$/),
    ).toBeGreaterThan(0);
    expect(at(/^analysis: run_anomaly_detection SUCCEEDED in [\d.]+ s: \d+ new anomalies$/)).toBeGreaterThan(
      0,
    );
    expect(existsSync(runtimeFilePath(db))).toBe(false);

    const jobs = await storedJobs();
    expect(jobs.map((j) => [j.kind, j.status, j.parameters, j.requested_by_username, j.schedule])).toEqual([
      ['analyze_recurrence', 'SUCCEEDED', {}, 'system', null],
      ['calculate_kpis', 'SUCCEEDED', {}, 'system', null],
      ['run_anomaly_detection', 'SUCCEEDED', { time_window: 240 }, 'system', null],
    ]);
  });

  it('runs the default schedules unless told otherwise, and shows them at /api/jobs/schedules/', async () => {
    const { child, stderr, exited } = spawnServe(db, []);
    try {
      const [, url] = await stderrMatch(child, stderr, /listening on (http:\/\/[^/\s]+)\/api\//);
      expect(stderr()).toMatch(
        /^schedules: the default ones \(KPIs hourly, anomaly detection every 15 minutes, recurrence every 6 hours, model training daily, incident scoring every 5 minutes, insights hourly, costs hourly, cleanup daily, heatmaps hourly\)/m,
      );
      const { readRuntimeFile } = await import('@incident-insights/server');
      const credential = readRuntimeFile(db)?.credential;
      const response = await fetch(`${url}/api/jobs/schedules/`, {
        headers: { Authorization: `Token ${credential}` },
      });
      const schedules = (await response.json()) as { name: string; kind: string; every_seconds: number }[];
      expect(schedules.map((s) => [s.name, s.kind, s.every_seconds])).toEqual([
        ['kpis-hourly', 'calculate_kpis', 3600],
        ['anomalies-15min', 'run_anomaly_detection', 900],
        ['recurrence-6h', 'analyze_recurrence', 21_600],
        ['models-daily', 'train_predictive_models', 86_400],
        ['scoring-5min', 'score_incidents', 300],
        ['insights-hourly', 'generate_insights', 3600],
        ['costs-hourly', 'calculate_costs', 3600],
        ['cleanup-daily', 'cleanup', 86_400],
        ['heatmaps-hourly', 'refresh_heatmaps', 3600],
      ]);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('refuses a bad --schedule-config with one line and exit 2, before anything is written', async () => {
    const cases: [string, RegExp][] = [
      ['{"name": "k"}', /must be a JSON list of schedules/],
      [
        '[{"name": "k", "kind": "calculate_kpis", "everySeconds": 0}]',
        /schedule 1 \("k"\): everySeconds must be a whole number of seconds from 1/,
      ],
      [
        '[{"name": "k", "kind": "calculate_kpis", "every": 60}]',
        /schedule 1: unknown field every \(accepted: name, kind, parameters, everySeconds, enabled\)/,
      ],
      [
        '[{"name": "k", "kind": "coffee", "everySeconds": 60}]',
        /schedule 1 \("k"\): unknown kind coffee \(accepted: .*calculate_kpis/,
      ],
      [
        '[{"name": "k", "kind": "calculate_kpis", "everySeconds": 60, "parameters": {"window": 1}}]',
        /invalid parameters for calculate_kpis: parameters\.window: unknown field/,
      ],
    ];
    const fresh = join(dir, 'fresh.duckdb');
    for (const [text, message] of cases) {
      const file = join(dir, 'schedules.json');
      writeFileSync(file, text);
      const run = await runInsights(['--db', fresh, 'serve', '--port', '0', '--schedule-config', file]);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(new RegExp(`^insights: --schedule-config ${file}: ${message.source}`));
      expect(run.stdout).toBe(''); // no admin token: no user was created
    }
    const both = await runInsights([
      '--db',
      fresh,
      'serve',
      '--no-schedule',
      '--schedule-config',
      join(dir, 'x.json'),
    ]);
    expect(both).toMatchObject({
      code: 2,
      stderr: 'insights: --no-schedule and --schedule-config exclude each other\n',
    });
    if (existsSync(fresh)) {
      const engine = await openEngine({ path: fresh });
      try {
        expect(await engine.auth.countUsers()).toBe(0);
        expect((await engine.jobs.list()).count).toBe(0);
      } finally {
        await engine.close();
      }
    }
  });
});
