import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEngine } from '@incident-insights/engine';
import { readRuntimeFile } from '@incident-insights/server';
import { afterAll, describe, expect, it } from 'vitest';
import { end as kpiEnd, loadHandIncidents } from './support/kpi-fixtures.ts';
import { listeningUrl, spawnServe } from './support/serve-process.ts';
import { startReceiver } from './support/webhook-receiver.ts';

// `insights serve` as a deployment runs it, killed with SIGKILL while a delivery waits for its
// retry, then started again: the delivery survives in the database and reaches the receiver once.
// Retries start after at most 300 ms here (INSIGHTS_WEBHOOK_INITIAL_BACKOFF_MS), not 30 s.
const dir = mkdtempSync(join(tmpdir(), 'insights-webhooks-e2e-'));
const children = new Set<ChildProcess>();
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

interface Delivery {
  event_id: string;
  status: string;
  attempts: { response_code: number | null }[];
}

/** Calls `probe` every 100 ms until it returns a value, for at most `seconds`. */
async function eventually<T>(what: string, seconds: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('webhook deliveries across a crash of the server', () => {
  it('a delivery RETRYING when the server is killed is delivered once after the restart', async () => {
    const receiver = await startReceiver();
    try {
      receiver.answer({ status: 500, body: 'not now' });
      const db = join(dir, 'insights.duckdb');
      // The subscription and one KPI breach (5 incidents in the hand-worked day, summed, above 1)
      // are written before the server starts: the breach waits in the outbox.
      const engine = await openEngine({ path: db, webhooks: { allowHosts: ['127.0.0.1'] } });
      let hookId: string;
      try {
        await loadHandIncidents(engine);
        hookId = (
          await engine.webhooks.create({ url: receiver.url, event_types: ['KPI_THRESHOLD_BREACHED'] })
        ).id;
        const metric = await engine.kpis.create({
          name: 'count',
          metric_type: 'INCIDENT_COUNT',
          aggregation_type: 'SUM',
          target_value: 1,
        });
        await engine.kpis.calculate(metric.id, { end: kpiEnd });
      } finally {
        await engine.close();
      }
      const start = async () => {
        const served = spawnServe(db, ['--no-schedule', '--webhook-allow', '127.0.0.1'], {
          INSIGHTS_WEBHOOK_INITIAL_BACKOFF_MS: '300',
        });
        children.add(served.child);
        await listeningUrl(served);
        const runtime = await eventually('the runtime file', 30, async () => readRuntimeFile(db));
        const deliveries = async () => {
          const response = await fetch(`${runtime.url}/api/analytics/webhooks/${hookId}/deliveries/`, {
            headers: { Authorization: `Token ${runtime.credential}` },
          });
          return ((await response.json()) as { results: Delivery[] }).results;
        };
        return { served, deliveries };
      };

      const first = await start();
      const retrying = await eventually('a delivery RETRYING', 30, async () => {
        const [delivery] = await first.deliveries();
        return delivery?.status === 'RETRYING' ? delivery : undefined;
      });
      expect(retrying.attempts[0]?.response_code).toBe(500);
      first.served.child.kill('SIGKILL');
      await first.served.exited;
      const failedBeforeCrash = receiver.received.length;
      expect(failedBeforeCrash).toBeGreaterThanOrEqual(1);

      receiver.answer({ status: 200, body: 'ok' });
      const second = await start();
      const delivered = await eventually('the delivery SUCCEEDED', 30, async () => {
        const [delivery] = await second.deliveries();
        return delivery?.status === 'SUCCEEDED' ? delivery : undefined;
      });
      expect(delivered.event_id).toBe(retrying.event_id);
      // A few more drain ticks: nothing is sent again.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect([...receiver.acceptedByEvent()]).toEqual([[retrying.event_id, 1]]);
      expect(receiver.received.every((r) => r.headers['x-insights-event-id'] === retrying.event_id)).toBe(
        true,
      );
      expect((await second.deliveries()).map((d) => d.status)).toEqual(['SUCCEEDED']);
      second.served.child.kill('SIGTERM');
      expect(await second.served.exited).toBe(0);
    } finally {
      await receiver.close();
    }
  }, 90_000);
});
