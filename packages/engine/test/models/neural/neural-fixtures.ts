import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { mulberry32Open } from '../../../src/random/mulberry32.ts';

/** A seeded standard normal stream (Box–Muller over the engine's mulberry32). */
export function gaussianStream(seed: number): () => number {
  const uniform = mulberry32Open(seed);
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** Row-major features and a class index per row. */
export interface ClassificationData {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly rows: number;
  readonly cols: number;
}

/**
 * Seeded synthetic three-class data: 12 standard normal features (standardised already, as the
 * caller of the kernel provides them), a noisy nonlinear score of the first six (a sine, a
 * product, a square, a linear term, an absolute value), cut at its tertiles. Three other
 * features are noise. A model that learns the score well reaches a macro-F1 of about 0.8.
 */
export function syntheticClasses(rows: number, seed: number): ClassificationData {
  const cols = 12;
  const gauss = gaussianStream(seed);
  const x = new Float64Array(rows * cols);
  const score = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) x[i * cols + j] = gauss();
    const f = (j: number) => x[i * cols + j] as number;
    score[i] =
      Math.sin(2 * f(0)) + f(1) * f(2) + 0.5 * f(3) ** 2 - 0.7 * f(4) + 0.4 * Math.abs(f(5)) + 0.5 * gauss();
  }
  const sorted = Array.from(score).sort((a, b) => a - b);
  const low = sorted[Math.floor(rows / 3)] as number;
  const high = sorted[Math.floor((2 * rows) / 3)] as number;
  const y = score.map((s) => (s < low ? 0 : s < high ? 1 : 2));
  return { x, y, rows, cols };
}

/** Rows `from … to − 1` of the data. */
export function sliceClasses(data: ClassificationData, from: number, to: number): ClassificationData {
  return {
    x: data.x.slice(from * data.cols, to * data.cols),
    y: data.y.slice(from, to),
    rows: to - from,
    cols: data.cols,
  };
}

/** The index of the largest of each row's `width` probabilities. */
export function argmaxRows(probabilities: Float64Array, width: number): number[] {
  const labels: number[] = [];
  for (let at = 0; at < probabilities.length; at += width) {
    let best = 0;
    for (let j = 1; j < width; j++)
      if ((probabilities[at + j] as number) > (probabilities[at + best] as number)) best = j;
    labels.push(best);
  }
  return labels;
}

/** True when /usr/bin/python3 imports scikit-learn. */
export function hasScikitLearn(): boolean {
  return spawnSync('/usr/bin/python3', ['-c', 'import sklearn'], { stdio: 'ignore' }).status === 0;
}

/** Writes train and test rows to one CSV (`f0 …`, `y`, `train` = 1/0). */
export function writeClassesCsv(file: string, train: ClassificationData, test: ClassificationData): void {
  const header = [...Array.from({ length: train.cols }, (_, j) => `f${j}`), 'y', 'train'].join(',');
  const lines = [header];
  for (const [data, flag] of [
    [train, 1],
    [test, 0],
  ] as const) {
    for (let i = 0; i < data.rows; i++) {
      const cells = Array.from(data.x.subarray(i * data.cols, (i + 1) * data.cols), String);
      lines.push([...cells, String(data.y[i]), String(flag)].join(','));
    }
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
}

/** What {@link sklearnMlpReference} measures, each a mean over the seeds. */
export interface MlpReferenceResult {
  /** Macro-F1 of our test predictions and of scikit-learn's, both by scikit-learn's f1_score. */
  readonly ours: number;
  readonly reference: number;
  readonly oursEach: number[];
  readonly referenceEach: number[];
  readonly fitSeconds: number;
  readonly fitCpuSeconds: number;
  readonly iterations: number;
}

const referenceScript = `
import json, sys, time, warnings, numpy as np, pandas as pd
from sklearn.neural_network import MLPClassifier
from sklearn.metrics import f1_score
warnings.filterwarnings('ignore')
s = json.load(sys.stdin)
df = pd.read_csv(s['csv'])
feats = [c for c in df.columns if c.startswith('f')]
train, test = df[df.train == 1], df[df.train == 0]
yt = test.y.values.astype(int)
fits, cpus, iters, scores = [], [], [], []
for seed in s['seeds']:
    m = MLPClassifier(hidden_layer_sizes=tuple(s['hidden']), max_iter=s['epochs'], random_state=seed)
    t0, c0 = time.perf_counter(), time.process_time()
    m.fit(train[feats].values, train.y.values.astype(int))
    fits.append(time.perf_counter() - t0); cpus.append(time.process_time() - c0); iters.append(m.n_iter_)
    scores.append(f1_score(yt, m.predict(test[feats].values), average='macro'))
ours = [f1_score(yt, np.asarray(p), average='macro') for p in s['ours']]
print(json.dumps({'ours': float(np.mean(ours)), 'reference': float(np.mean(scores)), 'oursEach': ours, 'referenceEach': scores,
                  'fitSeconds': float(np.mean(fits)), 'fitCpuSeconds': float(np.mean(cpus)), 'iterations': float(np.mean(iters))}))
`;

/**
 * Trains scikit-learn's MLPClassifier (its defaults: ReLU, Adam at 0.001, batches of 200, alpha
 * 1e-4, stopping on a training-loss plateau) with the given hidden sizes and `max_iter`, once per
 * seed, on the CSV's train rows with /usr/bin/python3, and scores it and each of our prediction
 * sets on the test rows. `threads` limits its BLAS threads (default: the library's own choice).
 */
export function sklearnMlpReference(settings: {
  csv: string;
  hidden: readonly number[];
  epochs: number;
  seeds: readonly number[];
  ours: readonly (readonly number[])[];
  threads?: number;
}): MlpReferenceResult {
  const threads = settings.threads ?? 0;
  const limits =
    threads > 0 ? { OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads) } : {};
  const out = execFileSync('/usr/bin/python3', ['-c', referenceScript], {
    input: JSON.stringify(settings),
    encoding: 'utf8',
    env: { ...process.env, ...limits },
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(out) as MlpReferenceResult;
}
