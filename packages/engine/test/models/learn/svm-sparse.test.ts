import { describe, expect, it } from 'vitest';
import { loadLibsvmModule, trainSparse } from '../../../src/models/learn/libsvm.ts';
import { mulberry32 } from '../../../src/random/mulberry32.ts';

/**
 * Rows like the SVM's encoding of one-hot categories: 2 standardised numbers and 3 categories of
 * 20 levels (62 columns, 5 non-zero per row), a class and a value that depend on both.
 */
function oneHotRows(rows: number, seed: number) {
  const random = mulberry32(seed);
  const width = 62;
  const x = new Float64Array(rows * width);
  const classes: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < rows; i++) {
    const a = random() * 2 - 1;
    const b = random() * 2 - 1;
    x[i * width] = a;
    x[i * width + 1] = b;
    const levels = [0, 1, 2].map(() => Math.floor(random() * 20));
    levels.forEach((level, c) => {
      x[i * width + 2 + c * 20 + level] = 1;
    });
    const score = a + b + ((levels[0] as number) % 4) / 2 - 0.75 + 0.2 * (random() - 0.5);
    classes.push(score > 0 ? 1 : 0);
    values.push(10 + 5 * score);
  }
  return { x, width, classes, values };
}

/** libsvm's model text with the zero features of support vectors (` 7:0`) left out. */
function withoutZeros(model: string): string {
  return model.replace(/ \d+:0(?=[ \n])/g, '');
}

describe('libsvm trained on sparse rows (only the non-zero features)', () => {
  const rows = 300;
  const data = oneHotRows(rows, 17);

  for (const [task, type, labels] of [
    ['C-SVC', '0', data.classes],
    ['epsilon-SVR', '3', data.values],
  ] as const) {
    it(`${task}: the same model as libsvm-js's dense rows, support vectors and coefficients alike`, async () => {
      const libsvm = await loadLibsvmModule();
      const options = { type, kernel: '2', gamma: 1 / data.width, cost: 1, quiet: true };
      const samples = Array.from({ length: rows }, (_, i) =>
        data.x.subarray(i * data.width, (i + 1) * data.width),
      );
      const dense = new libsvm.SVM(options);
      const sparse = new libsvm.SVM(options);
      try {
        dense.train(samples, [...labels]);
        trainSparse(libsvm, sparse, data.x, rows, data.width, labels, sparse.getCommand(samples));
        const denseText = dense.serializeModel();
        const sparseText = sparse.serializeModel();
        // The dense model lists every zero of every support vector; the sparse one none.
        expect(sparseText.length).toBeLessThan(denseText.length / 4);
        expect(sparseText).toBe(withoutZeros(denseText));
        for (const sample of samples.slice(0, 50))
          expect(sparse.predictOne(sample)).toBe(dense.predictOne(sample));
      } finally {
        dense.free();
        sparse.free();
      }
    });
  }
});
