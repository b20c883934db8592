import { DDSketch } from '@datadog/sketches-js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  binValue,
  mergeInto,
  sketchBin,
  sketchGamma,
  sketchOf,
  sketchQuantile,
  sketchRelativeError,
  zeroBin,
} from '../../src/kpi/dd-sketch.ts';
// A seeded uniform generator, so the data sets are the same on every run.
import { mulberry32 as random } from '../../src/random/mulberry32.ts';

/**
 * Rank error of an estimate: the distance from q to the band of ranks the estimate occupies in the
 * sorted data (ties make a band), as a fraction of n.
 */
function rankError(sorted: Float64Array, q: number, estimate: number): number {
  let below = 0;
  let atOrBelow = 0;
  for (const v of sorted) {
    if (v < estimate) below++;
    if (v <= estimate) atOrBelow++;
  }
  const n = sorted.length;
  const lo = below / n;
  const hi = atOrBelow / n;
  return q < lo ? lo - q : q > hi ? q - hi : 0;
}

const datasets: [string, (r: () => number) => number][] = [
  // Resolution times in seconds: lognormal around an hour, exponential, minute-rounded (ties), bimodal.
  ['lognormal', (r) => Math.exp(8 + 1.5 * Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r()))],
  ['exponential', (r) => -Math.log(1 - r()) * 1800],
  ['minute-rounded with zeros', (r) => (r() < 0.05 ? 0 : Math.round(-Math.log(1 - r()) * 30) * 60)],
  ['bimodal', (r) => (r() < 0.7 ? 300 + r() * 600 : 86_400 + r() * 86_400)],
];

describe('DDSketch kernel', () => {
  for (const [name, draw] of datasets) {
    it(`stays within 1% rank error and 0.8% relative error on ${name} data`, () => {
      const r = random(42);
      const values = Float64Array.from({ length: 50_000 }, () => draw(r));
      const sorted = Float64Array.from(values).sort();
      const sketch = sketchOf(values);
      for (const q of [0.01, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99]) {
        const estimate = sketchQuantile(sketch, q) as number;
        expect(rankError(sorted, q, estimate)).toBeLessThanOrEqual(0.01);
        const exact = sorted[Math.round(q * (sorted.length - 1))] as number;
        expect(Math.abs(estimate - exact)).toBeLessThanOrEqual(sketchRelativeError * exact + 1e-9);
      }
    });
  }

  it('merges exactly: the sketch of two halves merged equals the sketch of the whole', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e7, noNaN: true }), { maxLength: 200 }),
        fc.nat(),
        (xs, cut) => {
          const at = xs.length ? cut % xs.length : 0;
          const merged = mergeInto(sketchOf(xs.slice(0, at)), sketchOf(xs.slice(at)));
          const order = (s: typeof merged) => [...s.entries()].sort((a, b) => a[0] - b[0]);
          expect(order(merged)).toEqual(order(sketchOf(xs)));
        },
      ),
    );
  });

  it('puts zeros in their own bin and every positive value within 0.8% below its bin edge', () => {
    expect(sketchBin(0)).toBe(zeroBin);
    expect(binValue(zeroBin)).toBe(0);
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1e12, noNaN: true }), (x) => {
        const v = binValue(sketchBin(x));
        expect(v).toBeGreaterThanOrEqual(x * (1 - 1e-12));
        expect(v - x).toBeLessThanOrEqual(sketchRelativeError * x * (1 + 1e-9));
      }),
    );
  });

  it("numbers its bins as DDSketch.proto's logarithmic mapping does (γ = 1.008, offset 0), by @datadog/sketches-js", () => {
    // The library's relative accuracy α for our γ is (γ − 1) / (γ + 1); its key is ceil(log_γ x).
    // Equal keys mean our stored bins can be written as the standard protobuf other DDSketch
    // implementations read (bench/sketches.bench.ts writes one and reads it back with the library).
    const mapping = new DDSketch({ relativeAccuracy: (sketchGamma - 1) / (sketchGamma + 1) }).mapping;
    expect(mapping.gamma).toBeCloseTo(sketchGamma, 12);
    const r = random(5);
    for (let i = 0; i < 20_000; i++) {
      const x = Math.exp(40 * r() - 10); // 4.5e-5 to 1.1e13: sub-second to centuries, in seconds
      expect(sketchBin(x) + 0).toBe(mapping.key(x) + 0); // + 0: bin −0 and bin 0 are one bin
    }
  });

  it('has no quantile when empty', () => {
    expect(sketchQuantile(new Map(), 0.5)).toBeNull();
  });
});
