/**
 * Synthetic evaluation of `insights run-anomaly-detection`: seeded synthetic incidents with planted
 * anomalies (storms, MTTA shift, severity-mix change, level shift) → one run over the whole span →
 * recall and precision of the stored anomalies under the matching rule of
 * `test/support/anomaly-evaluation.ts`; also times a 24-hour run (the management
 * command's usual window) on the same data.
 *
 *   npx tsx --conditions=@incident-insights/source bench/anomaly-synthetic.ts [seeds=1,2,3] [count=20000] [days=90]
 */
import { openEngine } from '@incident-insights/engine';
import { loadSyntheticIncidents } from '@incident-insights/engine/synth';
import { evaluatePlanted } from '../test/support/anomaly-evaluation.ts';
import { timed } from './timer.ts';

const seeds = (process.argv[2] ?? '1,2,3').split(',').map(Number);
const count = Number(process.argv[3] ?? 20_000);
const days = Number(process.argv[4] ?? 90);
const verbose = process.env['VERBOSE'] === '1';
let found = 0;
let planted = 0;
let matched = 0;
let stored = 0;
for (const seed of seeds) {
  const end = new Date('2025-01-01T00:00:00Z');
  const engine = await openEngine({ path: ':memory:', now: () => end });
  try {
    const { data } = await loadSyntheticIncidents(engine, { seed, count, days, end });
    const { ms, value: run } = await timed(() => engine.anomalies.run({ end, windowHours: days * 24 }));
    const anomalies = [];
    for (let page = 1; (page - 1) * 100 < run.anomaliesCreated; page++) {
      anomalies.push(...(await engine.anomalies.list({ page, pageSize: 100 })).results);
    }
    // The operational case: the management command over the last 24 hours (a second run, so the
    // worker pool is warm; anything already stored is skipped).
    const { ms: dailyMs } = await timed(() => engine.anomalies.run({ end, windowHours: 24 }));
    const e = evaluatePlanted(data.truth.anomalies, anomalies);
    found += e.planted.filter((p) => p.found.length > 0).length;
    planted += e.planted.length;
    matched += anomalies.length - e.unmatched.length;
    stored += anomalies.length;
    console.log(
      `seed ${seed}: ${data.count} incidents, ${run.seriesAnalyzed} series, ${anomalies.length} anomalies in ${(ms / 1000).toFixed(1)} s (a 24 h run: ${(dailyMs / 1000).toFixed(1)} s); recall ${e.recall.toFixed(2)}, precision ${e.precision.toFixed(2)}`,
    );
    for (const p of e.planted)
      if (verbose || p.found.length === 0)
        console.log(`  ${p.found.length ? 'found ' : 'MISSED'} ${p.kind} ${p.target} ${p.start}`);
    for (const a of e.unmatched)
      console.log(
        `  unmatched ${a.anomaly_type} ${a.series_key} ${a.time_window_start.toISOString()} ${a.description}`,
      );
  } finally {
    await engine.close();
  }
}
console.log(
  `overall: recall ${(found / planted).toFixed(3)} (${found}/${planted}), precision ${(matched / stored).toFixed(3)} (${matched}/${stored})`,
);
