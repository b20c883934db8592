/**
 * Seeded pseudo-random numbers for the randomised kernels: mulberry32 (Tommy Ettinger, public
 * domain), a 32-bit state generator that passes gjrand's tests at this size; reproducible across
 * platforms, which `Math.random` is not. Cost O(1) per draw.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
