import { fnv1a } from './normalize.ts';

/** Settings of the MinHash signatures and their LSH banding. */
export interface MinHashOptions {
  /** Hash functions per signature (signature length). Default 128: standard error of J ≈ 0.044. */
  readonly numHashes?: number;
  /**
   * Rows per LSH band; `floor(numHashes / rowsPerBand)` bands. Default 3 (42 bands): a pair with
   * J = 0.4 becomes a candidate with probability 0.94, J = 0.5 with 0.996, J = 0.1 with 0.04.
   */
  readonly rowsPerBand?: number;
  /** Seed of the hash family; the same seed gives the same signatures. Default 1. */
  readonly seed?: number;
}

/** Defaults of {@link MinHashOptions}. */
export const defaultMinHash = { numHashes: 128, rowsPerBand: 3, seed: 1 } as const;

/**
 * Word shingles of a token list: every run of 1 to `maxN` adjacent tokens, as a set. The default,
 * single words, suits incident text: rewordings of one problem ("timeout during card
 * authorisation" / "timeouts on card authorisation") keep most words but few word pairs, so
 * adding 2-grams drops their similarity from about 0.55 to about 0.38.
 */
export function wordShingles(tokens: readonly string[], maxN = 1): Set<string> {
  const shingles = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    let shingle = tokens[i]!;
    shingles.add(shingle);
    for (let n = 2; n <= maxN && i + n <= tokens.length; n++) {
      shingle += ` ${tokens[i + n - 1]}`;
      shingles.add(shingle);
    }
  }
  return shingles;
}

/** Exact Jaccard similarity |A ∩ B| / |A ∪ B| of two sets; 1 for two empty sets. */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let common = 0;
  for (const x of a) if (b.has(x)) common++;
  return common / (a.size + b.size - common);
}

/** murmur3's 32-bit finaliser: a bijective mix, used to derive independent hash functions. */
function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * MinHash signatures (Broder 1997, "On the resemblance and containment of documents"): for each of
 * `numHashes` hash functions h_i, the minimum of h_i over a document's shingles. The share of equal
 * positions of two signatures is an unbiased estimate of the Jaccard similarity of the shingle sets.
 * h_i(x) = fmix32(fnv1a(x) XOR s_i) with seeds s_i drawn from `seed`, so results are reproducible.
 *
 * Returns one Uint32Array of `docs.length × numHashes` values (row-major). An empty document gets
 * all-0xFFFFFFFF, which matches only other empty documents. Cost O(Σ|shingles| × numHashes).
 */
export function minHashSignatures(
  docs: readonly ReadonlySet<string>[],
  options: MinHashOptions = {},
): Uint32Array {
  const k = options.numHashes ?? defaultMinHash.numHashes;
  const seeds = new Uint32Array(k);
  let state = fmix32((options.seed ?? defaultMinHash.seed) + 0x9e3779b9);
  for (let i = 0; i < k; i++) {
    state = fmix32(state + 0x9e3779b9);
    seeds[i] = state;
  }
  const out = new Uint32Array(docs.length * k).fill(0xffffffff);
  for (let d = 0; d < docs.length; d++) {
    const base = d * k;
    for (const shingle of docs[d]!) {
      const x = fnv1a(shingle);
      for (let i = 0; i < k; i++) {
        const h = fmix32(x ^ seeds[i]!);
        if (h < out[base + i]!) out[base + i] = h;
      }
    }
  }
  return out;
}

/** The MinHash estimate of the Jaccard similarity of documents `a` and `b` (share of equal positions). */
export function estimatedJaccard(signatures: Uint32Array, numHashes: number, a: number, b: number): number {
  let equal = 0;
  const ba = a * numHashes;
  const bb = b * numHashes;
  for (let i = 0; i < numHashes; i++) if (signatures[ba + i] === signatures[bb + i]) equal++;
  return equal / numHashes;
}

/**
 * Candidate pairs by locality-sensitive hashing with banding (Leskovec, Rajaraman, Ullman, "Mining
 * of Massive Datasets", ch. 3.4): signatures are cut into bands of `rowsPerBand` rows; documents
 * whose signatures agree on a whole band become a candidate pair. A pair with similarity J is found
 * with probability 1 − (1 − J^r)^b. Calls `visit(a, b)` once per distinct pair, a < b.
 * Cost O(n × bands) plus the pairs sharing a bucket.
 */
export function lshCandidatePairs(
  signatures: Uint32Array,
  count: number,
  options: MinHashOptions,
  visit: (a: number, b: number) => void,
): void {
  const k = options.numHashes ?? defaultMinHash.numHashes;
  const r = options.rowsPerBand ?? defaultMinHash.rowsPerBand;
  const bands = Math.floor(k / r);
  const seen = new Set<number>();
  for (let band = 0; band < bands; band++) {
    const buckets = new Map<string, number[]>();
    for (let d = 0; d < count; d++) {
      const start = d * k + band * r;
      let key = '';
      for (let i = 0; i < r; i++) key += `${signatures[start + i]!.toString(36)},`;
      const bucket = buckets.get(key);
      if (bucket) bucket.push(d);
      else buckets.set(key, [d]);
    }
    for (const bucket of buckets.values()) {
      if (bucket.length < 2) continue;
      for (let i = 0; i < bucket.length; i++) {
        for (let j = i + 1; j < bucket.length; j++) {
          const a = bucket[i]!;
          const b = bucket[j]!;
          // Pair id fits a double exactly for counts below 2^26.
          const id = a * count + b;
          if (seen.has(id)) continue;
          seen.add(id);
          visit(a, b);
        }
      }
    }
  }
}
