import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FixtureIncident,
  insertIncidents,
  stormFixture,
} from '../../../test/support/anomaly-fixtures.ts';
import type { AnomalyDetection } from '../src/anomaly/persist/anomaly-record.ts';
import { type Engine, openEngine } from '../src/index.ts';
import { internalContext } from '../src/internal.ts';

// The storm fixture (35 days of four services ending 2026-03-10T00:00Z, each service's incidents
// handled by `<service>-team`, acknowledged in 5-25 min and resolved in 1-5 h; 30 checkout
// incidents on 2026-03-09 14:00-15:00 UTC, resolved here 2 h after creation), with two departures
// in the last three days (the behavioural period, 2026-03-07 to 03-10):
// - checkout-team resolves 4 times slower, while the checkout storm falls in the same days;
// - payments-team acknowledges 4 times slower, and a storm of 30 payments incidents (acknowledged
//   as slowly) hits on 2026-03-08 10:00-11:00.
const fixture = stormFixture();
const end = fixture.end;
const periodStart = Date.UTC(2026, 2, 7);
const hour = 3_600_000;

function slowed(i: FixtureIncident): FixtureIncident {
  const created = i.created_at.getTime();
  if (created < periodStart) return i;
  const stretch = (d: Date | null | undefined, by: number) =>
    d ? new Date(created + (d.getTime() - created) * by) : null;
  if (i.team === 'checkout-team') return { ...i, resolved_at: stretch(i.resolved_at, 4) };
  if (i.team === 'payments-team') {
    const acknowledged = stretch(i.acknowledged_at, 4);
    return {
      ...i,
      acknowledged_at: acknowledged,
      resolved_at: new Date((acknowledged?.getTime() ?? created) + 2 * hour),
    };
  }
  return i;
}

const checkoutStorm = fixture.storm.map((i) => ({
  ...i,
  resolved_at: new Date(i.created_at.getTime() + 2 * hour),
}));
const paymentsStorm: FixtureIncident[] = Array.from({ length: 30 }, (_, k) => {
  const created = new Date(Date.UTC(2026, 2, 8, 10) + k * 110_000);
  return {
    service: 'payments',
    team: 'payments-team',
    severity: k % 3 === 0 ? 'CRITICAL' : 'HIGH',
    created_at: created,
    acknowledged_at: new Date(created.getTime() + 4 * 15 * 60_000),
    resolved_at: new Date(created.getTime() + 3 * hour),
  };
});

let engine: Engine;
let anomalies: AnomalyDetection[] = [];

beforeAll(async () => {
  engine = await openEngine({ path: ':memory:', now: () => end, workers: { threads: 1 } });
  await insertIncidents(internalContext(engine).db, [
    ...fixture.background.map(slowed),
    ...checkoutStorm,
    ...paymentsStorm,
  ]);
  await engine.anomalies.run({ end, windowHours: 72 });
  anomalies = (await engine.anomalies.list({ pageSize: 100 })).results;
}, 120_000);
afterAll(async () => {
  await engine.close();
});

const behavioral = (metric: string, name: string) =>
  anomalies.filter(
    (a) =>
      a.anomaly_type === 'BEHAVIORAL' &&
      a.affected_metrics.includes(metric) &&
      a.description.includes(name) &&
      a.time_window_end.getTime() > periodStart,
  );

describe('behavioural departures next to incident storms', () => {
  it("reports a team's slower resolutions as its own BEHAVIORAL anomaly naming the team or service", () => {
    const found = behavioral('MTTR', 'checkout');
    expect(found.length, anomalies.map((a) => a.description).join('\n')).toBeGreaterThan(0);
    expect(found[0]?.description).toMatch(/^Resolution times for (team checkout-team|checkout) from /);
    expect(found[0]?.series_key).toMatch(/^mttr_distribution:(team=checkout-team|service=checkout)$/);
  });

  it("reports a team's slower acknowledgements as its own BEHAVIORAL anomaly despite a storm of the team", () => {
    const found = behavioral('MTTA', 'payments');
    expect(found.length, anomalies.map((a) => a.description).join('\n')).toBeGreaterThan(0);
    expect(found[0]?.description).toMatch(/^Acknowledgement times for (team payments-team|payments) from /);
  });

  it('keeps the storms as anomalies of incident volume, and never mixes the two in one anomaly', () => {
    for (const service of ['checkout', 'payments']) {
      const storms = anomalies.filter(
        (a) => a.affected_metrics.includes('INCIDENT_COUNT') && a.affected_services.includes(service),
      );
      expect(storms.length, service).toBeGreaterThan(0);
    }
    // A behavioural finding is never folded into another family's anomaly; into a behavioural one
    // only its own views of the same delay (the daily MTTA or MTTR totals) may be folded.
    for (const a of anomalies) {
      const merged =
        (a.metadata['merged_detections'] as { anomaly_type: string; series_key: string }[]) ?? [];
      for (const m of merged) {
        if (a.anomaly_type !== 'BEHAVIORAL') expect(m.anomaly_type, a.description).not.toBe('BEHAVIORAL');
        else if (m.anomaly_type !== 'BEHAVIORAL') expect(m.series_key).toMatch(/^(mtta_minutes|mttr_hours):/);
      }
    }
  });
});
