/**
 * Webhooks (issue 13): deliveries a second to a local receiver, and what the outbox write adds to a
 * change that emits an event.
 *
 * 1. Throughput: `--events` (default 2,000) MODEL_TRAINING_COMPLETED events appended, one
 *    subscription to a node:http receiver on 127.0.0.1 (allow-listed) answering 204 at once; passes
 *    of `engine.webhooks.deliver({ limit })` until `hasWork()` is false. Reports the fan-out (delivery
 *    rows created, bodies built) and the attempts (signed POSTs, 8 at a time, each outcome committed)
 *    separately, in deliveries a second.
 * 2. Write latency: `--changes` (default 500) transactions, each inserting one row into a table;
 *    the same with an outbox append (`engine.events.append`) in the transaction. Medians and p99 of
 *    each, and their ratio. The append does not depend on subscriptions (the outbox is written
 *    whether anyone listens or not), so "without the append" is the change without a subscription.
 *
 * The database is a file in a temporary folder (commits go to its WAL, as in production).
 *
 * Run: npx tsx --conditions=@incident-insights/source bench/webhooks.bench.ts [--events 2000]
 *   [--changes 500]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openEngine } from '@incident-insights/engine';
import { internalContext } from '@incident-insights/engine/internal';
import { timed } from './timer.ts';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '2000' },
    changes: { type: 'string', default: '500' },
  },
});
const eventCount = Number(args.events);
const changeCount = Number(args.changes);
const log = (line: string) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);

const dir = mkdtempSync(join(tmpdir(), 'webhooks-bench-'));
let received = 0;
const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    received++;
    response.writeHead(204).end();
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = (server.address() as AddressInfo).port;
const engine = await openEngine({
  path: join(dir, 'bench.duckdb'),
  workers: { threads: 1 },
  webhooks: { allowHosts: ['127.0.0.1'] },
});
const db = internalContext(engine).db;

try {
  log(`load average ${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} cores, Node ${process.version}`);
  await engine.webhooks.create({
    url: `http://127.0.0.1:${port}/hook`,
    event_types: ['MODEL_TRAINING_COMPLETED'],
  });
  await db.transaction(async (tx) => {
    for (let i = 0; i < eventCount; i++) {
      await engine.events.append(tx, 'MODEL_TRAINING_COMPLETED', {
        model_id: crypto.randomUUID(),
        version: String(i),
      });
    }
  });
  let fanOutMs = 0;
  let created = 0;
  let succeeded = 0;
  let passes = 0;
  const total = await timed(async () => {
    while (await engine.webhooks.hasWork()) {
      const started = performance.now();
      let fanned = started;
      const r = await engine.webhooks.deliver({
        limit: 5000,
        onProgress: () => {
          if (fanned === started) fanned = performance.now();
        },
      });
      fanOutMs += fanned - started;
      created += r.deliveriesCreated;
      succeeded += r.succeeded;
      passes++;
    }
  });
  const attemptMs = total.ms - fanOutMs;
  console.log(`\nThroughput: ${eventCount} events, 1 subscription, ${passes} pass(es)`);
  console.log(`| step | wall ms | a second |`);
  console.log(`| --- | ---: | ---: |`);
  console.log(
    `| fan-out (${created} delivery rows, bodies built) | ${fanOutMs.toFixed(0)} | ${((created / fanOutMs) * 1000).toFixed(0)} |`,
  );
  console.log(
    `| attempts (${succeeded} signed POSTs, 204) | ${attemptMs.toFixed(0)} | ${((succeeded / attemptMs) * 1000).toFixed(0)} |`,
  );
  console.log(`| whole pass | ${total.ms.toFixed(0)} | ${((succeeded / total.ms) * 1000).toFixed(0)} |`);
  console.log(`CPU ${total.cpuMs.toFixed(0)} ms; the receiver got ${received} requests`);

  await db.run('CREATE TABLE bench_changes (id UUID, v INTEGER)');
  const latencies = async (withEvent: boolean): Promise<number[]> => {
    const ms: number[] = [];
    for (let i = 0; i < changeCount; i++) {
      const t = await timed(() =>
        db.transaction(async (tx) => {
          await tx.run('INSERT INTO bench_changes VALUES (gen_random_uuid(), $v)', { v: i });
          if (withEvent)
            await engine.events.append(tx, 'COST_THRESHOLD_EXCEEDED', {
              incident_id: crypto.randomUUID(),
              v: i,
            });
        }),
      );
      ms.push(t.ms);
    }
    return ms.sort((a, b) => a - b);
  };
  const at = (xs: number[], q: number) => xs[Math.min(xs.length - 1, Math.floor(q * xs.length))] as number;
  await latencies(false); // warm-up
  const plain = await latencies(false);
  const withEvent = await latencies(true);
  console.log(`\nWrite latency: ${changeCount} transactions each`);
  console.log(`| change | p50 ms | p99 ms |`);
  console.log(`| --- | ---: | ---: |`);
  console.log(`| insert only | ${at(plain, 0.5).toFixed(3)} | ${at(plain, 0.99).toFixed(3)} |`);
  console.log(
    `| insert + outbox append | ${at(withEvent, 0.5).toFixed(3)} | ${at(withEvent, 0.99).toFixed(3)} |`,
  );
  console.log(
    `| ratio | ${(at(withEvent, 0.5) / at(plain, 0.5)).toFixed(2)} | ${(at(withEvent, 0.99) / at(plain, 0.99)).toFixed(2)} |`,
  );
} finally {
  await engine.close();
  server.close();
  rmSync(dir, { recursive: true, force: true });
}
