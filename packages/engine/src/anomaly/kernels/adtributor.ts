/**
 * Adtributor (Bhagwan, Fonseca, Kedia et al., "Adtributor: Revenue Debugging in Advertising
 * Systems", NSDI 2014): which element, or small set of elements, of which dimension explains the
 * change of a total. Pure: counts in, ranked explanations out.
 *
 * Per dimension, with A the actual and F the expected total over its elements, and A_e, F_e an
 * element's:
 * - explanatory power EP_e = (A_e − F_e) / (A − F), the element's share of the change;
 * - surprise S_e = ½ (p ln(2p / (p + q)) + q ln(2q / (p + q))) with p = F_e / F and q = A_e / A,
 *   the element's term of the Jensen–Shannon divergence (natural log) between the expected and the
 *   actual distribution over the dimension.
 * Elements with EP_e ≥ `minElementShare` are candidates; taken by decreasing EP (ties: surprise),
 * the smallest set whose EP sum reaches `minExplainedShare`, of at most `maxSetSize` elements, is
 * the dimension's explanation (the paper walks the candidates by surprise; by EP the set found is
 * the smallest one, "succinctness" in the paper's words). Explained dimensions are ranked by the
 * total surprise of their set, most surprising first (equal ones, to 1e-9, in input order).
 *
 * Two additions to the paper. Once the set reaches T_EEP, a further candidate still joins it when
 * it carries `minAddedShare` of the change: a storm of 26 incidents on one service and 10 on
 * another names both, not only the larger (whose 72% already passes T_EEP). And a set must carry
 * the change out of proportion to its size, its EP exceeding its share of the expected total by
 * `minLift`. Without it an attribute of two to five
 * values (severity, priority, two teams) "explains" any change whose mix did not move at all: a
 * storm spread evenly over everything is 80% LOW and MEDIUM because 80% of incidents always are.
 */

/** One element of a dimension: its actual and expected value in the window. */
export interface ElementCounts {
  readonly value: string;
  readonly actual: number;
  readonly expected: number;
}

/** An element of an explanation, with its scores. */
export interface ScoredElement extends ElementCounts {
  /** Explanatory power: the element's share of the dimension's change. */
  readonly share: number;
  /** Its Jensen–Shannon term between the expected and the actual distribution. */
  readonly surprise: number;
}

/** A dimension whose small set of elements explains the change. */
export interface DimensionExplanation {
  readonly dimension: string;
  readonly elements: readonly ScoredElement[];
  /** Sum of the elements' explanatory power. */
  readonly explainedShare: number;
  /** Sum of the elements' surprise: the dimension's rank. */
  readonly surprise: number;
  /** The set's share of the expected total (what its EP would be if the mix had not moved). */
  readonly expectedShare: number;
}

/** Thresholds of {@link adtributor}. */
export interface AdtributorSettings {
  /** T_EP: least explanatory power of a candidate element (paper: 0.1). */
  readonly minElementShare: number;
  /** T_EEP: least explanatory power of a dimension's set (paper: 0.67). */
  readonly minExplainedShare: number;
  /** Largest set that still counts as an explanation. */
  readonly maxSetSize: number;
  /** Least excess of the set's EP over its share of the expected total. */
  readonly minLift: number;
  /** Least EP of an element that joins a set already past T_EEP. */
  readonly minAddedShare: number;
}

/** The paper's thresholds, with sets of up to three elements. */
export const defaultAdtributorSettings: AdtributorSettings = {
  minElementShare: 0.1,
  minExplainedShare: 0.67,
  maxSetSize: 3,
  minLift: 0.3,
  minAddedShare: 0.2,
};

/** The element's Jensen–Shannon term (natural log) for expected share p and actual share q. */
export function jsSurprise(p: number, q: number): number {
  const m = (p + q) / 2;
  if (m <= 0) return 0;
  const term = (x: number) => (x > 0 ? x * Math.log(x / m) : 0);
  return 0.5 * (term(p) + term(q));
}

/** Scores every element of one dimension (EP and surprise), in input order. */
export function scoreDimension(elements: readonly ElementCounts[]): ScoredElement[] {
  let actual = 0;
  let expected = 0;
  for (const e of elements) {
    actual += e.actual;
    expected += e.expected;
  }
  const change = actual - expected;
  return elements.map((e) => ({
    ...e,
    share: change === 0 ? 0 : (e.actual - e.expected) / change,
    surprise: jsSurprise(expected > 0 ? e.expected / expected : 0, actual > 0 ? e.actual / actual : 0),
  }));
}

/**
 * Adtributor over several dimensions: the explained dimensions, most surprising first (empty when
 * no dimension has a small set explaining `minExplainedShare` of the change, or nothing changed).
 * A dimension with nothing expected (no baseline) explains nothing.
 */
export function adtributor(
  dimensions: ReadonlyMap<string, readonly ElementCounts[]>,
  settings: AdtributorSettings = defaultAdtributorSettings,
): DimensionExplanation[] {
  const out: DimensionExplanation[] = [];
  for (const [dimension, elements] of dimensions) {
    const scored = scoreDimension(elements);
    let expectedTotal = 0;
    for (const e of elements) expectedTotal += e.expected;
    // Without an expected distribution there is no surprise to rank by, nor a share to compare.
    if (!(expectedTotal > 0)) continue;
    const candidates = scored
      .filter((e) => e.share >= settings.minElementShare)
      .sort((a, b) => b.share - a.share || b.surprise - a.surprise);
    const chosen: ScoredElement[] = [];
    let explained = 0;
    let surprise = 0;
    let expectedSet = 0;
    for (const e of candidates) {
      if (chosen.length >= settings.maxSetSize) break;
      if (explained >= settings.minExplainedShare && e.share < settings.minAddedShare) break;
      chosen.push(e);
      explained += e.share;
      surprise += e.surprise;
      expectedSet += e.expected;
    }
    const expectedShare = expectedTotal > 0 ? expectedSet / expectedTotal : 0;
    if (
      chosen.length > 0 &&
      explained >= settings.minExplainedShare &&
      explained - expectedShare >= settings.minLift
    ) {
      out.push({ dimension, elements: chosen, explainedShare: explained, surprise, expectedShare });
    }
  }
  // Surprises equal but for rounding (a team of one service) keep the input order of dimensions.
  return out.sort((a, b) => {
    const diff = b.surprise - a.surprise;
    return Math.abs(diff) > 1e-9 * Math.max(a.surprise, b.surprise) ? diff : 0;
  });
}
