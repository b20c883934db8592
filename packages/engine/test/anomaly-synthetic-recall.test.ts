import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluatePlanted } from '../../../test/support/anomaly-evaluation.ts';
import type { AnomalyDetection } from '../src/anomaly/persist/anomaly-record.ts';
import { type Engine, openEngine } from '../src/index.ts';
import { loadSyntheticIncidents } from '../src/synth/loader.ts';
import type { PlantedAnomaly } from '../src/synth/types.ts';

// Seeded synthetic incidents (seed 1, 10,000 incidents over the 60 days before 2025-01-01) with the
// generator's planted anomalies: incident storms, a team's MTTA shift, a severity-mix change and a
// level shift. One run over the whole span; matching rule in test/support/anomaly-evaluation.ts.
const end = new Date('2025-01-01T00:00:00Z');
let engine: Engine;
let planted: readonly PlantedAnomaly[] = [];
const anomalies: AnomalyDetection[] = [];

beforeAll(async () => {
  engine = await openEngine({ path: ':memory:', now: () => end });
  const { data } = await loadSyntheticIncidents(engine, { seed: 1, count: 10_000, days: 60, end });
  planted = data.truth.anomalies;
  const run = await engine.anomalies.run({ end, windowHours: 60 * 24 });
  for (let page = 1; (page - 1) * 100 < run.anomaliesCreated; page++) {
    anomalies.push(...(await engine.anomalies.list({ page, pageSize: 100 })).results);
  }
}, 120_000);
afterAll(async () => {
  await engine.close();
});

describe('anomaly detection on synthetic incidents with planted anomalies', () => {
  it('finds at least 90% of the planted anomalies with at least 80% precision', () => {
    expect(new Set(planted.map((p) => p.kind))).toEqual(
      new Set(['count_spike', 'mtta_shift', 'severity_mix', 'level_shift']),
    );
    const e = evaluatePlanted(planted, anomalies);
    expect(e.recall, JSON.stringify(e.planted)).toBeGreaterThanOrEqual(0.9);
    expect(e.precision, e.unmatched.map((a) => a.description).join('\n')).toBeGreaterThanOrEqual(0.8);
  });

  it('stores each incident storm as one anomaly of incident volume', () => {
    // Other findings may overlap a storm (a team's slow acknowledgements in the same days is
    // a different change); the storm itself, on every series that shows it, is one anomaly.
    for (const storm of planted.filter((p) => p.kind === 'count_spike')) {
      const hits = anomalies.filter(
        (a) =>
          a.affected_metrics.includes('INCIDENT_COUNT') &&
          a.affected_services.includes(storm.service ?? '') &&
          a.time_window_start < storm.end &&
          a.time_window_end > storm.start,
      );
      expect(hits, storm.description).toHaveLength(1);
    }
  });

  it('fills every record: calibrated confidence, expected range in words, model, related incidents', () => {
    expect(anomalies.length).toBeGreaterThan(0);
    for (const a of anomalies) {
      expect(a.confidence_score).toBeGreaterThan(0.99);
      expect(a.description).toMatch(/; expected [\d.]+%? to [\d.]+/);
      expect(a.model).toEqual(expect.any(String));
      expect(a.related_incidents.length).toBeGreaterThan(0);
      expect(a.metadata).toMatchObject({
        expected: expect.any(Number),
        lower: expect.any(Number),
        upper: expect.any(Number),
      });
    }
  });
});
