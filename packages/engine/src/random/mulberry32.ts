/**
 * The engine's one seeded pseudo-random generator: mulberry32 (Tommy Ettinger, public domain), a
 * 32-bit state generator that passes gjrand's tests at this size. Reproducible on every platform
 * (only 32-bit integer arithmetic), which `Math.random` is not; O(1) per draw. Not for cryptography.
 *
 * The randomised kernels (isolation forest, the periodicity permutation test, the tree and neural
 * learners, sampling), the test fixtures and the benchmarks all draw from here, so one seed means one
 * stream everywhere; `packages/engine/test/random.test.ts` fails if a second copy appears anywhere
 * in the repository.
 *
 * Kept rather than pure-rand 8 (which fast-check brings): pure-rand has no mulberry32 (its generators
 * are xoroshiro128+, xorshift128+, Mersenne Twister and a 32-bit LCG), so switching would change every
 * seeded stream and with it the values that tests pin (that test's reference streams, the fixtures'
 * series, the seeded models' results). The synthetic-data generator keeps its own xoshiro128**
 * (`synth/random.ts`) for the same reason: its per-hour streams are the demo data and the data the
 * synthetic tests and benchmark figures were measured on.
 */

/** Raw generator: each call returns the next unsigned 32-bit integer of the stream of `seed`. */
export function mulberry32Uint32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Uniform draws in [0, 1): the 32-bit stream of `seed` over 2^32. */
export function mulberry32(seed: number): () => number {
  const next = mulberry32Uint32(seed);
  return () => next() / 4294967296;
}

/**
 * Uniform draws in the open interval (0, 1): (u + 1) / (2^32 + 1) for the 32-bit draw u, so the
 * result can go into a logarithm (Box–Muller, inversion sampling) without ever being 0 or 1.
 */
export function mulberry32Open(seed: number): () => number {
  const next = mulberry32Uint32(seed);
  return () => (next() + 1) / 4294967297;
}
