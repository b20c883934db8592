import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  externalIds,
  groupPrecisionRecall,
  insertIncidents,
  setJaccard,
} from '../../../../test/support/recurrence-fixtures.ts';
import { type Engine, openEngine, type RecurrenceAnalysis } from '../../src/index.ts';
import { symptoms } from '../../src/synth/catalog.ts';
import { generateIncidents } from '../../src/synth/index.ts';

// The synthetic generator plants five recurring problems (three periodic: 6 h, 24 h, 168 h; two
// irregular) and returns them as ground truth. Its background incidents are written from a small
// catalogue of symptom templates per service ("High CPU usage on {host}"), so each (service,
// template) pair recurs too, hundreds of times in 90 days; the analysis rightly reports those as
// well. Matching rule throughout: an analysis matches a planted group when their incident sets have
// Jaccard similarity >= 0.5.
const data = generateIncidents({ seed: 11, count: 6000, days: 90 });
const truth = data.truth.recurring;
let engine: Engine;
let analyses: RecurrenceAnalysis[];
let external: Map<string, string>;
const incidentsById = new Map([...data.incidents].map((i) => [i.external_id, i]));

beforeAll(async () => {
  engine = await openEngine({ path: ':memory:', now: () => data.end, workers: { threads: 1 } });
  await insertIncidents(
    engine,
    [...data.incidents].map((i) => ({
      external_id: i.external_id,
      title: i.title,
      description: i.description,
      service: i.service,
      category: i.category,
      created_at: i.created_at,
    })),
  );
  analyses = (await engine.recurrence.analyze({ windowHours: 90 * 24 })).analyses;
  external = await externalIds(engine);
});
afterAll(() => engine.close());

const members = (a: RecurrenceAnalysis) => a.related_incidents.map((id) => external.get(id)!);

describe('recurrence analysis on the synthetic generator', () => {
  it('recalls every planted group, with incident-level precision and recall of at least 0.9', () => {
    expect(truth).toHaveLength(5);
    const { recall } = groupPrecisionRecall(
      analyses.map(members),
      truth.map((t) => t.incidentExternalIds),
    );
    expect(recall).toBeGreaterThanOrEqual(0.9);
    // Pooled over the planted groups: incidents of the best-matching analysis that are planted
    // (precision) and planted incidents it holds (recall).
    let found = 0;
    let planted = 0;
    let common = 0;
    for (const group of truth) {
      const best = analyses
        .map((a) => ({ a, j: setJaccard(members(a), group.incidentExternalIds) }))
        .sort((x, y) => y.j - x.j)[0]!;
      const ids = new Set(members(best.a));
      found += ids.size;
      planted += group.incidentExternalIds.length;
      common += group.incidentExternalIds.filter((id) => ids.has(id)).length;
    }
    expect(common / found).toBeGreaterThanOrEqual(0.9);
    expect(common / planted).toBeGreaterThanOrEqual(0.9);
  });

  it('types the periodic problems PERIODIC with their period, and the irregular ones not', () => {
    for (const group of truth) {
      const match = analyses.find((a) => setJaccard(members(a), group.incidentExternalIds) >= 0.5)!;
      if (group.periodHours) {
        expect(match.recurrence_type).toBe('PERIODIC');
        const period = (match.metadata['evidence'] as { period_hours: number }).period_hours;
        expect(Math.abs(period - group.periodHours) / group.periodHours).toBeLessThan(0.1);
      } else {
        expect(match.recurrence_type).toBe('EXACT_FINGERPRINT');
      }
    }
  });

  it('reports only real recurrences: every other analysis is one background template on one service', () => {
    // Extended truth: planted groups plus the generator's (service, symptom template) pairs. A
    // title belongs to a template when it matches it with each placeholder read as any text.
    const patterns = symptoms.map(
      (s) => new RegExp(`^${s.title.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[a-z]+\}/g, '.+?')}$`),
    );
    const templateOf = (externalId: string) => {
      const incident = incidentsById.get(externalId)!;
      return `${incident.service}/${patterns.findIndex((p) => p.test(incident.title))}`;
    };
    let correct = 0;
    for (const analysis of analyses) {
      const ids = members(analysis);
      const planted = truth.some((t) => setJaccard(ids, t.incidentExternalIds) >= 0.5);
      const templates = new Set(ids.map(templateOf));
      if (planted || (templates.size === 1 && !templates.has(`${incidentsById.get(ids[0]!)!.service}/-1`)))
        correct++;
    }
    expect(analyses.length).toBeGreaterThan(5);
    expect(correct / analyses.length).toBeGreaterThanOrEqual(0.9);
  });
});
