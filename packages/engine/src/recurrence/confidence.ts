import type { RecurrenceType } from './kernels/find-recurrences.ts';

/** The evidence a confidence score rests on. */
export interface ConfidenceEvidence {
  readonly type: RecurrenceType;
  /** Incidents in the group. */
  readonly occurrences: number;
  /** Distinct fingerprints in the group. */
  readonly fingerprints: number;
  /** Mean pairwise IDF-weighted Jaccard similarity of the members' words. */
  readonly meanSimilarity: number;
  /** Pairs that mean was taken over. */
  readonly pairsCompared: number;
  /** Coefficient of variation of the inter-arrival intervals folded onto the period; null with fewer than three occurrences. */
  readonly intervalCv: number | null;
}

/** A confidence score and, in words and numbers, how it was reached; stored in an analysis' metadata. */
export interface ConfidenceExplanation {
  /** In [0, 1], rounded to 4 decimals. */
  readonly value: number;
  readonly formula: 'support × similarity × regularity';
  readonly support: {
    readonly value: number;
    readonly rule: '1 − 1/occurrences';
    readonly occurrences: number;
  };
  readonly similarity: { readonly value: number; readonly basis: string };
  readonly regularity: { readonly value: number; readonly basis: string };
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

/**
 * The confidence that a group is one problem recurring, as a product of three factors in [0, 1]:
 * - support = 1 − 1/occurrences (2 occurrences 0.5, 4 → 0.75, 10 → 0.9): more repeats, less chance;
 * - similarity = 1 when every incident has the same fingerprint, else the mean pairwise
 *   IDF-weighted Jaccard similarity of their words (how alike the texts are);
 * - regularity = 1 − CV of the inter-arrival intervals folded onto the period for PERIODIC groups
 *   (how clockwork the schedule is), 1 for the other types (their claim does not rest on timing).
 */
export function recurrenceConfidence(evidence: ConfidenceEvidence): ConfidenceExplanation {
  const support = 1 - 1 / Math.max(1, evidence.occurrences);
  const sameFingerprint = evidence.fingerprints === 1;
  const similarity = sameFingerprint ? 1 : Math.min(1, Math.max(0, evidence.meanSimilarity));
  const periodic = evidence.type === 'PERIODIC' && evidence.intervalCv !== null;
  const regularity = periodic ? Math.max(0, 1 - (evidence.intervalCv ?? 1)) : 1;
  return {
    value: round4(support * similarity * regularity),
    formula: 'support × similarity × regularity',
    support: { value: round4(support), rule: '1 − 1/occurrences', occurrences: evidence.occurrences },
    similarity: {
      value: round4(similarity),
      basis: sameFingerprint
        ? 'every incident has the same fingerprint'
        : `mean IDF-weighted Jaccard similarity of title and description words over ${evidence.pairsCompared} incident pairs (${evidence.fingerprints} fingerprints)`,
    },
    regularity: {
      value: round4(regularity),
      basis: periodic
        ? `1 − coefficient of variation of the inter-arrival intervals folded onto the period (${round4(evidence.intervalCv ?? 0)})`
        : 'not a periodic claim: 1',
    },
  };
}
