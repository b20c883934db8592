import { describe, expect, it } from 'vitest';
import { LstmNetwork } from '../../../src/models/kernels/neural/lstm-network.ts';
import { MlpNetwork } from '../../../src/models/kernels/neural/mlp-network.ts';
import { mulberry32 } from '../../../src/random/mulberry32.ts';

/*
 * The analytical gradients of both networks against central differences, (L(θ + ε) − L(θ − ε)) / 2ε
 * with ε = 1e-6, parameter by parameter, in float64. The relative error of a component is
 * |analytical − numerical| / max(|analytical| + |numerical|, 1e-8): both are exact to about 1e-10
 * here, so 1e-4 leaves room only for a wrong formula.
 */

const epsilon = 1e-6;

function relativeErrors(params: Float64Array, analytical: Float64Array, loss: () => number): number[] {
  const errors: number[] = [];
  for (let p = 0; p < params.length; p++) {
    const kept = params[p] as number;
    params[p] = kept + epsilon;
    const up = loss();
    params[p] = kept - epsilon;
    const down = loss();
    params[p] = kept;
    const numerical = (up - down) / (2 * epsilon);
    const exact = analytical[p] as number;
    errors.push(Math.abs(exact - numerical) / Math.max(Math.abs(exact) + Math.abs(numerical), 1e-8));
  }
  return errors;
}

function randomFill(target: Float64Array, seed: number, scale: number): void {
  const uniform = mulberry32(seed);
  for (let p = 0; p < target.length; p++) target[p] = (2 * uniform() - 1) * scale;
}

describe('multilayer perceptron gradient', () => {
  // 5 rows (not a multiple of the product's 4-row blocks), 3 inputs, ReLU layers of 6 and 5, and
  // the L2 penalty switched on so that its gradient is checked too.
  it.each([
    ['classification', 4],
    ['regression', 1],
  ] as const)('%s: analytical equals numerical (relative error < 1e-4)', (task, outputs) => {
    const rows = 5;
    const net = new MlpNetwork([3, 6, 5, outputs], task, rows);
    randomFill(net.params, 11, 0.8);
    randomFill(net.activations[0] as Float64Array, 12, 1.5);
    const targets =
      task === 'classification'
        ? Float64Array.from([0, 3, 1, 2, 3])
        : Float64Array.from([0.5, -1, 2, 0, 1.2]);
    const l2 = 0.3;
    net.forward(rows);
    net.backward(targets, rows, l2);
    const analytical = net.grads.slice();
    const errors = relativeErrors(net.params, analytical, () => {
      net.forward(rows);
      return net.backward(targets, rows, l2);
    });
    expect(errors.length).toBe(3 * 6 + 6 + 6 * 5 + 5 + 5 * outputs + outputs);
    expect(Math.max(...errors)).toBeLessThan(1e-4);
    // the check is not vacuous: most components are far from zero
    expect(analytical.filter((g) => Math.abs(g) > 1e-3).length).toBeGreaterThan(analytical.length / 2);
  });
});

describe('LSTM gradient', () => {
  it('backpropagation through time equals the numerical gradient (relative error < 1e-4)', () => {
    const lookback = 5;
    const units = 3;
    const net = new LstmNetwork(lookback, units);
    randomFill(net.params, 21, 0.7);
    const series = new Float64Array(12);
    randomFill(series, 22, 1.2);
    const starts = Int32Array.from([0, 1, 3, 4, 5, 6]); // six windows: a block of four and a remainder
    net.batchLoss(series, starts, 0, starts.length);
    const analytical = net.grads.slice();
    const errors = relativeErrors(net.params, analytical, () =>
      net.batchLoss(series, starts, 0, starts.length),
    );
    expect(errors.length).toBe(4 * units + units * 4 * units + 4 * units + units + 1);
    expect(Math.max(...errors)).toBeLessThan(1e-4);
    expect(analytical.filter((g) => Math.abs(g) > 1e-4).length).toBeGreaterThan(analytical.length / 2);
  });
});
