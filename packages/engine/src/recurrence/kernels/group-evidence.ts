import type { TermWeights } from './term-weights.ts';

/** A fingerprint's incidents: the unit the clustering moves (equal fingerprints are never split). */
export interface Atom {
  readonly fingerprint: string;
  /** Normalised service of its incidents (part of the fingerprint). */
  readonly service: string;
  /** Index of its first incident in the input. */
  readonly first: number;
  /** Indexes of its incidents in the input, in input order. */
  readonly members: number[];
  /** Distinct texts of the members (index into the texts) and how many members hold each. */
  readonly texts: Map<number, number>;
}

/**
 * The similarity evidence of a group of fingerprints: the mean over its incident pairs (two
 * incidents of one fingerprint count 1, of two fingerprints their profiles' similarity), the
 * smallest similarity of two of its fingerprints, and the number of incident pairs. Pure;
 * O(fingerprints²).
 */
export function clusterSimilarity(
  cluster: readonly number[],
  atoms: readonly Atom[],
  similar: readonly ReadonlyMap<number, number>[],
): { mean: number; min: number; pairs: number } {
  let sum = 0;
  let min = 1;
  let size = 0;
  for (let x = 0; x < cluster.length; x++) {
    const sx = atoms[cluster[x]!]!.members.length;
    size += sx;
    sum += (sx * (sx - 1)) / 2;
    for (let y = x + 1; y < cluster.length; y++) {
      const s = similar[cluster[x]!]!.get(cluster[y]!)!;
      sum += sx * atoms[cluster[y]!]!.members.length * s;
      if (s < min) min = s;
    }
  }
  const pairs = (size * (size - 1)) / 2;
  return { mean: pairs ? sum / pairs : 1, min, pairs };
}

/**
 * The terms that set a group apart: held by at least half of its incidents and by fewer than half
 * of the window's (idf ≥ ln 2), by weight (IDF × share in the group) heaviest first, at most 8.
 */
export function distinguishingTerms(
  cluster: readonly number[],
  atoms: readonly Atom[],
  textTerms: readonly Int32Array[],
  idf: Float64Array,
  weights: TermWeights,
): string[] {
  const held = new Map<number, number>();
  let size = 0;
  for (const a of cluster) {
    for (const [t, count] of atoms[a]!.texts) {
      for (const term of textTerms[t]!) held.set(term, (held.get(term) ?? 0) + count);
    }
    size += atoms[a]!.members.length;
  }
  return [...held]
    .filter(([term, count]) => count * 2 >= size && idf[term]! >= Math.LN2)
    .map(([term, count]) => ({ term, weight: (idf[term]! * count) / size }))
    .sort((a, b) => b.weight - a.weight || a.term - b.term)
    .slice(0, 8)
    .map(({ term }) => weights.terms[term]!);
}
