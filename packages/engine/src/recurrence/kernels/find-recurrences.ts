import { completeLinkage } from './complete-linkage.ts';
import { type Atom, clusterSimilarity, distinguishingTerms } from './group-evidence.ts';
import { lshCandidatePairs, type MinHashOptions, minHashSignatures } from './minhash.ts';
import { type FingerprintParts, fingerprintOf, normalizeTokens, partsFromTokens } from './normalize.ts';
import {
  defaultPeriodicity,
  falseDiscoveryControl,
  type Periodicity,
  type PeriodicityOptions,
  periodicity,
} from './periodicity.ts';
import { profileOf, type TermProfile, TermWeights, weightedJaccard } from './term-weights.ts';

/**
 * How a group of incidents recurs:
 * - `EXACT_FINGERPRINT`: every incident has the same fingerprint (normalised title, service,
 *   category and symptom terms): the same problem, word for word once numbers and ids are gone.
 * - `SIMILAR_TEXT`: incidents of several fingerprints whose words are alike (IDF-weighted Jaccard
 *   similarity at least the threshold between every two of its fingerprints): the same problem
 *   worded differently.
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
   * IDF-weighted Jaccard similarity at which two fingerprints are alike. Default 0.4: rewordings of
   * one problem ("Payment gateway timeout during card authorisation" / "Payment gateway timeouts on
   * card authorisation", with their descriptions) score 0.43 and more once the words they do not
   * share weigh by their rarity; unrelated incident texts mostly below 0.2.
   */
  readonly similarityThreshold?: number;
  /** Link similar incidents of different services too. Default false: a fingerprint includes the service. */
  readonly acrossServices?: boolean;
  /**
   * Compare every pair of fingerprints instead of the MinHash LSH candidates: no missed pair, O(n²)
   * time. The reference LSH is measured against. Default false.
   */
  readonly exhaustive?: boolean;
  /**
   * Services with at most this many fingerprints compare every pair of them; larger ones use the
   * MinHash LSH candidates. Default 2000 (2 million pairs, about a second).
   */
  readonly exhaustiveUpTo?: number;
  readonly minHash?: MinHashOptions;
  readonly periodicity?: PeriodicityOptions;
}

/** Defaults of {@link FindRecurrenceOptions}. */
export const defaultFindRecurrence = {
  minOccurrences: 2,
  similarityThreshold: 0.4,
  acrossServices: false,
  exhaustiveUpTo: 2000,
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
  /**
   * The terms that set the group apart: held by at least half of its incidents, by weight (IDF ×
   * share) heaviest first, at most 8, only terms held by fewer than half of the window's incidents.
   */
  readonly distinguishingTerms: string[];
  /**
   * Mean over member incident pairs of the IDF-weighted Jaccard similarity of their fingerprints'
   * term profiles (1 for two incidents of one fingerprint).
   */
  readonly meanSimilarity: number;
  /** Smallest similarity of two of the group's fingerprints (1 for one fingerprint). */
  readonly minSimilarity: number;
  /** Incident pairs the mean is over: m (m − 1) / 2. */
  readonly pairsCompared: number;
  readonly periodicity: Periodicity;
}

/**
 * Finds recurring incidents. Each incident is fingerprinted (normalised title with its coded values,
 * service, category and symptom terms; see `fingerprintParts`); incidents with equal fingerprints
 * always go together. Every term of title and description is weighted by its inverse document
 * frequency over the window (see {@link TermWeights}), so words nearly every incident shares weigh
 * nothing, and each fingerprint gets the IDF-weighted profile of its incidents' terms. Two
 * fingerprints (of one service unless `acrossServices`) are alike when the weighted Jaccard
 * similarity of their profiles reaches the threshold; all pairs are compared in services with up to
 * `exhaustiveUpTo` fingerprints, MinHash LSH candidates above that. Fingerprints are then grouped by
 * greedy complete linkage, largest first: a fingerprint joins a group only if it is alike to every
 * fingerprint already in it, so groups cannot chain. Each group's arrivals are judged by
 * {@link periodicity}, the verdicts adjusted for the number of groups tested (Benjamini–Hochberg,
 * {@link falseDiscoveryControl}), and each group is classified (see {@link recurrenceTypes}).
 * Deterministic for a given input and options.
 *
 * Pure. Cost O(n × text) for the terms, O(f² × profile) for f fingerprints in a service compared
 * exhaustively (O(f × bands) plus the candidate pairs with LSH), O(Σ group fingerprints²) for the
 * evidence.
 */
export function findRecurrences(
  input: RecurrenceInput,
  options: FindRecurrenceOptions = {},
): RecurrenceGroup[] {
  const n = input.titles.length;
  const minOccurrences = options.minOccurrences ?? defaultFindRecurrence.minOccurrences;
  const threshold = options.similarityThreshold ?? defaultFindRecurrence.similarityThreshold;
  const acrossServices = options.acrossServices ?? defaultFindRecurrence.acrossServices;

  const parts: FingerprintParts[] = new Array(n);
  const atoms: Atom[] = [];
  const atomOf = new Map<string, number>();
  // Distinct texts are tokenised and counted once (templated alerts repeat word for word).
  const textIndex = new Map<string, number>();
  const textTokens: string[][] = [];
  const tokensOf = memoized(normalizeTokens);
  for (let i = 0; i < n; i++) {
    const titleTokens = tokensOf(input.titles[i] ?? '');
    const descriptionTokens = tokensOf(input.descriptions[i] ?? '');
    const p = partsFromTokens(titleTokens, descriptionTokens, input.services[i], input.categories[i]);
    parts[i] = p;
    const fingerprint = fingerprintOf(p);
    let a = atomOf.get(fingerprint);
    if (a === undefined) {
      a = atoms.length;
      atomOf.set(fingerprint, a);
      atoms.push({ fingerprint, service: p.service, first: i, members: [], texts: new Map() });
    }
    const key = `${p.title}\u0001${descriptionTokens.join(' ')}`;
    let t = textIndex.get(key);
    if (t === undefined) {
      t = textTokens.length;
      textIndex.set(key, t);
      textTokens.push([...titleTokens, ...descriptionTokens]);
    }
    const atom = atoms[a]!;
    atom.members.push(i);
    atom.texts.set(t, (atom.texts.get(t) ?? 0) + 1);
  }

  const weights = new TermWeights();
  const textCounts = new Float64Array(textTokens.length);
  for (const atom of atoms) for (const [t, count] of atom.texts) textCounts[t]! += count;
  const textTerms = textTokens.map((tokens, t) => weights.add(tokens, textCounts[t]!));
  const idf = weights.idf;
  const profiles = atoms.map((atom) =>
    profileOf(
      [...atom.texts].map(([t, count]) => ({ terms: textTerms[t]!, count })),
      idf,
    ),
  );

  const similar = atoms.map(() => new Map<number, number>());
  const compare = (a: number, b: number) => {
    const s = weightedJaccard(profiles[a]!, profiles[b]!);
    if (s >= threshold) {
      similar[a]!.set(b, s);
      similar[b]!.set(a, s);
    }
  };
  const byService = new Map<string, number[]>();
  for (let a = 0; a < atoms.length; a++) {
    const key = acrossServices ? '' : atoms[a]!.service;
    const list = byService.get(key);
    if (list) list.push(a);
    else byService.set(key, [a]);
  }
  const exhaustiveUpTo = options.exhaustiveUpTo ?? defaultFindRecurrence.exhaustiveUpTo;
  for (const list of byService.values()) {
    if (options.exhaustive || list.length <= exhaustiveUpTo) {
      for (let x = 0; x < list.length; x++)
        for (let y = x + 1; y < list.length; y++) compare(list[x]!, list[y]!);
    } else {
      lshCandidates(list, profiles, idf, options.minHash ?? {}, compare);
    }
  }

  // Largest fingerprint first (ties: the earliest seen), so a group is led by its main wording.
  const order = atoms
    .map((_, a) => a)
    .sort((a, b) => atoms[b]!.members.length - atoms[a]!.members.length || a - b);
  const groups: RecurrenceGroup[] = [];
  const clusters = completeLinkage(order, similar).filter(
    (cluster) => cluster.reduce((sum, a) => sum + atoms[a]!.members.length, 0) >= minOccurrences,
  );
  const periods = clusters.map((cluster) =>
    periodicity(
      cluster.flatMap((a) => atoms[a]!.members.map((m) => input.createdAtMs[m]!)),
      options.periodicity,
    ),
  );
  const adjusted = falseDiscoveryControl(periods, options.periodicity?.alpha ?? defaultPeriodicity.alpha);
  for (const [c, cluster] of clusters.entries()) {
    const members = cluster.flatMap((a) => atoms[a]!.members);
    members.sort((a, b) => input.createdAtMs[a]! - input.createdAtMs[b]! || a - b);
    const leader = atoms[cluster[0]!]!;
    const evidence = clusterSimilarity(cluster, atoms, similar);
    const period = adjusted[c]!;
    const representative = parts[leader.first]!;
    groups.push({
      type: period.periodic ? 'PERIODIC' : cluster.length === 1 ? 'EXACT_FINGERPRINT' : 'SIMILAR_TEXT',
      members,
      signature: leader.fingerprint,
      fingerprints: cluster.map((a) => atoms[a]!.fingerprint),
      normalizedTitle: representative.title,
      symptoms: [...representative.symptoms],
      distinguishingTerms: distinguishingTerms(cluster, atoms, textTerms, idf, weights),
      meanSimilarity: evidence.mean,
      minSimilarity: evidence.min,
      pairsCompared: evidence.pairs,
      periodicity: period,
    });
  }
  return groups.sort((a, b) => a.members[0]! - b.members[0]!);
}

/**
 * Candidate pairs of fingerprints by MinHash LSH over their core terms (held by at least half of
 * their incidents, and by fewer than half of the window's: terms every fingerprint shares would put
 * every pair in one bucket). The exact weighted similarity of each candidate decides.
 */
function lshCandidates(
  list: readonly number[],
  profiles: readonly TermProfile[],
  idf: Float64Array,
  minHash: MinHashOptions,
  compare: (a: number, b: number) => void,
): void {
  const informative = Math.LN2;
  const withCore: number[] = [];
  const docs: Set<string>[] = [];
  for (const a of list) {
    const { terms, weights } = profiles[a]!;
    const core = new Set<string>();
    for (let i = 0; i < terms.length; i++) {
      const w = idf[terms[i]!]!;
      if (w >= informative && weights[i]! >= w / 2) core.add(String(terms[i]));
    }
    // Without core terms every signature is alike and every pair would be a candidate: such a
    // fingerprint (only words half the window shares) is left to itself.
    if (core.size === 0) continue;
    withCore.push(a);
    docs.push(core);
  }
  const signatures = minHashSignatures(docs, minHash);
  lshCandidatePairs(signatures, docs.length, minHash, (x, y) => compare(withCore[x]!, withCore[y]!));
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
