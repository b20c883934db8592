// Ingests a file of incidents and prints the KPIs of the period it covers.
//
// Run from the repository root, on the sample file next to this script or on your own (CSV, TSV,
// JSON, NDJSON, Parquet, Arrow or a ServiceNow event log zip; the format comes from the name):
//   npx tsx --conditions=@incident-insights/source examples/ingest-and-kpis.mjs [file]
import { fileURLToPath } from 'node:url';
import { openEngine } from '@incident-insights/engine';

const file = process.argv[2] ?? fileURLToPath(new URL('./incidents.csv', import.meta.url));
const hourMs = 3_600_000;

const engine = await openEngine({ path: ':memory:' });
try {
  const report = await engine.incidents.ingest({ path: file });
  console.log(`ingested ${report.inserted} incidents from ${file} (${report.skipped} skipped)`);

  // The period: from the hour of the first incident to the hour after the last one.
  const coverage = await engine.incidents.coverage();
  if (coverage.count === 0) throw new Error('the file has no incidents');
  const start = Math.floor(coverage.firstCreatedAt.getTime() / hourMs) * hourMs;
  const end = new Date(Math.floor(coverage.lastCreatedAt.getTime() / hourMs) * hourMs + hourMs);
  const windowHours = (end.getTime() - start) / hourMs;
  console.log(`period ${new Date(start).toISOString()} to ${end.toISOString()} (${windowHours} h)`);

  // Every active metric (the built-in one per KPI type, and any you create) over that period.
  for (const { measurement } of await engine.kpis.calculateAll({ end, windowHours })) {
    const value = measurement.value === null ? 'no value' : `${measurement.value} ${measurement.unit}`;
    console.log(`${measurement.metric_name}: ${value}`);
  }
} finally {
  await engine.close();
}
