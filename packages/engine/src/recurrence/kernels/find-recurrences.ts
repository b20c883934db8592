import {
  jaccard,
  lshCandidatePairs,
  type MinHashOptions,
  minHashSignatures,
  wordShingles,
} from './minhash.ts';
import { type FingerprintParts, fingerprintOf, normalizeTokens, partsFromTokens } from './normalize.ts';
import { type Periodicity, type PeriodicityOptions, periodicity } from './periodicity.ts';
import { UnionFind } from './union-find.ts';

/**
 * How a group of incidents recurs:
 * - `EXACT_FINGERPRINT`: every incident has the same fingerprint (normalised title, service,
 *   category and symptom terms): the same problem, word for word once numbers and ids are gone.
 * - `SIMILAR_TEXT`: incidents whose title and description are similar (MinHash-estimated Jaccard
 *   similarity of their words at least the threshold, chained by single linkage), spanning more
 *   than one fingerprint: the same problem worded differently.
 * - `PERIODIC`: a group of either kind whose inter-arrival intervals are regular (low coefficient
 *   of variation, unlikely under random arrivals): the problem comes back on a schedule.
 * A group has exactly one type; PERIODIC takes precedence because it says the most.
 */
export const recurrenceTypes = ['EXACT_FINGERPRINT', 'SIMILAR_TEXT', 'PERIODIC'] as const;
/** One of {@link recurrenceTypes}. */
export type RecurrenceType = (typeof recurrenceTypes)[number];

/** Incidents to search, column-wise (index i of every array is one incident). */
export interface RecurrenceInput {
  readonly titles: readonly string[];
  readonly descriptions: readonly (string | null)[];
  readonly services: readonly (string | null)[];
  readonly categories: readonly (string | null)[];
  /** Creation times, epoch milliseconds. */
  readonly createdAtMs: Float64Array;
}

/** Settings of {@link findRecurrences}. */
export interface FindRecurrenceOptions {
  /** Smallest group reported. Default 2 (an incident that came back once). */
  readonly minOccurrences?: number;
  /**
   * Estimated Jaccard similarity at which two incidents are linked. Default 0.4: rewordings of one
   * problem ("timeout during card authorisation" / "timeouts on card authorisation") score about
   * 0.5 to 0.7 on their words; unrelated incident texts mostly below 0.2.
   */
  readonly similarityThreshold?: number;
  /** Link similar incidents of different services too. Default false: a fingerprint includes the service. */
  readonly acrossServices?: boolean;
  /**
   * Compare every pair of distinct texts exactly instead of the MinHash LSH candidates: no missed
   * pair, O(n²) time. For small inputs and as the reference LSH is measured against. Default false.
   */
  readonly exhaustive?: boolean;
  readonly minHash?: MinHashOptions;
  readonly periodicity?: PeriodicityOptions;
}

/** Defaults of {@link FindRecurrenceOptions}. */
export const defaultFindRecurrence = {
  minOccurrences: 2,
  similarityThreshold: 0.5,
  acrossServices: false,
} as const;

/** One recurring group found. */
export interface RecurrenceGroup {
  readonly type: RecurrenceType;
  /** Indexes of the member incidents in the input, oldest first. */
  readonly members: number[];
  /** The group's signature: its most frequent fingerprint (ties: the earliest seen). */
  readonly signature: string;
  /** Distinct fingerprints of the members, most frequent first. */
  readonly fingerprints: string[];
  /** Normalised title of the signature fingerprint. */
  readonly normalizedTitle: string;
  /** Symptom terms of the signature fingerprint. */
  readonly symptoms: string[];
  /** Mean exact Jaccard similarity of the members' shingle sets over member pairs (or a sample). */
  readonly meanSimilarity: number;
  /** Smallest of those pairwise similarities. */
  readonly minSimilarity: number;
  /** Pairs the similarities were computed over. */
  readonly pairsCompared: number;
  readonly periodicity: Periodicity;
}

/** Most member pairs whose similarity is computed exactly; larger groups use a fixed sample. */
const maxPairs = 2000;

/**
 * Finds recurring incidents: fingerprints each incident (see `fingerprintParts`), links
 * incidents with equal fingerprints, links candidate pairs from MinHash LSH over the words of
 * title + description whose exact Jaccard similarity reaches the threshold, clusters the links
 * with union-find (single linkage), drops multi-wording groups whose mean pairwise similarity is
 * below the threshold (chains), and classifies each group (see {@link recurrenceTypes}).
 * Identical word sets are hashed once. Deterministic for a given input and options.
 *
 * Pure. Cost O(n × (text + numHashes)) for signatures, O(n × bands) for LSH, plus the candidate
 * pairs, plus O(group pairs) (at most 2,000 a group) for the similarity evidence.
 */
export function findRecurrences(
  input: RecurrenceInput,
  options: FindRecurrenceOptions = {},
): RecurrenceGroup[] {
  const n = input.titles.length;
  const minOccurrences = options.minOccurrences ?? defaultFindRecurrence.minOccurrences;
  const threshold = options.similarityThreshold ?? defaultFindRecurrence.similarityThreshold;
  const acrossServices = options.acrossServices ?? defaultFindRecurrence.acrossServices;
  const minHash = options.minHash ?? {};

  const fingerprints: string[] = new Array(n);
  const parts: FingerprintParts[] = new Array(n);
  // Incidents with the same words (and service, unless linking across services) share one
  // document: it is shingled and hashed once, and compared once.
  const docIndex = new Map<string, number>();
  const uniqueDocs: Set<string>[] = [];
  const uniqueService: string[] = [];
  const docOf = new Int32Array(n);
  const tokensOf = memoized(normalizeTokens);
  for (let i = 0; i < n; i++) {
    const titleTokens = tokensOf(input.titles[i] ?? '');
    const descriptionTokens = tokensOf(input.descriptions[i] ?? '');
    const p = partsFromTokens(titleTokens, descriptionTokens, input.services[i], input.categories[i]);
    fingerprints[i] = fingerprintOf(p);
    parts[i] = p;
    const key = `${acrossServices ? '' : p.service}\u0001${p.title}\u0001${descriptionTokens.join(' ')}`;
    let d = docIndex.get(key);
    if (d === undefined) {
      d = uniqueDocs.length;
      docIndex.set(key, d);
      uniqueDocs.push(wordShingles([...titleTokens, ...descriptionTokens]));
      uniqueService.push(p.service);
    }
    docOf[i] = d;
  }

  const sets = new UnionFind(n);
  const firstOfFingerprint = new Map<string, number>();
  const firstOfDoc = new Int32Array(uniqueDocs.length).fill(-1);
  for (let i = 0; i < n; i++) {
    const f = firstOfFingerprint.get(fingerprints[i]!);
    if (f === undefined) firstOfFingerprint.set(fingerprints[i]!, i);
    else sets.union(f, i);
    const d = docOf[i]!;
    if (firstOfDoc[d] === -1) firstOfDoc[d] = i;
    else sets.union(firstOfDoc[d]!, i);
  }

  const link = (a: number, b: number) => {
    if (jaccard(uniqueDocs[a]!, uniqueDocs[b]!) >= threshold) sets.union(firstOfDoc[a]!, firstOfDoc[b]!);
  };
  if (options.exhaustive) {
    for (let a = 0; a < uniqueDocs.length; a++) {
      for (let b = a + 1; b < uniqueDocs.length; b++) {
        if (acrossServices || uniqueService[a] === uniqueService[b]) link(a, b);
      }
    }
  } else {
    const k = minHash.numHashes ?? 128;
    const signatures = minHashSignatures(uniqueDocs, minHash);
    lshCandidatePairs(signatures, uniqueDocs.length, minHash, (a, b) => {
      if (!acrossServices && uniqueService[a] !== uniqueService[b]) return;
      // The MinHash estimate screens cheaply; the exact Jaccard decides, so estimation noise
      // (SE ≈ 0.04) neither links nor splits pairs near the threshold.
      let equal = 0;
      for (let i = 0; i < k; i++) if (signatures[a * k + i] === signatures[b * k + i]) equal++;
      if (equal / k >= threshold - 0.15) link(a, b);
    });
  }

  const groups: RecurrenceGroup[] = [];
  for (const members of sets.groups(minOccurrences)) {
    members.sort((a, b) => input.createdAtMs[a]! - input.createdAtMs[b]! || a - b);
    const counts = new Map<string, number>();
    for (const m of members) counts.set(fingerprints[m]!, (counts.get(fingerprints[m]!) ?? 0) + 1);
    // Map iteration follows first insertion (oldest first), so a stable sort breaks ties by age.
    const distinct = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([f]) => f);
    const signature = distinct[0]!;
    const representative = members.find((m) => fingerprints[m] === signature)!;
    const similarity = pairwiseSimilarity(members, docOf, uniqueDocs);
    // Single linkage can chain texts that are each a little alike into a group that is not: a
    // group of several wordings must also be alike on average.
    if (counts.size > 1 && similarity.mean < threshold) continue;
    const times = members.map((m) => input.createdAtMs[m]!);
    const period = periodicity(times, options.periodicity);
    groups.push({
      type: period.periodic ? 'PERIODIC' : distinct.length === 1 ? 'EXACT_FINGERPRINT' : 'SIMILAR_TEXT',
      members,
      signature,
      fingerprints: distinct,
      normalizedTitle: parts[representative]!.title,
      symptoms: [...parts[representative]!.symptoms],
      meanSimilarity: similarity.mean,
      minSimilarity: similarity.min,
      pairsCompared: similarity.pairs,
      periodicity: period,
    });
  }
  return groups;
}

/** Exact Jaccard over all member pairs, or over a fixed stride sample of {@link maxPairs} pairs. */
function pairwiseSimilarity(
  members: readonly number[],
  docOf: Int32Array,
  docs: readonly Set<string>[],
): { mean: number; min: number; pairs: number } {
  const m = members.length;
  const total = (m * (m - 1)) / 2;
  let sum = 0;
  let min = 1;
  let pairs = 0;
  const add = (a: number, b: number) => {
    const da = docOf[members[a]!]!;
    const db = docOf[members[b]!]!;
    const j = da === db ? 1 : jaccard(docs[da]!, docs[db]!);
    sum += j;
    if (j < min) min = j;
    pairs++;
  };
  if (total <= maxPairs) {
    for (let a = 0; a < m; a++) for (let b = a + 1; b < m; b++) add(a, b);
  } else {
    // A deterministic walk over pairs: a fixed LCG picks (a, b), so reruns give the same evidence.
    let state = 12345;
    for (let s = 0; s < maxPairs; s++) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      const a = state % m;
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      const b = (a + 1 + (state % (m - 1))) % m;
      add(Math.min(a, b), Math.max(a, b));
    }
  }
  return { mean: pairs ? sum / pairs : 1, min: pairs ? min : 1, pairs };
}

/** `fn` with a cache of its results by argument, for texts that repeat (templated alerts). */
function memoized(fn: (text: string) => string[]): (text: string) => string[] {
  const cache = new Map<string, string[]>();
  return (text) => {
    let value = cache.get(text);
    if (value === undefined) {
      value = fn(text);
      cache.set(text, value);
    }
    return value;
  };
}
