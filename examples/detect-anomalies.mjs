// Runs the anomaly detectors on a series of your own, in-process (no database, no engine).
//
// Run from the repository root, on a built-in demo series or on a CSV file with a header and the
// columns `timestamp,value` (ISO 8601 instants or epoch milliseconds, ascending):
//   npx tsx --conditions=@incident-insights/source examples/detect-anomalies.mjs [series.csv]
import { readFileSync } from 'node:fs';
import { detectAnomalies } from '@incident-insights/engine';

/** The demo series: 200 hourly points from 2024-01-01 cycling 10, 11, 12, with one spike of 60. */
function demoSeries() {
  const timestamps = Array.from({ length: 200 }, (_, i) => Date.UTC(2024, 0, 1) + i * 3_600_000);
  const values = timestamps.map((_, i) => (i === 150 ? 60 : 10 + (i % 3)));
  return { key: 'demo', timestamps, values };
}

/** A series read from a `timestamp,value` CSV file. */
function seriesFromCsv(path) {
  const [, ...lines] = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  const rows = lines.map((line) => line.split(','));
  const instant = (text) => (/^\d+$/.test(text) ? Number(text) : Date.parse(text));
  return { key: path, timestamps: rows.map(([t]) => instant(t)), values: rows.map(([, v]) => Number(v)) };
}

const series = process.argv[2] ? seriesFromCsv(process.argv[2]) : demoSeries();
// Default detectors: seasonal hybrid ESD (robust ESD when no daily or weekly cycle is found) and CUSUM.
const detections = detectAnomalies(series, { sensitivity: 'medium' });
console.log(`${series.values.length} points, ${detections.length} anomalies`);
for (const d of detections) {
  console.log(
    `${new Date(d.peakTimestamp).toISOString()} ${d.method} observed ${d.observed} expected ${d.expected.toFixed(2)} ` +
      `score ${d.score.toFixed(2)} confidence ${d.confidence.toFixed(3)}`,
  );
}
