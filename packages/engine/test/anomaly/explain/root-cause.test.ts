import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnomalyToExplain, RootCause } from '../../../src/anomaly/explain/explain-types.ts';
import { explainRootCauses } from '../../../src/anomaly/explain/root-cause.ts';
import { adtributor, jsSurprise, scoreDimension } from '../../../src/anomaly/kernels/adtributor.ts';
import { type Engine, openEngine } from '../../../src/index.ts';
import { type EngineContext, internalContext } from '../../../src/internal.ts';
import {
  background,
  burst,
  fixtureEnd,
  fixtureFrom,
  insertCauseIncidents,
  services,
} from './root-cause-fixtures.ts';

/** The parts of `metadata.root_cause` the tests read. */
interface Evidence {
  readonly measure: string;
  readonly total: { actual: number; expected: number };
  readonly explained: boolean;
  readonly slices: unknown[];
  readonly dimensions_ranked: { dimension: string }[];
  readonly scope?: unknown;
  readonly changes: unknown[];
  readonly recurrences: unknown[];
  readonly overlapping_anomalies: { id: string }[];
}
const evidenceOf = (cause: RootCause) => cause.evidence as unknown as Evidence;

describe('the Adtributor kernel', () => {
  // Service a: 10 expected, 40 seen; b and c unchanged (20, 70). Total 100 → 130, change 30.
  const service = [
    { value: 'a', actual: 40, expected: 10 },
    { value: 'b', actual: 20, expected: 20 },
    { value: 'c', actual: 70, expected: 70 },
  ];

  it('scores explanatory power and Jensen–Shannon surprise as worked by hand and by scipy', () => {
    const scored = scoreDimension(service);
    // EP = (A_e − F_e) / (A − F): a carries all 30 of the change, b and c none.
    expect(scored.map((e) => e.share)).toEqual([1, 0, 0]);
    // scipy.spatial.distance.jensenshannon([.1,.2,.7], [40/130,20/130,70/130]) ** 2 = 0.0345259455
    // (natural log); the per-element terms ½(p ln(2p/(p+q)) + q ln(2q/(p+q))) sum to it.
    expect(scored[0]!.surprise).toBeCloseTo(0.027734034473, 10);
    expect(scored[1]!.surprise).toBeCloseTo(0.001509313565, 10);
    expect(scored[2]!.surprise).toBeCloseTo(0.005282597477, 10);
    expect(scored.reduce((s, e) => s + e.surprise, 0)).toBeCloseTo(0.034525945515, 10);
    expect(jsSurprise(0.3, 0.3)).toBe(0);
  });

  it('keeps the smallest set reaching T_EEP, ranks dimensions by surprise, and refuses a mix that did not move', () => {
    const ranked = adtributor(
      new Map([
        ['service', service],
        // Both severities grow in proportion: EP 0.5 each, the pair explains 100% of the change
        // but is exactly its share of the expected total (lift 0): no explanation.
        [
          'severity',
          [
            { value: 'LOW', actual: 65, expected: 50 },
            { value: 'HIGH', actual: 65, expected: 50 },
          ],
        ],
        // x and y share the change 0.5 / 0.5 from 20% of the expected: a set of two, lift 0.6.
        [
          'category',
          [
            { value: 'x', actual: 25, expected: 10 },
            { value: 'y', actual: 25, expected: 10 },
            { value: 'z', actual: 80, expected: 80 },
          ],
        ],
      ]),
    );
    expect(ranked.map((d) => d.dimension)).toEqual(['service', 'category']);
    expect(ranked[0]!.elements.map((e) => e.value)).toEqual(['a']);
    expect(ranked[0]!.surprise).toBeCloseTo(0.027734034473, 10);
    expect(ranked[1]!.elements.map((e) => e.value).sort()).toEqual(['x', 'y']);
    expect(ranked[1]!.explainedShare).toBe(1);
  });
});

describe('root causes from the database', () => {
  let engine: Engine;
  let context: EngineContext;
  let stormIds: string[];
  let recurrenceId: string;
  let overlappingId: string;
  const stormHour = new Date('2026-03-09T14:00:00Z'); // a Monday
  const spreadHour = new Date('2026-03-09T18:00:00Z');
  const scopedHour = new Date('2026-03-09T10:00:00Z');
  const range = { from: fixtureFrom, to: fixtureEnd, start: new Date('2026-03-07T00:00:00Z') };
  const anomaly = (over: Partial<AnomalyToExplain>): AnomalyToExplain => ({
    index: 0,
    anomalyType: 'STATISTICAL',
    seriesKey: 'incident_count:hour:service=s1',
    memberSeries: [],
    windowStart: stormHour.getTime(),
    windowEnd: stormHour.getTime() + 3_600_000,
    relatedIncidents: [],
    affectedServices: ['s1'],
    affectedMetrics: ['INCIDENT_COUNT'],
    metadata: {},
    ...over,
  });

  beforeAll(async () => {
    engine = await openEngine({ path: ':memory:', now: () => fixtureEnd, workers: { threads: 1 } });
    context = internalContext(engine);
    await insertCauseIncidents(context.db, background());
    // The storm: 20 Network incidents on s1 in the Monday 14:00 hour.
    stormIds = await insertCauseIncidents(context.db, burst('s1', stormHour, 20, 'Network'));
    // Spread: 3 more incidents on each of the 8 services at 18:00, one of each category.
    await insertCauseIncidents(
      context.db,
      services.flatMap((s) => burst(s, spreadHour, 3)),
    );
    // At 10:00, 20 incidents on s2 and 4 Hardware ones on s5: s5's own rise is a sixth of the whole.
    await insertCauseIncidents(context.db, [
      ...burst('s2', scopedHour, 20, 'Network'),
      ...burst('s5', scopedHour, 4, 'Hardware'),
    ]);
    // A deploy to s1 at 13:25, 35 minutes before the storm.
    await insertCauseIncidents(context.db, [
      {
        service: 's1',
        team: 't1',
        category: 'Software',
        createdAt: new Date('2026-03-09T13:25:00Z'),
        ackMinutes: 10,
        tags: ['deploy'],
        title: 'Deploy s1 v2.3',
      },
    ]);
    recurrenceId = crypto.randomUUID();
    await context.db.run(
      `INSERT INTO recurrence_analyses (id, recurrence_type, fingerprint, confidence_score, related_incidents,
         occurrence_count, first_seen, last_seen, affected_services, description, created_at, updated_at)
       VALUES ($id::UUID, 'EXACT_FINGERPRINT', 'abc', 0.9, $ids::UUID[], 12, '2026-03-02 08:00:00',
         '2026-03-09 14:20:00', ['s1'], $description, now()::TIMESTAMP, now()::TIMESTAMP)`,
      {
        id: recurrenceId,
        ids: stormIds.slice(0, 5),
        description:
          "'Payment gateway returns 502' recurred 12 times on s1 between 2026-03-02 08:00 and 2026-03-09 14:20 UTC, about every 14 h.",
      },
    );
    overlappingId = crypto.randomUUID();
    for (const [id, key] of [
      [overlappingId, 'mtta_minutes:day:all'],
      [crypto.randomUUID(), 'incident_count:hour:service=s1'],
    ] as const) {
      await context.db.run(
        `INSERT INTO anomaly_detections (id, anomaly_type, severity, status, series_key, member_series,
           confidence_score, anomaly_score, detected_at, time_window_start, time_window_end, description)
         VALUES ($id::UUID, 'STATISTICAL', 'HIGH', 'DETECTED', $key, [$key], 0.99, 5, '2026-03-09 16:00:00',
           '2026-03-09 13:00:00', '2026-03-09 16:00:00', 'an earlier finding')`,
        { id, key },
      );
    }
  });
  afterAll(async () => {
    await engine.close();
  });

  it('names the planted service storm, its category, the preceding deploy, the recurrence and the overlapping anomaly', async () => {
    const [cause] = await explainRootCauses(context, [anomaly({})], range);
    const e = evidenceOf(cause!);
    // Window 14:00–15:00: 8 background incidents (one per service) + 20 on s1; the baseline is the
    // three earlier Mondays 14:00 (the history starts on Tuesday 2026-02-10), one incident per
    // service each: 8 expected. s1's share is shrunk toward its share of the whole history (663 of
    // 5,321 incidents, the 10:00 bursts and the deploy included): 8 × (3 + 30 × 663/5321) / (24 + 30)
    // = 0.998, so EP = (21 − 0.998) / 20 = 1.0001.
    expect(e['total']).toEqual({ actual: 28, expected: 8 });
    expect(e['slices']).toEqual([
      {
        dimension: 'service',
        value: 's1',
        actual: 21,
        expected: 1,
        share: 1.0001,
        surprise: expect.any(Number),
      },
    ]);
    expect(e['dimensions_ranked'][0]?.dimension).toBe('service');
    expect(e['dimensions_ranked'].map((d) => d.dimension)).toContain('category');
    expect(e['changes'][0]).toMatchObject({
      service: 's1',
      title: 'Deploy s1 v2.3',
      minutes_before_window: 35,
    });
    expect(e['recurrences']).toEqual([
      expect.objectContaining({ id: recurrenceId, pattern: 'Payment gateway returns 502', in_window: 5 }),
    ]);
    // The stored anomaly on another series overlaps; the one on the same series is this finding.
    expect(e['overlapping_anomalies'].map((o) => o.id)).toEqual([overlappingId]);
    expect(cause!.text).toBe(
      "100% of the excess is s1 (21 incidents against 1 expected), mostly category Network. Preceded by a change to s1 35 min before: 'Deploy s1 v2.3'. A known recurring problem: 'Payment gateway returns 502', 12 times since 2026-03-02. 1 other anomaly at the same time (STATISTICAL).",
    );
  });

  it('says no single slice explains a storm spread over every service', async () => {
    const [cause] = await explainRootCauses(
      context,
      [
        anomaly({
          seriesKey: 'incident_count:hour:all',
          windowStart: spreadHour.getTime(),
          windowEnd: spreadHour.getTime() + 3_600_000,
          affectedServices: services,
        }),
      ],
      range,
    );
    const e = evidenceOf(cause!);
    expect(e['total']).toEqual({ actual: 32, expected: 8 });
    expect(e['explained']).toBe(false);
    expect(e['slices']).toEqual([]);
    expect(cause!.text).toMatch(/^No single slice explains it: spread across 8 services\./);
  });

  it('tells a BEHAVIORAL slowdown with its team, metric and distributions, and localises the extra waiting', async () => {
    const saturday = Date.parse('2026-03-07T00:00:00Z');
    const [cause] = await explainRootCauses(
      context,
      [
        anomaly({
          anomalyType: 'BEHAVIORAL',
          seriesKey: 'mtta_distribution:team=t1',
          windowStart: saturday,
          windowEnd: saturday + 86_400_000,
          affectedServices: ['s1', 's2', 's3', 's4'],
          affectedMetrics: ['MTTA'],
          metadata: {
            method: 'ks_two_sample',
            observed: 60,
            expected: 10,
            lower: 10,
            upper: 10,
            samples: { baseline: 2592, recent: 96 },
            slice: 'team',
            slice_value: 't1',
          },
        }),
      ],
      range,
    );
    const e = evidenceOf(cause!);
    expect(e['measure']).toBe('ack_minutes');
    // t1's 96 incidents waited 60 min instead of their baseline 10: 5,760 min against 960.
    expect(e['slices']).toEqual([
      { dimension: 'team', value: 't1', actual: 5760, expected: 960, share: 1, surprise: expect.any(Number) },
    ]);
    expect(cause!.text).toMatch(
      /^Team t1's acknowledgement time moved: median 60 min over the period against 10 min before \(before: 10th to 90th percentile 10 to 10 min; 96 incidents against 2592\)\. 100% of the extra acknowledgement time is team t1 \(5760 min against 960 expected\)/,
    );
  });

  it("localises within the anomaly's own slice when the incidents as a whole do not carry its change", async () => {
    const [cause] = await explainRootCauses(
      context,
      [
        anomaly({
          seriesKey: 'incident_count:hour:service=s5',
          windowStart: scopedHour.getTime(),
          windowEnd: scopedHour.getTime() + 3_600_000,
          affectedServices: ['s5'],
          metadata: { slice: 'service', slice_value: 's5' },
        }),
      ],
      range,
    );
    const e = evidenceOf(cause!);
    // s5: 1 + 4 incidents against 1 expected; all: 8 + 24 against 8, a change six times s5's.
    expect(e['scope']).toEqual({ dimension: 'service', value: 's5', actual: 5, expected: 1 });
    // Within s5 (one incident an hour; its history to Monday 10:00 holds 658, 220 of them Hardware;
    // the three earlier Mondays 10:00 hold one each, none Hardware): Hardware expected
    // 1 × (0 + 30 × 220/658) / (3 + 30) = 0.304, seen 4; EP = (4 − 0.304) / (5 − 1) = 0.924.
    expect(e['slices']).toEqual([
      {
        dimension: 'category',
        value: 'Hardware',
        actual: 4,
        expected: 0.3,
        share: 0.924,
        surprise: expect.any(Number),
      },
    ]);
    expect(cause!.text).toBe(
      'Only s5 moved (5 incidents against 1 expected), not the incidents as a whole. Within it, 92% of the excess is category Hardware (4 incidents against 0.3 expected).',
    );
  });

  it('tells a BEHAVIORAL severity-mix change with the mix before and after', async () => {
    const [cause] = await explainRootCauses(
      context,
      [
        anomaly({
          anomalyType: 'BEHAVIORAL',
          seriesKey: 'severity_mix:service=s1',
          affectedMetrics: ['SEVERITY_MIX'],
          metadata: {
            method: 'chi_square_homogeneity',
            observed: 40,
            expected: 5,
            slice: 'service',
            slice_value: 's1',
            // 20 recent incidents: 2 LOW, 10 MEDIUM, 6 HIGH, 2 CRITICAL; 200 before: 5% severe.
            counts: {
              LOW: { baseline: 100, recent: 2 },
              MEDIUM: { baseline: 90, recent: 10 },
              HIGH: { baseline: 8, recent: 6 },
              CRITICAL: { baseline: 2, recent: 2 },
            },
          },
        }),
      ],
      range,
    );
    expect(cause!.text).toMatch(
      /^s1's severity mix moved: 40% HIGH or CRITICAL over the period against 5% before \(after: LOW 10%, MEDIUM 50%, HIGH 30%, CRITICAL 10%; before: LOW 50%, MEDIUM 45%, HIGH 4%, CRITICAL 1%\)\. /,
    );
  });

  it('refuses a window that does not end after it starts, and an invalid range', async () => {
    await expect(
      explainRootCauses(context, [anomaly({ windowEnd: stormHour.getTime() })], range),
    ).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    await expect(
      explainRootCauses(context, [anomaly({})], { ...range, from: new Date(Number.NaN) }),
    ).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
  });

  it('returns one root cause per anomaly in order, and none for none', async () => {
    expect(await explainRootCauses(context, [], range)).toEqual([]);
    const causes = await explainRootCauses(
      context,
      [
        anomaly({ index: 0 }),
        anomaly({
          index: 1,
          seriesKey: 'incident_count:hour:all',
          windowStart: spreadHour.getTime(),
          windowEnd: spreadHour.getTime() + 3_600_000,
        }),
      ],
      range,
    );
    expect(causes.map((c) => evidenceOf(c).explained)).toEqual([true, false]);
  });
});
