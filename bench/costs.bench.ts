/**
 * Cost calculation throughput (issue 12): `engine.costs.calculate` over every incident of a
 * database of synthetic incidents (default 1,000,000 over 90 days), the first run (every analysis
 * inserted) and the re-run (the same window: every analysis computed again, compared by its
 * fingerprint and left alone), in incidents a second.
 *
 * Configuration: every service is tier gold of retail (service '*'), priced in USD with all six
 * components; the first two services are tier silver of finance, priced in EUR (1 EUR = 1.085 USD);
 * one monthly SLA contract (99.9%) per service. No cost threshold (an event per incident over it
 * would measure the outbox).
 *
 * The database is built once (synthetic generator, seed 1, ending at the hour it is built, through a
 * Parquet file and `engine.incidents.ingest`) and kept in `--dir`; each run works on a fresh copy.
 *
 * Run: npx tsx --conditions=@incident-insights/source bench/costs.bench.ts [--count 1000000]
 *   [--days 90] [--dir DIR]
 */
import { rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type Engine, openEngine } from '@incident-insights/engine';
import { internalContext } from '@incident-insights/engine/internal';
import { freshCopy, preparedDatabase } from './prepared-database.ts';
import { timed } from './timer.ts';

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '1000000' },
    days: { type: 'string', default: '90' },
    dir: { type: 'string', default: join(tmpdir(), 'costs-bench') },
  },
});
const count = Number(args.count);
const days = Number(args.days);
const dir = resolve(args.dir, `${count}-${days}`);
const log = (line: string) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);

/** Builds the database once, with cost models, service tiers and contracts. */
function prepare() {
  return preparedDatabase({ dir, count, days, log, setup: configureCosts });
}

/** The cost configuration of the benchmark: two tiers in two currencies, a contract per service. */
async function configureCosts(engine: Engine): Promise<object> {
  await engine.costs.updateSettings({ reporting_currency: 'USD', exchange_rates: { EUR: '1.085' } });
  await engine.costs.setServiceTier({ service: '*', service_tier: 'gold', business_unit: 'retail' });
  const common = {
    effective_from: '2000-01-01T00:00:00Z',
    downtime_cost_per_hour: '1200.00',
    revenue_per_hour: '10000.00',
    lost_revenue_share: { LOW: '0.01', MEDIUM: '0.05', HIGH: '0.25', CRITICAL: '1' },
    responder_hourly_rate: '80.00',
    responders: 3,
    reputation_cost_per_user: '0.50',
    compliance_cost_per_incident: '2500.00',
    compliance_tags: ['pci'],
    compliance_categories: ['Security'],
  };
  await engine.costs.createModel({
    name: 'gold',
    service_tier: 'gold',
    business_unit: 'retail',
    currency: 'USD',
    ...common,
  });
  await engine.costs.createModel({
    name: 'silver',
    service_tier: 'silver',
    business_unit: 'finance',
    currency: 'EUR',
    ...common,
  });
  const rows = await internalContext(engine).db.all(
    'SELECT DISTINCT service FROM incidents WHERE service IS NOT NULL ORDER BY service',
  );
  const names = rows.map((row) => String(row['service']));
  for (const service of names.slice(0, 2)) {
    await engine.costs.setServiceTier({ service, service_tier: 'silver', business_unit: 'finance' });
  }
  for (const service of names) {
    await engine.costs.createContract({
      name: `${service} monthly`,
      service,
      period: 'MONTH',
      availability_target: 99.9,
      penalty_tiers: [
        { below: 99.9, amount: '1000.00' },
        { below: 99, amount: '5000.00' },
      ],
      currency: 'USD',
      effective_from: '2000-01-01T00:00:00Z',
    });
  }
  return {};
}

async function main(): Promise<void> {
  const prepared = await prepare();
  const copy = join(dir, 'run.duckdb');
  freshCopy(prepared.db, copy);
  const end = new Date(prepared.end);
  const engine = await openEngine({ path: copy, now: () => end });
  try {
    const windowHours = (days + 2) * 24;
    const resolved = await internalContext(engine).db.one('SELECT count(resolved_at) AS n FROM incidents');
    const priced = Number(resolved?.['n'] ?? 0);
    const lines = [
      `${count.toLocaleString('en')} synthetic incidents over ${days} days (seed 1), ${priced.toLocaleString('en')} resolved; Node ${process.version}, ${availableParallelism()} cores; load average ${(loadavg()[0] ?? 0).toFixed(1)} at the start.`,
      '',
      '| run | wall s | CPU s | created | updated | unchanged | resolved incidents a second |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ];
    for (const label of ['first (every analysis inserted)', 're-run (same window, nothing changes)']) {
      const run = await timed(() => engine.costs.calculate({ windowHours, end }));
      const r = run.value;
      lines.push(
        `| ${label} | ${(run.ms / 1000).toFixed(1)} | ${(run.cpuMs / 1000).toFixed(1)} | ${r.created.toLocaleString('en')} | ${r.updated} | ${r.unchanged.toLocaleString('en')} | ${Math.round(priced / (run.ms / 1000)).toLocaleString('en')} |`,
      );
      log(lines.at(-1) ?? '');
    }
    const summary = await timed(() => engine.costs.summary());
    lines.push(
      '',
      `Summary over every analysis: ${summary.ms.toFixed(0)} ms (total ${summary.value.total_cost} ${summary.value.currency}, ${summary.value.cost_per_hour} an hour of downtime).`,
    );
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await engine.close();
    rmSync(copy, { force: true });
    rmSync(`${copy}.wal`, { force: true });
  }
}

await main();
