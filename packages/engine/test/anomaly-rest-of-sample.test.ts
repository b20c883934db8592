import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ksTwoSampleSorted } from '../src/anomaly/kernels/ks-two-sample.ts';
import { quantileSorted, quantilesBySelection, sortedCopy } from '../src/anomaly/kernels/order-stats.ts';
import { ksPartAgainstRest, quantileOfRest } from '../src/anomaly/kernels/rest-of-sample.ts';

/** A sorted sample with many ties, and a sub-multiset of it (positions chosen by `pick`). */
const sampleAndPart = fc
  .array(fc.integer({ min: 0, max: 30 }), { minLength: 2, maxLength: 200 })
  .chain((values) =>
    fc.record({
      all: fc.constant(Float64Array.from(values).sort()),
      pick: fc.array(fc.boolean(), { minLength: values.length, maxLength: values.length }),
    }),
  )
  .map(({ all, pick }) => {
    const part: number[] = [];
    const rest: number[] = [];
    for (const [i, v] of all.entries()) (pick[i] ? part : rest).push(v / 4);
    return { all: all.map((v) => v / 4), part: Float64Array.from(part), rest: Float64Array.from(rest) };
  })
  .filter(({ part, rest }) => part.length > 0 && rest.length > 0);

describe('statistics of a sample with a part taken out', () => {
  it('give the Kolmogorov–Smirnov test of the part against the rest built out', () => {
    fc.assert(
      fc.property(sampleAndPart, ({ all, part, rest }) => {
        expect(ksPartAgainstRest(all, part)).toEqual(ksTwoSampleSorted(rest, part));
      }),
      { seed: 11, numRuns: 500 },
    );
  });

  it('give the quantiles of the rest built out', () => {
    fc.assert(
      fc.property(sampleAndPart, fc.double({ min: 0, max: 1, noNaN: true }), ({ all, part, rest }, q) => {
        for (const p of [0, 0.1, 0.5, 0.9, 1, q]) {
          expect(quantileOfRest(all, part, p)).toBeCloseTo(quantileSorted(rest, p), 12);
        }
      }),
      { seed: 12, numRuns: 500 },
    );
  });

  it('refuse an empty part or an empty rest', () => {
    expect(() => ksPartAgainstRest([1, 2], [])).toThrow(RangeError);
    expect(() => ksPartAgainstRest([1, 2], [1, 2])).toThrow(RangeError);
    expect(quantileOfRest([1, 2], [1, 2], 0.5)).toBeNaN();
  });
});

describe('quantiles by selection', () => {
  it('equal the quantiles of the sorted values, ties and NaN included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: -20, max: 20 }), fc.constant(Number.NaN)), { maxLength: 300 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 5 }),
        (ints, qs) => {
          const values = ints.map((v) => v / 3);
          const sorted = sortedCopy(values);
          const got = quantilesBySelection(values, qs);
          qs.forEach((q, i) => {
            if (sorted.length === 0) expect(got[i]).toBeNaN();
            else expect(got[i]).toBeCloseTo(quantileSorted(sorted, q), 12);
          });
        },
      ),
      { seed: 13, numRuns: 500 },
    );
  });
});
