/**
 * Runs `detectAnomalies` (default options: seasonal hybrid ESD + CUSUM, post-processing on) over every
 * `data/<group>/<file>.csv` of a Numenta Anomaly Benchmark folder and scores the detections against
 * `labels/combined_windows.json`: per-file and per-group window precision, recall and F1, and the NAB
 * standard-profile score. Batch mode: each file is examined whole, which NAB's online protocol does
 * not allow, so the NAB score is not comparable with its leaderboard.
 *
 *   npx tsx --conditions=@incident-insights/source bench/nab.ts [NAB root]   (default ../shared/data/nab)
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { detectAnomalies } from '@incident-insights/engine';
import { nabRawScore, prf, type WindowCounts, windowCounts } from './nab-score.ts';
import { timed } from './timer.ts';

const root = path.resolve(process.argv[2] ?? path.resolve(import.meta.dirname, '..', '../shared/data/nab'));
const parseTime = (s: string): number =>
  Date.parse(
    `${s
      .trim()
      .replace(' ', 'T')
      .replace(/\.\d+$/, '')}Z`,
  );
const labels = JSON.parse(readFileSync(path.join(root, 'labels', 'combined_windows.json'), 'utf8')) as Record<
  string,
  [string, string][]
>;
const profiles = JSON.parse(readFileSync(path.join(root, 'config', 'profiles.json'), 'utf8')) as Record<
  string,
  { CostMatrix: { tpWeight: number; fnWeight: number; fpWeight: number } }
>;
const standard = profiles['standard']!.CostMatrix;

interface GroupTotals extends WindowCounts {
  files: number;
  detections: number;
  raw: number;
  windows: number;
}
const groups = new Map<string, GroupTotals>();
const rows: string[] = [];
const started = performance.now();
for (const group of readdirSync(path.join(root, 'data')).sort()) {
  const dir = path.join(root, 'data', group);
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.csv'))
    .sort()) {
    const lines = readFileSync(path.join(dir, file), 'utf8').trim().split('\n').slice(1);
    const timestamps = new Float64Array(lines.length);
    const values = new Float64Array(lines.length);
    lines.forEach((line, i) => {
      const [t, v] = line.split(',');
      // NAB files keep row order through clock changes (DST repeats an hour in machine_temperature);
      // the detectors take rows in file order, so a timestamp that steps back is held at its predecessor.
      timestamps[i] = Math.max(parseTime(t!), i > 0 ? timestamps[i - 1]! : Number.NEGATIVE_INFINITY);
      values[i] = Number(v);
    });
    const key = `${group}/${file}`;
    const windows = (labels[key] ?? []).map(([a, b]) => [parseTime(a), parseTime(b)] as [number, number]);
    const { ms, value: detections } = await timed(() => detectAnomalies({ key, timestamps, values }));
    const c = windowCounts(detections, windows);
    const raw = nabRawScore(
      timestamps,
      detections.map((d) => d.start),
      windows,
      standard,
    );
    const g = groups.get(group) ?? {
      tp: 0,
      fp: 0,
      fn: 0,
      redundant: 0,
      files: 0,
      detections: 0,
      raw: 0,
      windows: 0,
    };
    g.tp += c.tp;
    g.fp += c.fp;
    g.fn += c.fn;
    g.redundant += c.redundant;
    g.files++;
    g.detections += detections.length;
    g.raw += raw;
    g.windows += windows.length;
    groups.set(group, g);
    const { precision, recall, f1 } = prf(c);
    rows.push(
      `| ${key} | ${lines.length} | ${windows.length} | ${detections.length} | ${c.tp} | ${c.fp} | ${c.fn} | ${precision.toFixed(2)} | ${recall.toFixed(2)} | ${f1.toFixed(2)} | ${ms.toFixed(0)} |`,
    );
    if (process.env['NAB_VERBOSE']) {
      for (const d of detections) {
        console.log(
          `  ${key} ${d.method} ${new Date(d.start).toISOString()}..${new Date(d.end).toISOString()} score ${d.score.toFixed(2)}`,
        );
      }
    }
  }
}
console.log(`NAB root: ${root}\n`);
console.log('| file | points | windows | detections | TP | FP | FN | precision | recall | F1 | ms |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) console.log(r);
console.log('\n| group | files | detections | TP | FP | FN | precision | recall | F1 | NAB standard |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
const all = { tp: 0, fp: 0, fn: 0, raw: 0, windows: 0, files: 0, detections: 0 };
for (const [group, g] of groups) {
  const { precision, recall, f1 } = prf(g);
  // NAB normalisation: 100·(raw − null)/(perfect − null), null = −fnWeight·windows, perfect = tpWeight·windows.
  const nab =
    g.windows > 0
      ? (100 * (g.raw + standard.fnWeight * g.windows)) /
        ((standard.tpWeight + standard.fnWeight) * g.windows)
      : Number.NaN;
  console.log(
    `| ${group} | ${g.files} | ${g.detections} | ${g.tp} | ${g.fp} | ${g.fn} | ${precision.toFixed(3)} | ${recall.toFixed(3)} | ${f1.toFixed(3)} | ${Number.isNaN(nab) ? 'n/a' : nab.toFixed(1)} |`,
  );
  for (const k of ['tp', 'fp', 'fn', 'raw', 'windows', 'files', 'detections'] as const) all[k] += g[k];
}
const total = prf(all);
const nabAll =
  (100 * (all.raw + standard.fnWeight * all.windows)) /
  ((standard.tpWeight + standard.fnWeight) * all.windows);
console.log(
  `| all | ${all.files} | ${all.detections} | ${all.tp} | ${all.fp} | ${all.fn} | ${total.precision.toFixed(3)} | ${total.recall.toFixed(3)} | ${total.f1.toFixed(3)} | ${nabAll.toFixed(1)} |`,
);
console.log(`\nwall time ${((performance.now() - started) / 1000).toFixed(1)} s`);
