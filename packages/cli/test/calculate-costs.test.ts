import type { ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEngine } from '@incident-insights/engine';
import { readRuntimeFile } from '@incident-insights/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliRun, runInsights } from '../../../test/support/run-cli.ts';
import { spawnServe } from '../../../test/support/serve-process.ts';

// The command runs in its own process on the real clock, so every run names its window with
// --end. One incident on checkout (tier gold, retail; 1,200.00 USD an hour of downtime, 0.50 a
// user): HIGH, 31 May 10:00 → 11:30 (1.5 h), 1,000 users: downtime 1,800.00 and reputation 500.00.
const dir = mkdtempSync(join(tmpdir(), 'insights-costs-'));
const alone = join(dir, 'alone.duckdb');
const served = join(dir, 'served.duckdb');
const window = ['--end', '2024-06-01T00:00:00Z', '--time-window', '24'];

let server: ChildProcess | undefined;
let serverExited: Promise<number | null> | undefined;

beforeAll(async () => {
  const engine = await openEngine({ path: alone });
  try {
    await engine.costs.setServiceTier({ service: 'checkout', service_tier: 'gold', business_unit: 'retail' });
    await engine.costs.createModel({
      name: 'gold retail',
      service_tier: 'gold',
      business_unit: 'retail',
      currency: 'USD',
      effective_from: '2024-01-01T00:00:00Z',
      downtime_cost_per_hour: '1200.00',
      reputation_cost_per_user: '0.50',
    });
    await engine.incidents.ingest({
      records: [
        {
          external_id: 'A',
          title: 'checkout down',
          service: 'checkout',
          severity: 'HIGH',
          created_at: '2024-05-31T10:00:00Z',
          resolved_at: '2024-05-31T11:30:00Z',
          affected_users: 1000,
        },
      ],
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
  return runInsights(['--db', db, 'calculate-costs', ...args]);
}

async function amounts(db: string): Promise<string[]> {
  const engine = await openEngine({ path: db });
  try {
    return (await engine.costs.list({ ordering: 'cost_type' })).results.map(
      (r) => `${r.cost_type} ${r.cost_amount}`,
    );
  } finally {
    await engine.close();
  }
}

describe('insights calculate-costs', () => {
  it('refuses a bad window with one line and stores nothing', async () => {
    for (const [args, message] of [
      [['--time-window', '0'], '--time-window'],
      [['--end', 'yesterday'], '--end'],
    ] as const) {
      const run = await insights(alone, args);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(run.stderr).toContain(message);
    }
    expect(await amounts(alone)).toEqual([]);
  });

  it('prices the window, then changes nothing on a second run', async () => {
    const first = await insights(alone, [...window, '--json']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({
      start: '2024-05-31T00:00:00.000Z',
      end: '2024-06-01T00:00:00.000Z',
      created: 2,
      updated: 0,
      unchanged: 0,
      threshold_events: 0,
      missing_rates: [],
    });
    expect(await amounts(alone)).toEqual(['DOWNTIME 1800.00', 'REPUTATION_COST 500.00']);
    const second = await insights(alone, window);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toBe(
      'Cost analyses from 2024-05-31T00:00:00.000Z to 2024-06-01T00:00:00.000Z: 0 created, 0 recomputed, 2 unchanged; 0 over the cost threshold.\n',
    );
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
    const run = await insights(served, [...window, '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ created: 2, updated: 0 });
    const runtime = readRuntimeFile(served);
    const response = await fetch(`${runtime?.url}/api/analytics/cost-analyses/summary/`, {
      headers: { Authorization: `Token ${runtime?.credential}` },
    });
    expect(await response.json()).toMatchObject({
      total_cost: '2300.00',
      total_downtime_hours: '1.5',
      cost_per_hour: '1533.33',
    });
  }, 90_000);
});
