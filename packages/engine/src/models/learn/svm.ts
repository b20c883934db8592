/**
 * SVM over libsvm compiled to WebAssembly (`libsvm-js` 0.2.1, its wasm build): C-SVC with Platt
 * probabilities for classification, epsilon-SVR for regression, on standardised numeric and
 * one-hot categorical columns. The solver's cost grows with the square of the rows, so training
 * uses at most `max_training_rows` rows (a stratified seeded sample). Training passes libsvm only
 * each row's non-zero columns (its native sparse format: `libsvm.ts`), so one-hot categories cost
 * the solver one term per row each, not one per level. libsvm's own output is silenced (a library
 * must not print). The model is kept as libsvm's text serialisation, and every prediction, also
 * right after training, goes through that text, so a stored model predicts exactly what the fresh
 * one did (read back by `loadModel` of `libsvm.ts`: libsvm-js's own `load` corrupts a text over
 * about 1.3 MB, some 7,000 support vectors). libsvm's labels are our class indices, so its
 * probability estimates map straight to the model's classes. The Platt fit's internal
 * cross-validation draws from the C library's `rand()`, which libsvm-js does not let us seed: two
 * trainings on the same rows may differ slightly in their probabilities (a trained model always
 * predicts the same).
 */

import { EngineError } from '../../errors.ts';
import type { FitInput, FitResult, RawPrediction, TabularLearner } from './algorithm.ts';
import type { SvmConfig } from './config.ts';
import { type DenseEncoding, denseMatrix, fitDenseEncoding } from './encoding.ts';
import { loadLibsvmModule, loadModel, trainSparse } from './libsvm.ts';
import { stratifiedSample } from './sampling.ts';

/** What an SVM model keeps. */
interface SvmState {
  readonly encoding: DenseEncoding;
  /** libsvm's serialisation of the trained model. */
  readonly model: string;
  /** Classification with Platt probabilities (libsvm's `-b 1`); false: the label's probability is 1. */
  readonly probability: boolean;
}

const kernels = { linear: '0', poly: '1', rbf: '2', sigmoid: '3' } as const;

function rowsOf(x: Float64Array, rows: number, width: number): Float64Array[] {
  return Array.from({ length: rows }, (_, i) => x.subarray(i * width, (i + 1) * width));
}

/** scikit-learn's gamma: 'scale' = 1 / (columns × variance of every encoded value), 'auto' = 1 / columns. */
function resolveGamma(gamma: SvmConfig['gamma'], x: Float64Array, width: number): number {
  if (typeof gamma === 'number') return gamma;
  if (gamma === 'auto' || x.length === 0) return 1 / width;
  let mean = 0;
  for (const v of x) mean += v;
  mean /= x.length;
  let variance = 0;
  for (const v of x) variance += (v - mean) * (v - mean);
  variance /= x.length;
  return variance > 0 ? 1 / (width * variance) : 1;
}

/** SVM: libsvm's C-SVC and epsilon-SVR (WebAssembly). */
export const svmLearner: TabularLearner = {
  async fit(input: FitInput): Promise<FitResult> {
    const config = input.config as SvmConfig;
    const { target, features } = input;
    const strata = target.task === 'classification' ? target.codes : undefined;
    const picked = stratifiedSample(input.rows.length, config.max_training_rows, input.seed, strata);
    const rows = Array.from(picked, (i) => input.rows[i] as (typeof input.rows)[number]);
    const encoding = fitDenseEncoding(input.rows, features);
    const width = encoding.width;
    if (width === 0) {
      throw new EngineError(
        'VALIDATION_ERROR',
        'SVM needs at least one encoded column (every feature is empty)',
        {
          errors: [{ field: 'features', message: 'no values' }],
        },
      );
    }
    const x = denseMatrix(rows, features, encoding);
    const labels = Array.from(picked, (i) =>
      target.task === 'classification' ? (target.codes[i] as number) : (target.values[i] as number),
    );
    const libsvm = await loadLibsvmModule();
    const classification = target.task === 'classification';
    const svm = new libsvm.SVM({
      type: classification ? '0' : '3',
      kernel: kernels[config.kernel],
      degree: config.degree,
      gamma: resolveGamma(config.gamma, x, width),
      coef0: config.coef0,
      cost: config.C,
      epsilon: config.epsilon,
      tolerance: config.tol,
      shrinking: config.shrinking,
      cacheSize: config.cache_size,
      probabilityEstimates: classification && config.probability,
      quiet: true,
    });
    try {
      trainSparse(libsvm, svm, x, rows.length, width, labels, svm.getCommand([x.subarray(0, width)]));
      const state: SvmState = {
        encoding,
        model: svm.serializeModel(),
        probability: classification && config.probability,
      };
      return { state, trainingRows: rows.length };
    } finally {
      svm.free();
    }
  },

  async predictRaw(state, rows, { features, task, classes }): Promise<RawPrediction> {
    const { encoding, model, probability } = state as SvmState;
    const x = denseMatrix(rows, features, encoding);
    const samples = rowsOf(x, rows.length, encoding.width);
    const svm = loadModel(await loadLibsvmModule(), model);
    try {
      if (task === 'regression') return { values: Float64Array.from(samples, (s) => svm.predictOne(s)) };
      const probabilities = new Float64Array(rows.length * classes);
      const labels = new Int32Array(rows.length);
      samples.forEach((sample, i) => {
        if (!probability) {
          const label = svm.predictOne(sample);
          labels[i] = label;
          probabilities[i * classes + label] = 1;
          return;
        }
        const result = svm.predictOneProbability(sample);
        labels[i] = result.prediction;
        for (const { label, probability: p } of result.estimates) probabilities[i * classes + label] = p;
      });
      return { probabilities, labels };
    } finally {
      svm.free();
    }
  },
};
