import type { ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Engine, openEngine } from '@incident-insights/engine';
import { readRuntimeFile } from '@incident-insights/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { end as kpiEnd, loadHandIncidents } from '../../../test/support/kpi-fixtures.ts';
import { type CliRun, runInsights } from '../../../test/support/run-cli.ts';
import { spawnServe } from '../../../test/support/serve-process.ts';
import { startReceiver, type TestReceiver } from '../../../test/support/webhook-receiver.ts';

// One subscription to a receiver in this process; each event is a KPI threshold breach over the
// hand-worked day (5 incidents, summed over its hours, above a target of 1: test/support/kpi-fixtures.ts).
const dir = mkdtempSync(join(tmpdir(), 'insights-webhooks-'));
const alone = join(dir, 'alone.duckdb');
const served = join(dir, 'served.duckdb');
const allow = { INSIGHTS_WEBHOOK_ALLOW: '127.0.0.1' };
let receiver: TestReceiver;
let server: ChildProcess | undefined;
let serverExited: Promise<number | null> | undefined;

/** Opens `db` with 127.0.0.1 allowed, runs `work`, closes it. */
async function onDatabase<T>(db: string, work: (engine: Engine) => Promise<T>): Promise<T> {
  const engine = await openEngine({ path: db, webhooks: { allowHosts: ['127.0.0.1'] } });
  try {
    return await work(engine);
  } finally {
    await engine.close();
  }
}

/** Records one new breach in the outbox of `db`. */
const breach = (db: string) =>
  onDatabase(db, async (engine) => {
    const metric = await engine.kpis.create({
      name: `count ${crypto.randomUUID()}`,
      metric_type: 'INCIDENT_COUNT',
      aggregation_type: 'SUM',
      target_value: 1,
    });
    await engine.kpis.calculate(metric.id, { end: kpiEnd });
  });

beforeAll(async () => {
  receiver = await startReceiver();
  await onDatabase(alone, async (engine) => {
    await loadHandIncidents(engine);
    await engine.webhooks.create({ url: receiver.url, event_types: ['KPI_THRESHOLD_BREACHED'] });
  });
  copyFileSync(alone, served);
  if (existsSync(`${alone}.wal`)) copyFileSync(`${alone}.wal`, `${served}.wal`);
}, 60_000);

afterAll(async () => {
  server?.kill('SIGTERM');
  await serverExited;
  await receiver.close();
  rmSync(dir, { recursive: true, force: true });
});

function deliver(db: string, args: readonly string[], env: NodeJS.ProcessEnv = allow): Promise<CliRun> {
  return runInsights(['--db', db, 'deliver-webhooks', ...args], env);
}

describe('insights deliver-webhooks', () => {
  it('alone, delivers the pending events and says what it did', async () => {
    await breach(alone);
    const run = await deliver(alone, []);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      'Webhooks: 1 new event, 1 delivery created; 1 attempted, 1 succeeded, 0 to retry, 0 dead-lettered; 0 subscriptions disabled.\n',
    );
    expect(receiver.received).toHaveLength(1);
    const again = await deliver(alone, ['--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({
      events_read: 0,
      deliveries_created: 0,
      attempted: 0,
      succeeded: 0,
      retrying: 0,
      dead_lettered: 0,
      disabled: 0,
    });
    expect(receiver.received).toHaveLength(1);
  });

  it('checks the address again at delivery: without the allow-list the loopback receiver is refused', async () => {
    await breach(alone);
    const refused = await deliver(alone, ['--json'], {});
    expect(refused.code, refused.stderr).toBe(0);
    expect(JSON.parse(refused.stdout)).toMatchObject({
      events_read: 1,
      attempted: 1,
      succeeded: 0,
      retrying: 1,
    });
    expect(receiver.received).toHaveLength(1);
    const [delivery] = await onDatabase(alone, async (engine) => {
      const [hook] = (await engine.webhooks.list()).results;
      return (await engine.webhooks.deliveries(String(hook?.id), { filters: { status: 'RETRYING' } }))
        .results;
    });
    expect(delivery?.attempts[0]?.error).toMatch(/loopback/);
  });

  it('refuses a bad setting in the environment with one line, sending nothing', async () => {
    const before = receiver.received.length;
    const run = await deliver(alone, [], { ...allow, INSIGHTS_WEBHOOK_INITIAL_BACKOFF_MS: 'soon' });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('INSIGHTS_WEBHOOK_INITIAL_BACKOFF_MS');
    expect(receiver.received).toHaveLength(before);
  });

  it('beside a running server, hands the job to it: each event reaches the receiver once', async () => {
    const serve = spawnServe(served, ['--no-schedule', '--webhook-allow', '127.0.0.1']);
    server = serve.child;
    serverExited = serve.exited;
    for (let waited = 0; !readRuntimeFile(served); waited += 100) {
      if (serve.child.exitCode !== null || waited > 60_000)
        throw new Error(`serve did not start: ${serve.stderr()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const runtime = readRuntimeFile(served);
    const api = async (path: string, init: RequestInit = {}) => {
      const response = await fetch(`${runtime?.url}${path}`, {
        ...init,
        headers: { Authorization: `Token ${runtime?.credential}`, 'Content-Type': 'application/json' },
      });
      return response.json() as Promise<Record<string, unknown>>;
    };
    const before = receiver.received.length;
    // A breach through the server's own API, so that the server holds the database meanwhile.
    const metric = await api('/api/analytics/kpi-metrics/', {
      method: 'POST',
      body: JSON.stringify({
        name: 'count over 1',
        metric_type: 'INCIDENT_COUNT',
        aggregation_type: 'SUM',
        target_value: 1,
      }),
    });
    await api('/api/analytics/kpi-metrics/calculate/', {
      method: 'POST',
      body: JSON.stringify({ metric_id: metric['id'], end: kpiEnd.toISOString() }),
    });
    const run = await deliver(served, ['--json'], {});
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ dead_lettered: 0, disabled: 0 });
    // The server's drain and the command share the work: one 2xx per event, whoever sent it.
    for (let waited = 0; receiver.received.length === before && waited < 20_000; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const news = receiver.received.slice(before);
    expect(news.map((r) => r.headers['x-insights-event-type'])).toEqual(['KPI_THRESHOLD_BREACHED']);
    const jobs = await api('/api/jobs/?kind=deliver_webhooks&page_size=100');
    expect(jobs['count']).toBeGreaterThanOrEqual(1);
  }, 90_000);
});
