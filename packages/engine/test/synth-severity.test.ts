import { describe, expect, it } from 'vitest';
import { services } from '../src/synth/catalog.ts';
import { generateHour } from '../src/synth/hour.ts';
import { generateIncidents, type SyntheticIncident } from '../src/synth/index.ts';
import { makePlan } from '../src/synth/plan.ts';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const severe = (list: SyntheticIncident[]) =>
  list.filter((i) => i.severity === 'HIGH' || i.severity === 'CRITICAL').length / list.length;

// The default demo: seed 1, 20,000 incidents over the 90 days before the default end.
describe('the severity model of the default demo', () => {
  const data = generateIncidents({ seed: 1, count: 20_000 });
  const incidents = [...data.incidents];
  const truth = data.truth;
  const planted = new Set([
    ...truth.recurring.flatMap((r) => r.incidentExternalIds),
    ...truth.anomalies
      .filter((a) => a.kind === 'count_spike' || a.kind === 'severity_mix')
      .flatMap((a) => a.incidentExternalIds),
  ]);
  // Ordinary tickets: no recurring problem, no storm, not in the severity-mix shift.
  const background = incidents.filter((i) => !planted.has(i.external_id));

  it('is realistic: outages (CRITICAL) well under 1% of tickets, HIGH a few percent, the rest LOW/MEDIUM', () => {
    const share = (list: SyntheticIncident[], severity: string) =>
      list.filter((i) => i.severity === severity).length / list.length;
    // catalog.ts weights: CRITICAL 0.15–0.6% per service (~0.4% overall), HIGH 2.35–6.4%.
    expect(background.length).toBeGreaterThan(18_000);
    expect(share(background, 'CRITICAL')).toBeGreaterThan(0.001);
    expect(share(background, 'CRITICAL')).toBeLessThan(0.008);
    for (const service of services) {
      const own = background.filter((i) => i.service === service.name);
      expect(own.length, service.name).toBeGreaterThan(1000);
      expect(share(own, 'CRITICAL'), service.name).toBeLessThan(0.01);
      expect(share(own, 'HIGH'), service.name).toBeGreaterThan(0.01);
      expect(share(own, 'HIGH'), service.name).toBeLessThan(0.1);
    }
  });

  it('restores outages fast: CRITICAL incidents are resolved in 30 to 60 minutes (median)', () => {
    const minutes = incidents
      .filter((i) => i.severity === 'CRITICAL' && i.resolved_at)
      .map((i) => (i.resolved_at!.getTime() - i.created_at.getTime()) / 60_000);
    // Acknowledge (median 3 min) + work (median 45 min), times team speed 0.7–1.4.
    expect(minutes.length).toBeGreaterThan(100);
    expect(median(minutes)).toBeGreaterThan(30);
    expect(median(minutes)).toBeLessThan(60);
  });

  it('keeps storms severe and the planted severity-mix shift far from the usual mix', () => {
    const storms = truth.anomalies.filter((a) => a.kind === 'count_spike');
    const stormIds = new Set(storms.flatMap((a) => a.incidentExternalIds));
    const inStorms = incidents.filter((i) => stormIds.has(i.external_id));
    // Six storms of exactly 10 incidents an hour each, weights HIGH 0.5 + CRITICAL 0.3, among ~1–2
    // ordinary tickets an hour of the service: about 70% HIGH or CRITICAL, against 6% outside.
    for (const storm of storms) {
      // 10 storm incidents an hour, or every arrival of an hour that drew fewer (a quiet night hour
      // may draw 9), plus the service's ordinary ones.
      const hours = (storm.end.getTime() - storm.start.getTime()) / 3_600_000;
      expect(storm.incidentExternalIds.length, storm.description).toBeGreaterThanOrEqual(8 * hours);
    }
    expect(severe(inStorms)).toBeGreaterThan(0.6);
    const mix = truth.anomalies.find((a) => a.kind === 'severity_mix')!;
    const ofService = incidents.filter((i) => i.service === mix.service);
    const inside = ofService.filter((i) => i.created_at >= mix.start && i.created_at < mix.end);
    const outside = ofService.filter((i) => i.created_at < mix.start || i.created_at >= mix.end);
    // Weights in the window HIGH 0.4 + CRITICAL 0.35; the service's usual mix at most 7%.
    expect(severe(inside)).toBeGreaterThan(0.6);
    expect(severe(outside)).toBeLessThan(0.1);
  });
});

describe('the draws of an hour', () => {
  it('do not depend on severities: the severity-mix shift changes severities and lifecycles only', () => {
    const plan = makePlan({ seed: 1, count: 20_000 });
    const mix = plan.anomalies.find((a) => a.kind === 'severity_mix')!;
    const withoutShift = { ...plan, anomalies: plan.anomalies.filter((a) => a !== mix) };
    const where = (i: SyntheticIncident) => [
      i.external_id,
      i.created_at.getTime(),
      i.service,
      i.team,
      i.title,
      i.description,
      i.category,
      i.subcategory,
    ];
    let changed = 0;
    let compared = 0;
    for (let h = mix.startHour; h < mix.endHour; h++) {
      const shifted = generateHour(plan, h).map((x) => x.incident);
      const usual = generateHour(withoutShift, h).map((x) => x.incident);
      expect(shifted.map(where)).toEqual(usual.map(where));
      shifted.forEach((incident, k) => {
        compared++;
        if (incident.severity !== usual[k]!.severity) changed++;
      });
    }
    // Same arrivals, services, teams and titles; many severities differ (the shift is there).
    expect(compared).toBeGreaterThan(100);
    expect(changed).toBeGreaterThan(10);
  });
});
