import type { ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEngine } from '@incident-insights/engine';
import { internalContext } from '@incident-insights/engine/internal';
import { readRuntimeFile } from '@incident-insights/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliRun, runInsights } from '../../../test/support/run-cli.ts';
import { spawnServe } from '../../../test/support/serve-process.ts';

// The command runs in its own process on the real clock, and a refresh without a period uses each
// granularity's default period (the 28 days to the end of today for HOURLY), so the three incidents
// are placed 2 and 3 days before the test starts: all three are inside it, whatever the hour.
const dir = mkdtempSync(join(tmpdir(), 'insights-heatmaps-'));
const alone = join(dir, 'alone.duckdb');
const served = join(dir, 'served.duckdb');
const day = 86_400_000;

let server: ChildProcess | undefined;
let serverExited: Promise<number | null> | undefined;

beforeAll(async () => {
  const started = Date.now();
  const engine = await openEngine({ path: alone });
  try {
    await engine.incidents.ingest({
      records: [2, 3, 3].map((daysAgo, i) => ({
        external_id: `H-${i}`,
        title: `incident ${i}`,
        severity: 'HIGH',
        service: i === 0 ? 'api' : 'db',
        created_at: new Date(started - daysAgo * day).toISOString(),
      })),
    });
  } finally {
    await engine.close();
  }
  copyFileSync(alone, served);
  if (existsSync(`${alone}.wal`)) copyFileSync(`${alone}.wal`, `${served}.wal`);
}, 60_000);

afterAll(async () => {
  server?.kill('SIGTERM');
  await serverExited;
  rmSync(dir, { recursive: true, force: true });
});

function insights(db: string, args: readonly string[]): Promise<CliRun> {
  return runInsights(['--db', db, 'refresh-heatmaps', ...args]);
}

/** What `alone` stores: per heatmap, its type, granularity and the sum of its cells. */
async function stored(): Promise<{ type: string; granularity: string; total: number }[]> {
  const engine = await openEngine({ path: alone });
  try {
    const rows = await internalContext(engine).db.all(
      'SELECT heatmap_type, time_granularity FROM heatmap_data ORDER BY heatmap_type, time_granularity',
    );
    const page = await engine.heatmaps.list({ pageSize: 100 });
    return rows.map((row) => {
      const heatmap = page.results.find(
        (h) => h.heatmap_type === row['heatmap_type'] && h.time_granularity === row['time_granularity'],
      );
      return {
        type: String(row['heatmap_type']),
        granularity: String(row['time_granularity']),
        total: (heatmap?.values.flat() ?? []).reduce<number>((s, v) => s + (v ?? 0), 0),
      };
    });
  } finally {
    await engine.close();
  }
}

interface Refreshed {
  heatmaps: { id: string; heatmap_type: string; time_granularity: string; replaced: boolean }[];
}

describe('insights refresh-heatmaps', () => {
  it('refuses an unknown type or granularity with one line and stores nothing', async () => {
    for (const [args, message] of [
      [['--type', 'HEAT'], '--type must be one of INCIDENT_FREQUENCY'],
      [['--granularity', 'YEARLY'], '--granularity must be one of HOURLY, DAILY, WEEKLY, MONTHLY'],
    ] as const) {
      const run = await insights(alone, args);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(run.stderr).toContain(message);
    }
    expect(await stored()).toEqual([]);
  });

  it('refreshes one heatmap, then replaces it on the next run', async () => {
    const first = await insights(alone, [
      '--type',
      'incident_frequency',
      '--granularity',
      'hourly',
      '--json',
    ]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const once = JSON.parse(first.stdout) as Refreshed;
    expect(once.heatmaps).toMatchObject([
      {
        heatmap_type: 'INCIDENT_FREQUENCY',
        time_granularity: 'HOURLY',
        replaced: false,
        rows: 7,
        columns: 24,
      },
    ]);
    const twice = JSON.parse(
      (await insights(alone, ['--type', 'INCIDENT_FREQUENCY', '--granularity', 'HOURLY', '--json'])).stdout,
    ) as Refreshed;
    expect(twice.heatmaps).toMatchObject([{ id: once.heatmaps[0]?.id, replaced: true }]);
    expect(await stored()).toEqual([{ type: 'INCIDENT_FREQUENCY', granularity: 'HOURLY', total: 3 }]);
  });

  it('refreshes every type and granularity, one line each', async () => {
    const run = await insights(alone, []);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TYPE\s+GRANULARITY\s+PERIOD\s+CELLS\s+STORED\s+ID$/);
    expect(lines).toHaveLength(2 + 16);
    expect(lines.filter((l) => l.includes(' replaced '))).toHaveLength(1);
    expect(lines.find((l) => l.startsWith('INCIDENT_FREQUENCY  DAILY'))).toMatch(/ 2 × 30 /);
    const all = await stored();
    expect(all).toHaveLength(16);
    // Three incidents in every frequency heatmap; no cost analyses or anomalies in this database.
    expect(all.filter((h) => h.type === 'INCIDENT_FREQUENCY').map((h) => h.total)).toEqual([3, 3, 3, 3]);
    expect(
      all
        .filter((h) => h.type !== 'INCIDENT_FREQUENCY' && h.type !== 'RESOLUTION_TIME')
        .every((h) => h.total === 0),
    ).toBe(true);
  });

  it('sends the job to the server that holds the database', async () => {
    const serve = spawnServe(served, ['--no-schedule']);
    server = serve.child;
    serverExited = serve.exited;
    for (let waited = 0; !readRuntimeFile(served); waited += 100) {
      if (serve.child.exitCode !== null || waited > 60_000)
        throw new Error(`serve did not start: ${serve.stderr()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const run = await insights(served, ['--granularity', 'DAILY', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as Refreshed;
    expect(result.heatmaps.map((h) => [h.heatmap_type, h.time_granularity, h.replaced])).toEqual([
      ['INCIDENT_FREQUENCY', 'DAILY', false],
      ['RESOLUTION_TIME', 'DAILY', false],
      ['COST_IMPACT', 'DAILY', false],
      ['ANOMALY_DENSITY', 'DAILY', false],
    ]);
    const runtime = readRuntimeFile(served);
    const response = await fetch(`${runtime?.url}/api/analytics/heatmap-data/?time_granularity=DAILY`, {
      headers: { Authorization: `Token ${runtime?.credential}` },
    });
    const page = (await response.json()) as {
      count: number;
      results: { id: string; labels: { rows: string[] } }[];
    };
    expect(page.count).toBe(4);
    const frequency = page.results.find((h) => h.id === result.heatmaps[0]?.id);
    expect(frequency?.labels.rows).toEqual(['api', 'db']);
  }, 90_000);
});
