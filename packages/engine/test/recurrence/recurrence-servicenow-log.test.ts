import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pythonInBackground } from '../../../../test/support/python-reference.ts';
import { type Engine, openEngine, type RecurrenceAnalysis } from '../../src/index.ts';
import { normalizeTokens } from '../../src/recurrence/kernels/normalize.ts';

const zip = path.resolve(import.meta.dirname, '../../../..', '../shared/data/incident_event_log.zip');

/*
 * Recurrence on the real UCI ServiceNow event log, window 2016-03-03 to 2016-06-01 (2160 h), as
 * `insights analyze-recurrence --end 2016-06-01T00:00:00Z --time-window 2160` runs it. The log's
 * titles are coded ("Category 42 / Subcategory 223 / Symptom 534"), so every title shares the words
 * "Category", "Subcategory" and "Symptom". Properties checked:
 *
 * 1. No group with more than one fingerprint holds more than 5% of the window's incidents, and no
 *    group at all is larger than the largest repeated category/subcategory/symptom/configuration-item
 *    combination (pandas, below). 5%: one incident in twenty; the window has 1,411 distinct
 *    combinations (pandas), 17 incidents each on average, so a group of 5% merges far more than a
 *    shared code explains, unless it is one combination (only EXACT_FINGERPRINT groups may be).
 *    Before IDF weighting and complete linkage, one SIMILAR_TEXT group held 23,607 of 23,657.
 * 2. The incidents of a SIMILAR_TEXT group share their distinguishing terms: the terms every member
 *    holds are, together, held by at most 5% of the window's incidents (not by every incident, as
 *    "category subcategory symptom" is), and each term the group reports as distinguishing is held
 *    by at least half of its members.
 * 3. EXACT_FINGERPRINT groups are the repeated category/subcategory/symptom/CI combinations: each
 *    holds exactly the incidents of one such combination, and every repeated combination lies whole
 *    in one group. At least 80% of them stand alone (727 of 790 do; the rest join a similar code
 *    in a SIMILAR_TEXT group).
 * 4. A PERIODIC group misses at most half of its expected occurrences and its p-value stays at most
 *    0.05 after the Benjamini–Hochberg adjustment for the groups tested in the run (statsmodels
 *    computes the adjusted values here). Under the former rules (folded CV ≤ 0.35, no adjustment)
 *    13 groups of 4 to 13 incidents passed the Poisson test alone (p 0.002 to 0.048).
 *
 * The combinations come from pandas on the raw CSV with the ingestion's rule (per `number`, the
 * latest value that is not `?`, events ordered by sys_updated_at parsed day-first, sys_mod_count and
 * file order; incidents opened in the window).
 */
const pandasReference = `
import json, sys, zipfile
import pandas as pd
with zipfile.ZipFile(sys.argv[1]) as z:
    df = pd.read_csv(z.open(z.namelist()[0]), na_values=['?'], keep_default_na=False, dtype=str)
df['order'] = range(len(df))
df['upd'] = pd.to_datetime(df['sys_updated_at'], format='%d/%m/%Y %H:%M')
df['mods'] = pd.to_numeric(df['sys_mod_count'])
cols = ['opened_at', 'category', 'subcategory', 'u_symptom', 'cmdb_ci']
last = df.sort_values(['upd', 'mods', 'order']).groupby('number')[cols].last()
opened = pd.to_datetime(last['opened_at'], format='%d/%m/%Y %H:%M')
inside = last[(opened >= '2016-03-03') & (opened < '2016-06-01')].fillna('')
key = inside['category'] + '/' + inside['subcategory'] + '/' + inside['u_symptom'] + '/' + inside['cmdb_ci']
groups = inside.groupby(key).groups
print(json.dumps({'incidents': int(len(inside)), 'combinations': len(groups),
                  'repeated': [sorted(v) for v in groups.values() if len(v) >= 2]}))
`;

import { internalContext } from '../../src/internal.ts';

const end = new Date('2016-06-01T00:00:00Z');
const evidenceOf = (a: RecurrenceAnalysis) => a.metadata['evidence'] as Record<string, unknown>;
const share = 0.05;
let engine: Engine;
let analyses: RecurrenceAnalysis[];
let scanned: number;
let pandas: { incidents: number; combinations: number; repeated: string[][] };
/** Incident id → external id (the log's `number`) and normalised terms of title and description. */
const incidents = new Map<string, { number: string; terms: Set<string> }>();

beforeAll(async () => {
  // pandas reads the log while the engine ingests and analyses it: one core each.
  const reference = pythonInBackground<typeof pandas>(pandasReference, [zip]);
  engine = await openEngine({ path: ':memory:', now: () => end, workers: { threads: 1 } });
  await engine.incidents.ingest({ path: zip, format: 'servicenow' });
  const result = await engine.recurrence.analyze({ windowHours: 2160, end });
  pandas = await reference;
  analyses = result.analyses;
  scanned = result.incidentsScanned;
  const rows = await internalContext(engine).db.all(
    `SELECT id::VARCHAR AS id, external_id, title, description FROM incidents
     WHERE created_at >= $start AND created_at < $end`,
    { start: result.windowStart, end },
  );
  for (const r of rows) {
    const terms = new Set([
      ...normalizeTokens(String(r['title'])),
      ...normalizeTokens((r['description'] as string | null) ?? ''),
    ]);
    incidents.set(String(r['id']), { number: String(r['external_id']), terms });
  }
}, 120_000);
afterAll(() => engine?.close());

describe('recurrence on the ServiceNow event log', () => {
  it('reads the same window as pandas', () => {
    expect(scanned).toBe(pandas.incidents);
    expect(incidents.size).toBe(pandas.incidents);
  });

  it('puts no more than 5% of the window in a group unless it is one coded combination', () => {
    const largestCombination = Math.max(...pandas.repeated.map((c) => c.length));
    for (const a of analyses) {
      const fingerprints = (a.metadata['fingerprints'] as string[]).length;
      if (fingerprints > 1) expect(a.occurrence_count).toBeLessThanOrEqual(share * scanned);
      expect(a.occurrence_count).toBeLessThanOrEqual(largestCombination);
    }
  });

  it('groups similar text only on the terms that set those incidents apart', () => {
    const similar = analyses.filter((a) => a.recurrence_type === 'SIMILAR_TEXT');
    expect(similar.length).toBeGreaterThan(0);
    const all = [...incidents.values()];
    for (const a of similar) {
      const members = a.related_incidents.map((id) => incidents.get(id)!.terms);
      const shared = [...members[0]!].filter((t) => members.every((m) => m.has(t)));
      expect(shared.length).toBeGreaterThan(0);
      const holdingAll = all.filter((i) => shared.every((t) => i.terms.has(t))).length;
      expect(holdingAll).toBeLessThanOrEqual(share * scanned);
      const distinguishing = a.metadata['distinguishing_terms'] as string[];
      expect(distinguishing.length).toBeGreaterThan(0);
      for (const term of distinguishing) {
        expect(members.filter((m) => m.has(term)).length * 2).toBeGreaterThanOrEqual(members.length);
      }
    }
  });

  it('finds each repeated category/subcategory/symptom/CI combination as one group', () => {
    const groupOf = new Map<string, number>();
    analyses.forEach((a, g) => {
      for (const id of a.related_incidents) groupOf.set(incidents.get(id)!.number, g);
    });
    const combinationOf = new Map<string, number>();
    pandas.repeated.forEach((numbers, c) => {
      for (const number of numbers) combinationOf.set(number, c);
      // Every repeated combination lies whole in one group.
      expect(new Set(numbers.map((n) => groupOf.get(n))).size).toBe(1);
      expect(groupOf.get(numbers[0]!)).toBeDefined();
    });
    const exact = analyses.filter((a) => a.recurrence_type === 'EXACT_FINGERPRINT');
    // At least 80% stand alone (see 3 above).
    expect(exact.length).toBeGreaterThan(0.8 * pandas.repeated.length);
    for (const a of exact) {
      const numbers = a.related_incidents.map((id) => incidents.get(id)!.number);
      const combination = combinationOf.get(numbers[0]!);
      expect(combination).toBeDefined();
      expect(numbers.sort()).toEqual(pandas.repeated[combination!]);
    }
  });

  it('calls a group periodic only on the evidence of its schedule, adjusted for the groups tested', () => {
    const tested = analyses.filter((a) => evidenceOf(a)['periodicity_p_value'] !== null);
    expect(tested.length).toBeGreaterThan(0);
    // Benjamini–Hochberg q-values of the run's p-values by statsmodels (multipletests, fdr_bh).
    const pValues = tested.map((a) => evidenceOf(a)['periodicity_p_value'] as number);
    const script =
      'import json, sys\nfrom statsmodels.stats.multitest import multipletests\n' +
      'print(json.dumps(list(multipletests(json.loads(sys.argv[1]), method="fdr_bh")[1])))';
    const q: number[] = JSON.parse(
      execFileSync('/usr/bin/python3', ['-c', script, JSON.stringify(pValues)], { encoding: 'utf8' }),
    );
    tested.forEach((a, i) => {
      const evidence = evidenceOf(a);
      // Stored p-values are rounded to 4 decimals (error ≤ 5e-5), which moves q by at most m times
      // that, and the stored q is rounded too.
      const tolerance = 5e-5 * tested.length + 5e-5 + 1e-9;
      expect(Math.abs((evidence['periodicity_adjusted_p_value'] as number) - q[i]!)).toBeLessThanOrEqual(
        tolerance,
      );
      if (a.recurrence_type === 'PERIODIC') {
        expect(q[i]).toBeLessThanOrEqual(0.05);
        expect(evidence['missing_share']).toBeLessThanOrEqual(0.5);
      }
    });
  });
});
