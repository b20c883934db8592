import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import type { TreeTask, TreeTrainingData } from '../../packages/engine/src/models/kernels/trees/index.ts';
import { mulberry32Open } from '../../packages/engine/src/random/mulberry32.ts';

/**
 * Seeded synthetic tabular data for the tree learners' tests and benchmark: 12 features, column
 * major: f0 … f8 numeric (a sine, a product, a step, a log, an hour of day, noise), f9, f10, f11
 * categorical with 5, 12 and 30 categories, each category with its own effect. The target is a
 * noisy function of them: a class (binary: above the median; multiclass: tertiles) or the value.
 * `missing` is the share of values of f0, f2, f4 and f10 set to NaN (at random).
 */
export function syntheticTreeData(rows: number, seed: number, task: TreeTask, missing = 0): TreeTrainingData {
  const columns = 12;
  const values = new Float64Array(rows * columns);
  const u = mulberry32Open(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  const effects = [5, 12, 30].map((levels) => Array.from({ length: levels }, () => 1.2 * gauss()));
  const score = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const x = [
      u(),
      u(),
      gauss(),
      gauss(),
      -Math.log(u()),
      Math.floor(u() * 24),
      u(),
      gauss(),
      Math.floor(u() * 7),
    ];
    const codes = [Math.floor(u() * 5), Math.floor(u() * 12), Math.floor(u() ** 1.5 * 30)];
    const [x0, x1, x2, x3, x4, x5] = x as [number, number, number, number, number, number];
    score[i] =
      2 * Math.sin(3 * x0) +
      1.5 * x1 * x2 +
      (x3 > 0.5 ? 1 : -0.5) +
      0.8 * Math.log1p(x4) +
      0.6 * Math.cos((2 * Math.PI * x5) / 24) +
      codes.reduce((sum, code, k) => sum + ((effects[k] as number[])[code] as number), 0) +
      (task === 'regression' ? 0.5 : 1) * gauss();
    x.forEach((value, j) => {
      values[j * rows + i] = value;
    });
    codes.forEach((code, k) => {
      values[(9 + k) * rows + i] = code;
    });
    for (const j of [0, 2, 4, 10]) if (u() < missing) values[j * rows + i] = Number.NaN;
  }
  let target: Float64Array;
  if (task === 'regression') target = score;
  else {
    const sorted = score.slice().sort();
    const cuts =
      task === 'binary'
        ? [sorted[Math.floor(rows / 2)] as number]
        : [sorted[Math.floor(rows / 3)] as number, sorted[Math.floor((2 * rows) / 3)] as number];
    target = score.map((s) => cuts.filter((c) => s >= c).length);
  }
  return { values, rows, columns, categorical: [9, 10, 11], target };
}

/** Rows `from … to − 1` of a column-major matrix (and of its target). */
export function sliceRows(data: TreeTrainingData, from: number, to: number): TreeTrainingData {
  const rows = to - from;
  const values = new Float64Array(rows * data.columns);
  for (let j = 0; j < data.columns; j++) {
    values.set(data.values.subarray(j * data.rows + from, j * data.rows + to), j * rows);
  }
  return { ...data, values, rows, target: data.target.slice(from, to) };
}

/** Writes train and test rows to one CSV (`f0 …`, `y`, `train` = 1/0); NaN is an empty field. */
export function writeTreeCsv(file: string, train: TreeTrainingData, test: TreeTrainingData): void {
  const header = [...Array.from({ length: train.columns }, (_, j) => `f${j}`), 'y', 'train'].join(',');
  const lines = [header];
  for (const [data, flag] of [
    [train, 1],
    [test, 0],
  ] as const) {
    for (let i = 0; i < data.rows; i++) {
      const cells: string[] = [];
      for (let j = 0; j < data.columns; j++) {
        const x = data.values[j * data.rows + i] as number;
        cells.push(Number.isNaN(x) ? '' : String(x));
      }
      cells.push(String(data.target[i]), String(flag));
      lines.push(cells.join(','));
    }
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
}

/** The reference learner's settings; see {@link pythonTreeReference}. */
export interface TreeReferenceSettings {
  readonly csv: string;
  readonly algorithm: 'forest' | 'boosting';
  readonly task: TreeTask;
  readonly categorical: readonly number[];
  readonly trees: number;
  readonly maxDepth: number;
  readonly threads: number;
  /** Our predictions on the test rows (labels or values), scored by the same code as the reference's. */
  readonly ours: ArrayLike<number>;
}

/** What {@link pythonTreeReference} measures: the two scores (macro-F1 or R²) and the reference's fit time. */
export interface TreeReferenceResult {
  readonly ours: number;
  readonly reference: number;
  readonly fitSeconds: number;
  readonly fitCpuSeconds: number;
  readonly library: string;
  /** The Python process's peak resident memory (`ru_maxrss`), MB. */
  readonly peakRssMb?: number;
}

const referenceScript = `
import json, sys, time, numpy as np, pandas as pd
s = json.load(sys.stdin)
df = pd.read_csv(s['csv'])
feats = [c for c in df.columns if c.startswith('f')]
train, test = df[df.train == 1], df[df.train == 0]
clf = s['task'] != 'regression'
y, yt = train.y.values, test.y.values
if clf:
    y, yt = y.astype(int), yt.astype(int)
cat = ['f%d' % j for j in s['categorical']]
if s['algorithm'] == 'forest':
    from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
    # scikit-learn 1.2's forests take no NaN: a sentinel below every value stands for missing.
    X, Xt = train[feats].fillna(-1e9).values, test[feats].fillna(-1e9).values
    M = RandomForestClassifier if clf else RandomForestRegressor
    m = M(n_estimators=s['trees'], max_depth=s['maxDepth'], n_jobs=s['threads'], random_state=0,
          **({} if clf else {'max_features': 1.0}))
    lib = 'scikit-learn RandomForest'
else:
    X, Xt = train[feats].copy(), test[feats].copy()
    try:
        import xgboost as xgb
        for c in cat:
            kinds = pd.CategoricalDtype(sorted(df[c].dropna().unique()))
            X[c], Xt[c] = X[c].astype(kinds), Xt[c].astype(kinds)
        M = xgb.XGBClassifier if clf else xgb.XGBRegressor
        m = M(n_estimators=s['trees'], max_depth=s['maxDepth'], learning_rate=0.3, tree_method='hist',
              nthread=s['threads'], enable_categorical=True, max_cat_to_onehot=1, random_state=0)
        lib = 'XGBoost ' + xgb.__version__ + ' hist'
    except ImportError:
        from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
        M = HistGradientBoostingClassifier if clf else HistGradientBoostingRegressor
        m = M(max_iter=s['trees'], max_depth=s['maxDepth'], learning_rate=0.3, early_stopping=False,
              categorical_features=[c in cat for c in feats], random_state=0)
        lib = 'scikit-learn HistGradientBoosting'
t0, c0 = time.perf_counter(), time.process_time()
m.fit(X, y)
fit, cpu = time.perf_counter() - t0, time.process_time() - c0
p = m.predict(Xt)
ours = np.asarray(s['ours'])
from sklearn.metrics import f1_score, r2_score
score = (lambda a: f1_score(yt, a, average='macro')) if clf else (lambda a: r2_score(yt, a))
import resource
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({'ours': score(ours), 'reference': score(p), 'fitSeconds': fit, 'fitCpuSeconds': cpu, 'library': lib, 'peakRssMb': rss}))
`;

/**
 * Trains the reference learner (scikit-learn's RandomForest, or XGBoost hist with native
 * categories, scikit-learn's HistGradientBoosting when XGBoost is absent) on the CSV's train rows
 * with /usr/bin/python3, and scores it and our test predictions with scikit-learn's metrics.
 */
export function pythonTreeReference(settings: TreeReferenceSettings): TreeReferenceResult {
  const input = JSON.stringify({ ...settings, ours: Array.from(settings.ours) });
  const out = execFileSync('/usr/bin/python3', ['-c', referenceScript], {
    input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out) as TreeReferenceResult;
}
