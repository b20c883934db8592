/**
 * The tabular models (`trainModel` / `predict`: RANDOM_FOREST, XGBOOST, SVM, NEURAL_NETWORK)
 * against their references, same data, same time split, same run: scikit-learn's
 * RandomForest (n_jobs=2), SVC / SVR and MLP, and XGBoost's hist (nthread=2), through
 * bench/models-reference.py (the same preprocessing as ours: numeric mean-imputed and
 * standardised, categories one-hot; XGBoost with native categories).
 *
 * Quality: macro-F1 (classification) or R² (regression) on
 *  - synthetic incidents (packages/engine/test/models/learn/learn-fixtures.ts, seeded): severity
 *    (3 classes) and resolution hours, 16,000 rows train, the next 4,000 test;
 *  - the ServiceNow log (/work/shared/data/incident_event_log.zip, bench/models-servicenow.py):
 *    made_sla from what is known at opening, and resolution hours; 80/20 split by opened_at.
 * Speed: the tree learners' synthetic data (test/support/tree-fixtures.ts, 12 features, 3
 * categorical, 5% missing) at N rows (default 20,000 and 100,000), binary: RANDOM_FOREST 100
 * trees depth 10 on a 2-thread worker pool, XGBOOST 100 rounds depth 6 (one thread).
 * Every fit is timed wall and CPU (CPU: this process with its worker threads; Python: its
 * process). Peak RSS of this process is printed at the end.
 *
 *   npx tsx --conditions=@incident-insights/source bench/models.bench.ts [N ...]
 *   MODELS_BENCH_PARTS=servicenow,speed npx tsx ...   (a choice of synthetic, servicenow, speed)
 *   MODELS_BENCH_ALGORITHMS=SVM,NEURAL_NETWORK npx tsx ...   (the quality rows' algorithms)
 */

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import {
  classificationMetrics,
  predict,
  regressionMetrics,
  type TabularAlgorithm,
  type TabularRow,
  trainModel,
} from '../packages/engine/src/models/learn/index.ts';
import { WorkerPool } from '../packages/engine/src/workers/pool.ts';
import { syntheticIncidents } from '../packages/engine/test/models/learn/learn-fixtures.ts';
import { sliceRows, syntheticTreeData } from '../test/support/tree-fixtures.ts';
import { timed } from './timer.ts';

const sizes = process.argv.slice(2).map(Number);
const speedSizes = sizes.length > 0 ? sizes : [20_000, 100_000];
const here = path.dirname(new URL(import.meta.url).pathname);
const directory = mkdtempSync(path.join(tmpdir(), 'models-bench-'));
const pool = new WorkerPool({ threads: 2, entry: new URL('./models.worker.ts', import.meta.url) });
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

interface Dataset {
  name: string;
  csv: string;
  numeric: string[];
  categorical: string[];
  train: TabularRow[];
  test: TabularRow[];
}

/** Reads a CSV (no quoting; empty = missing) into rows: numeric columns as numbers, the rest as text. */
function readCsv(file: string, numeric: readonly string[]): { train: TabularRow[]; test: TabularRow[] } {
  const [header, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const names = (header as string).split(',');
  const train: TabularRow[] = [];
  const test: TabularRow[] = [];
  for (const line of lines) {
    const cells = line.split(',');
    const row: Record<string, number | string | null> = {};
    names.forEach((name, j) => {
      const cell = cells[j] ?? '';
      row[name] = cell === '' ? null : numeric.includes(name) ? Number(cell) : cell;
    });
    (row['is_train'] === 1 ? train : test).push(row);
  }
  return { train, test };
}

function writeCsv(
  file: string,
  columns: readonly string[],
  train: readonly TabularRow[],
  test: readonly TabularRow[],
) {
  const cell = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  const lines = [[...columns, 'is_train'].join(',')];
  for (const row of train) lines.push([...columns.map((c) => cell(row[c])), 1].join(','));
  for (const row of test) lines.push([...columns.map((c) => cell(row[c])), 0].join(','));
  return import('node:fs').then(({ writeFileSync }) => writeFileSync(file, `${lines.join('\n')}\n`));
}

const references: Record<TabularAlgorithm, string> = {
  RANDOM_FOREST: 'forest',
  XGBOOST: 'xgboost',
  SVM: 'svm',
  NEURAL_NETWORK: 'mlp',
};

function reference(
  data: Dataset,
  algorithm: TabularAlgorithm,
  task: 'classification' | 'regression',
  target: string,
  params: object,
) {
  const output = execFileSync(
    '/usr/bin/python3',
    [
      path.join(here, 'models-reference.py'),
      data.csv,
      references[algorithm],
      task,
      target,
      data.numeric.join(',') || '-',
      data.categorical.join(',') || '-',
      JSON.stringify({ threads: 2, ...params }),
    ],
    { encoding: 'utf8', maxBuffer: 1 << 26 },
  );
  return JSON.parse(output) as {
    library: string;
    fit_seconds: number;
    fit_cpu_seconds: number;
    score: number;
  };
}

async function compare(
  data: Dataset,
  algorithm: TabularAlgorithm,
  task: 'classification' | 'regression',
  target: string,
  config: Record<string, unknown>,
  params: object,
) {
  const train = task === 'regression' ? data.train.filter((r) => typeof r[target] === 'number') : data.train;
  const test = task === 'regression' ? data.test.filter((r) => typeof r[target] === 'number') : data.test;
  const features = [...data.numeric, ...data.categorical];
  const run = await timed(() =>
    trainModel(
      train,
      { algorithm, task, target, features, config },
      // The fit alone: the regression interval's residuals (an out-of-bag pass, or a second fit
      // on 80% of the rows) are left out, since the references fit no interval.
      { ...(algorithm === 'RANDOM_FOREST' ? { pool } : {}), intervals: false },
    ),
  );
  const predictions = await predict(run.value, test);
  const score =
    task === 'classification'
      ? classificationMetrics(
          test.map((r) => String(r[target])),
          predictions.map((p) => ('label' in p ? p.label : '')),
        ).f1
      : regressionMetrics(
          test.map((r) => r[target] as number),
          predictions.map((p) => ('value' in p ? p.value : Number.NaN)),
        ).r2;
  const ref = reference(data, algorithm, task, target, params);
  const cells = [
    data.name,
    `${algorithm} ${task === 'classification' ? 'macro-F1' : 'R²'} (${target})`,
    train.length.toLocaleString('en'),
    (run.ms / 1000).toFixed(2),
    (run.cpuMs / 1000).toFixed(2),
    ref.library,
    ref.fit_seconds.toFixed(2),
    ref.fit_cpu_seconds.toFixed(2),
    (run.ms / 1000 / ref.fit_seconds).toFixed(2),
    score.toFixed(4),
    ref.score.toFixed(4),
    (score - ref.score).toFixed(4),
  ];
  console.log(`| ${cells.join(' | ')} |`);
}

/** MODELS_BENCH_ALGORITHMS: a comma-separated choice of the quality rows' algorithms (default all four). */
const all = (process.env['MODELS_BENCH_ALGORITHMS'] ?? 'RANDOM_FOREST,XGBOOST,SVM,NEURAL_NETWORK').split(
  ',',
) as TabularAlgorithm[];
/** MODELS_BENCH_PARTS: a comma-separated choice of synthetic, servicenow, speed (default all three). */
const parts = (process.env['MODELS_BENCH_PARTS'] ?? 'synthetic,servicenow,speed').split(',');

console.log(`load average at start: ${load()}`);
console.log(
  '| data | model (metric) | train rows | ours wall s | ours CPU s | reference | ref wall s | ref CPU s | wall ratio | ours | ref | ours − ref |',
);
console.log('| --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
try {
  // Warm the pool's workers (module load) outside the timings.
  const warm = syntheticIncidents(200, 1);
  await trainModel(
    warm,
    {
      algorithm: 'RANDOM_FOREST',
      task: 'classification',
      target: 'severity',
      features: ['hours', 'team'],
      config: { n_estimators: 4 },
    },
    { pool },
  );

  if (parts.includes('synthetic') || parts.includes('servicenow')) {
    const incidents = syntheticIncidents(20_000, 2026);
    const synthetic: Dataset = {
      name: 'synthetic incidents',
      csv: path.join(directory, 'synthetic.csv'),
      numeric: ['hours', 'users', 'noise', 'load'],
      categorical: ['team', 'weekend'],
      train: incidents.slice(0, 16_000),
      test: incidents.slice(16_000),
    };
    await writeCsv(
      synthetic.csv,
      [...synthetic.numeric, ...synthetic.categorical, 'severity', 'resolution_hours'],
      synthetic.train,
      synthetic.test,
    );
    const servicenowCsv = path.join(directory, 'servicenow.csv');
    execFileSync('/usr/bin/python3', [
      path.join(here, 'models-servicenow.py'),
      path.resolve(here, '../../shared/data/incident_event_log.zip'),
      servicenowCsv,
    ]);
    const numeric = ['impact', 'urgency', 'priority', 'opened_hour', 'opened_weekday', 'resolution_hours'];
    const split = readCsv(servicenowCsv, [...numeric, 'is_train']);
    const servicenow: Dataset = {
      name: 'ServiceNow log',
      csv: servicenowCsv,
      numeric: numeric.slice(0, 5),
      categorical: [
        'contact_type',
        'location',
        'category',
        'subcategory',
        'u_symptom',
        'assignment_group',
        'knowledge',
        'u_priority_confirmation',
      ],
      ...split,
    };
    const chosen = parts.includes('synthetic') ? [synthetic] : [];
    if (parts.includes('servicenow')) chosen.push(servicenow);
    for (const data of chosen) {
      const [classTarget, valueTarget] =
        data === synthetic ? ['severity', 'resolution_hours'] : ['made_sla', 'resolution_hours'];
      for (const algorithm of all) {
        await compare(data, algorithm, 'classification', classTarget, {}, {});
        await compare(data, algorithm, 'regression', valueTarget, {}, {});
      }
    }
  }

  for (const rows of parts.includes('speed') ? speedSizes : []) {
    const testRows = Math.floor(rows / 4);
    const matrix = syntheticTreeData(rows + testRows, 2026, 'binary', 0.05);
    const toRows = (from: number, to: number): TabularRow[] => {
      const part = sliceRows(matrix, from, to);
      return Array.from({ length: part.rows }, (_, i) => {
        const row: Record<string, number | string | null> = { y: String(part.target[i]) };
        for (let j = 0; j < part.columns; j++) {
          const x = part.values[j * part.rows + i] as number;
          row[`f${j}`] = Number.isNaN(x) ? null : j >= 9 ? `c${x}` : x;
        }
        return row;
      });
    };
    const data: Dataset = {
      name: `tree data ${rows.toLocaleString('en')} × 12`,
      csv: path.join(directory, `speed-${rows}.csv`),
      numeric: Array.from({ length: 9 }, (_, j) => `f${j}`),
      categorical: ['f9', 'f10', 'f11'],
      train: toRows(0, rows),
      test: toRows(rows, rows + testRows),
    };
    await writeCsv(data.csv, [...data.numeric, ...data.categorical, 'y'], data.train, data.test);
    await compare(
      data,
      'RANDOM_FOREST',
      'classification',
      'y',
      { n_estimators: 100, max_depth: 10 },
      { n_estimators: 100, max_depth: 10 },
    );
    await compare(
      data,
      'XGBOOST',
      'classification',
      'y',
      { n_estimators: 100, max_depth: 6 },
      { n_estimators: 100, max_depth: 6 },
    );
  }
} finally {
  rmSync(directory, { recursive: true, force: true });
  await pool.close();
}
console.log(
  `load average at end: ${load()}; peak RSS of this process ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
);
