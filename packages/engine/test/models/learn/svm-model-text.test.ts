import { describe, expect, it } from 'vitest';
import { predict, type TrainedModel } from '../../../src/models/learn/index.ts';
import { loadLibsvmModule, loadModel } from '../../../src/models/learn/libsvm.ts';

/**
 * A stored SVM model is libsvm's model text, read back into libsvm for every prediction. These
 * texts are written here by hand, large (10,000 support vectors of 12 features: 1.9 MB, more than
 * libsvm-js's `SVM.load` could read: it copied the text onto the module's 5 MB stack at 4 bytes a
 * character), with a known decision function: Σ coef·exp(−γ‖sv − x‖²) − ρ, worked out here in
 * JavaScript from the same support vectors.
 */
const width = 12;
const gamma = 0.1;

interface SupportVector {
  readonly coef: number;
  readonly x: number[];
}

/**
 * Support vectors on a lattice in [−0.5, 0.5]¹², their coefficients 0.001, 0.002 or 0.003 with the
 * sign of the first feature (so the decision function rises with it), exact in decimal.
 */
function supportVectors(count: number): SupportVector[] {
  return Array.from({ length: count }, (_, i) => {
    const x = Array.from({ length: width }, (_, j) =>
      Number((((i * 7 + j * 13) % 17) / 17 - 0.5).toFixed(8)),
    );
    return { coef: (Math.sign(x[0] as number) * (1 + (i % 3))) / 1000, x };
  });
}

function modelText(type: 'c_svc' | 'epsilon_svr', vectors: readonly SupportVector[], rho: number): string {
  const lines = [
    `svm_type ${type}`,
    'kernel_type rbf',
    `gamma ${gamma}`,
    'nr_class 2',
    `total_sv ${vectors.length}`,
  ];
  lines.push(`rho ${rho}`);
  if (type === 'c_svc') {
    const first = vectors.filter((v) => v.coef > 0).length;
    lines.push('label 0 1', `nr_sv ${first} ${vectors.length - first}`);
  }
  lines.push('SV');
  for (const { coef, x } of vectors) {
    lines.push(`${coef.toPrecision(17)} ${x.map((v, j) => `${j + 1}:${v}`).join(' ')}`);
  }
  return `${lines.join('\n')}\n`;
}

function decision(vectors: readonly SupportVector[], rho: number, x: readonly number[]): number {
  let sum = -rho;
  for (const sv of vectors) {
    let distance = 0;
    sv.x.forEach((v, j) => {
      distance += (v - (x[j] as number)) ** 2;
    });
    sum += sv.coef * Math.exp(-gamma * distance);
  }
  return sum;
}

/** Points to predict: a grid of values in [−0.5, 0.5] per feature. */
const points = Array.from({ length: 20 }, (_, i) =>
  Array.from({ length: width }, (_, j) => (((i * 5 + j * 3) % 11) - 5) / 10),
);

/** A model of the learn library wrapping a libsvm text over 12 numeric features x1 … x12, as trained (no scaling). */
function trainedModel(task: 'classification' | 'regression', text: string): TrainedModel {
  const features = Array.from({ length: width }, (_, j) => ({ name: `x${j + 1}`, kind: 'numeric' as const }));
  return {
    format: 'incident-insights.tabular/1',
    algorithm: 'SVM',
    task,
    target: 'y',
    features,
    ...(task === 'classification' ? { classes: ['false', 'true'] } : {}),
    config: {},
    trainingRows: 10_000,
    state: {
      encoding: {
        means: features.map(() => 0),
        sds: features.map(() => 1),
        oneHot: features.map(() => []),
        width,
      },
      model: text,
      probability: false,
    },
  };
}

const asRow = (x: readonly number[]) => Object.fromEntries(x.map((v, j) => [`x${j + 1}`, v]));

describe('SVM model text read back into libsvm', () => {
  const vectors = supportVectors(10_000);

  it('a regression model of 10,000 support vectors predicts its decision function (not NaN)', async () => {
    const text = modelText('epsilon_svr', vectors, -1.5);
    expect(text.length).toBeGreaterThan(1_800_000);
    const predictions = await predict(trainedModel('regression', text), points.map(asRow));
    predictions.forEach((prediction, i) => {
      expect((prediction as { value: number }).value).toBeCloseTo(
        decision(vectors, -1.5, points[i] as number[]),
        10,
      );
    });
  });

  it('a classifier of 10,000 support vectors predicts the sign of its decision function', async () => {
    const text = modelText('c_svc', vectors, 0);
    const expected = points.map((x) => (decision(vectors, 0, x) > 0 ? 'false' : 'true'));
    // Both classes occur among the points (libsvm: a positive decision is the first label, 0 → 'false').
    expect(new Set(expected).size).toBe(2);
    const predictions = await predict(trainedModel('classification', text), points.map(asRow));
    expect(predictions.map((prediction) => (prediction as { label: string }).label)).toEqual(expected);
  });

  it('loadModel reads a large text into a model that predicts like the formula, and refuses bad text', async () => {
    const libsvm = await loadLibsvmModule();
    const svm = loadModel(libsvm, modelText('epsilon_svr', vectors, -1.5));
    try {
      expect(svm.predictOne(points[0] as number[])).toBeCloseTo(
        decision(vectors, -1.5, points[0] as number[]),
        10,
      );
    } finally {
      svm.free();
    }
    expect(() => loadModel(libsvm, 'not a model\n')).toThrow('libsvm could not read the model text');
  });
});
