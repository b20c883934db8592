import { describe, expect, it } from 'vitest';
import { findRecurrences, type RecurrenceInput } from '../../src/recurrence/kernels/find-recurrences.ts';
import { codeTokens, normalizeTokens } from '../../src/recurrence/kernels/normalize.ts';
import { profileOf, TermWeights, weightedJaccard } from '../../src/recurrence/kernels/term-weights.ts';

const hour = 3_600_000;

function input(rows: readonly (readonly [string, string | null])[], service = 'it'): RecurrenceInput {
  return {
    titles: rows.map((r) => r[0]),
    descriptions: rows.map((r) => r[1]),
    services: rows.map(() => service),
    categories: rows.map(() => null),
    // Incident i at i² hours: in input order, at growing gaps, so no group is periodic.
    createdAtMs: Float64Array.from(rows, (_, i) => i * i * hour),
  };
}

/** Background incidents with words of their own, so shared words weigh like in a real window. */
function background(count: number): [string, null][] {
  const word = (i: number, k: number) =>
    `b${String.fromCharCode(97 + ((i * 7 + k) % 26))}${String.fromCharCode(97 + ((i + k * 3) % 26))}${String.fromCharCode(97 + (Math.floor(i / 26) % 26))}`;
  return Array.from({ length: count }, (_, i) => [`${word(i, 0)} ${word(i, 1)} ${word(i, 2)}`, null]);
}

describe('coded values', () => {
  it('keeps a label and its number when a segment is nothing else', () => {
    expect(codeTokens('category 26 / subcategory 174 / symptom 491')).toEqual([
      'category:26',
      'subcategory:174',
      'symptom:491',
    ]);
    expect(codeTokens('contact type: phone. location: location 204. closed code: code 5.')).toEqual([
      'location:204',
      'code:5',
    ]);
    // A number inside a sentence is a measurement or an id, not a code.
    expect(codeTokens('nightly export failed with exit code 137')).toEqual([]);
    expect(codeTokens('notifications worker oom-killed (pid 4211)')).toEqual([]);
    expect(normalizeTokens('Category 26 / Symptom 491')).toEqual([
      'category',
      'symptom',
      'category:26',
      'symptom:491',
    ]);
  });
});

describe('IDF weighting', () => {
  it('gives a word every incident holds almost no weight, and a rare word much', () => {
    // 1000 incidents all hold "category"; 10 hold "category:7". idf = ln((N + 10) / df), by hand:
    // ln(1010 / 1000) = 0.00995 and ln(1010 / 10) = 4.615.
    const weights = new TermWeights();
    const rare = weights.add(['category', 'category:7'], 10);
    const common = weights.add(['category', 'category:8'], 990);
    expect(weights.idf[weights.ids.get('category')!]).toBeCloseTo(Math.log(1010 / 1000), 10);
    expect(weights.idf[weights.ids.get('category:7')!]).toBeCloseTo(Math.log(1010 / 10), 10);
    // Two incidents sharing only the universal word are unlike: 0.00995 / (0.00995 + 4.615 + 0.0202).
    const a = profileOf([{ terms: rare, count: 1 }], weights.idf);
    const b = profileOf([{ terms: common, count: 1 }], weights.idf);
    expect(weightedJaccard(a, b)).toBeCloseTo(
      Math.log(1010 / 1000) / (Math.log(1010 / 1000) + Math.log(1010 / 10) + Math.log(1010 / 990)),
      10,
    );
    expect(weightedJaccard(a, a)).toBe(1);
  });

  it('does not group templated titles on the words they all share', () => {
    // 12 code combinations, 5 incidents each: every title shares "Category", "Subcategory" and
    // "Symptom"; only the codes tell them apart. Each combination is one problem: 12 groups of 5.
    const rows: [string, string][] = [];
    for (let rep = 0; rep < 5; rep++) {
      for (let c = 0; c < 12; c++) {
        rows.push([`Category ${c} / Subcategory ${100 + c} / Symptom ${200 + c}`, `Caller: Caller ${rep}.`]);
      }
    }
    const groups = findRecurrences(input(rows));
    expect(groups).toHaveLength(12);
    for (const g of groups) {
      expect(g.type).toBe('EXACT_FINGERPRINT');
      expect(new Set(g.members.map((m) => rows[m]![0])).size).toBe(1);
      expect(g.members).toHaveLength(5);
    }
  });
});

describe('complete linkage', () => {
  it('does not chain A ~ B ~ C into one group when A and C are unlike', () => {
    // A and B share four of their words, B and C four, A and C two. With 50 background incidents,
    // by hand: idf(a-only words) = ln(69/3) = 3.135, idf(A∩B) = ln(69/6) = 2.442, idf(all three) =
    // ln(69/9) = 2.037. Weighted Jaccard A–B = B–C = (2·2.442 + 2·2.037) / (2·3.135 + 2·2.442 +
    // 2·2.037 + 2·2.442) = 8.958 / 20.112 = 0.445 ≥ 0.4; A–C = 4.074 / 26.382 = 0.154.
    const a = ['Alpha bravo charlie delta echo foxtrot', null] as const;
    const b = ['Charlie delta echo foxtrot golf hotel', null] as const;
    const c = ['Echo foxtrot golf hotel india juliet', null] as const;
    const rows = [a, b, c, a, b, c, a, b, c, ...background(50)];
    const groups = findRecurrences(input(rows));
    const withA = groups.find((g) => g.members.includes(0))!;
    expect(withA.members.some((m) => rows[m] === c)).toBe(false);
    expect(withA.type).toBe('SIMILAR_TEXT');
    expect(withA.members).toEqual([0, 1, 3, 4, 6, 7]);
    expect(withA.minSimilarity).toBeCloseTo(8.958 / 20.112, 2);
    const withC = groups.find((g) => g.members.includes(2))!;
    expect(withC.members).toEqual([2, 5, 8]);
    expect(withC.type).toBe('EXACT_FINGERPRINT');
  });
});
