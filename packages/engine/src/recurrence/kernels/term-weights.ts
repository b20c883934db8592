/**
 * Pseudo-incidents holding none of the words, added to the window when weighting terms (see
 * {@link TermWeights}). 10 keeps the words of a small input weighted (with 4 incidents a word in all
 * of them weighs ln(14/4) = 1.25) while a word in every one of 20,000 incidents weighs
 * ln(20010/20000) = 0.0005.
 */
const idfPrior = 10;

/**
 * Inverse document frequency (IDF) of every term of a window: idf(t) = ln((N + prior) / df(t)),
 * N the incidents, df(t) the incidents whose text holds t, prior {@link idfPrior} (Sparck Jones
 * 1972, with the corpus padded by `prior` empty incidents). A term nearly every incident shares
 * ("Category", "Symptom" in a templated export) weighs about 0; a term one incident in a thousand
 * holds weighs about 7.
 */
export class TermWeights {
  /** Term → its id (index into {@link idf} and {@link terms}). */
  readonly ids = new Map<string, number>();
  /** Terms by id. */
  readonly terms: string[] = [];
  private readonly frequency: number[] = [];
  private incidents = 0;
  private weights: Float64Array | undefined;

  /** Counts one distinct text held by `count` incidents; returns its sorted distinct term ids. */
  add(terms: readonly string[], count: number): Int32Array {
    const out: number[] = [];
    for (const term of new Set(terms)) {
      let id = this.ids.get(term);
      if (id === undefined) {
        id = this.frequency.length;
        this.ids.set(term, id);
        this.terms.push(term);
        this.frequency.push(0);
      }
      this.frequency[id]! += count;
      out.push(id);
    }
    this.incidents += count;
    this.weights = undefined;
    return Int32Array.from(out).sort();
  }

  /** IDF by term id. */
  get idf(): Float64Array {
    if (!this.weights) {
      const total = this.incidents + idfPrior;
      this.weights = Float64Array.from(this.frequency, (df) => Math.log(total / df));
    }
    return this.weights;
  }
}

/**
 * A bag of weighted terms, sorted by term id: the words of one incident, or the mean of a group of
 * incidents' words (each term weighted by its IDF times the share of the incidents holding it).
 */
export interface TermProfile {
  readonly terms: Int32Array;
  readonly weights: Float64Array;
}

/**
 * The profile of incidents given as distinct texts (sorted term ids) with how many incidents hold
 * each: weight(t) = idf(t) × (incidents holding t / incidents). O(Σ terms × log).
 */
export function profileOf(
  texts: readonly { readonly terms: Int32Array; readonly count: number }[],
  idf: Float64Array,
): TermProfile {
  const held = new Map<number, number>();
  let total = 0;
  for (const { terms, count } of texts) {
    total += count;
    for (const t of terms) held.set(t, (held.get(t) ?? 0) + count);
  }
  const terms = Int32Array.from(held.keys()).sort();
  const weights = Float64Array.from(terms, (t) => (idf[t]! * held.get(t)!) / total);
  return { terms, weights };
}

/**
 * Weighted Jaccard (Ruzicka) similarity Σ min(a_t, b_t) / Σ max(a_t, b_t) of two profiles; on
 * sets with IDF weights, the IDF mass of the shared terms over that of all their terms. 1 for two
 * profiles without weight. Pure; O(|a| + |b|).
 */
export function weightedJaccard(a: TermProfile, b: TermProfile): number {
  let i = 0;
  let j = 0;
  let min = 0;
  let max = 0;
  const na = a.terms.length;
  const nb = b.terms.length;
  while (i < na || j < nb) {
    const ta = i < na ? a.terms[i]! : Number.POSITIVE_INFINITY;
    const tb = j < nb ? b.terms[j]! : Number.POSITIVE_INFINITY;
    if (ta === tb) {
      const wa = a.weights[i++]!;
      const wb = b.weights[j++]!;
      min += Math.min(wa, wb);
      max += Math.max(wa, wb);
    } else if (ta < tb) {
      max += a.weights[i++]!;
    } else {
      max += b.weights[j++]!;
    }
  }
  return max > 0 ? min / max : 1;
}
