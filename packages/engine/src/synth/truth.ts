import { services } from './catalog.ts';
import { backgroundTimes, generateHour } from './hour.ts';
import { type AnomalyPlan, type SynthPlan, serviceRate } from './plan.ts';
import { recurringProblems } from './recurring.ts';
import type { PlantedAnomaly, RecurringTruth, SyntheticTruth } from './types.ts';

const hourMs = 3_600_000;

/**
 * Computes the ground truth of a plan: ids of recurring incidents from the background arrival
 * times of their hours alone, ids of anomalous incidents by regenerating the hours of each window.
 * Cost: O(incidents in the anomaly windows + background arrivals in hours with a recurrence).
 */
export function computeTruth(plan: SynthPlan): SyntheticTruth {
  const recurring: RecurringTruth[] = recurringProblems.map((problem) => {
    const schedule = problem.schedule;
    return {
      fingerprint: problem.fingerprint,
      title: problem.title,
      service: problem.service,
      team: problem.team,
      category: problem.category,
      subcategory: problem.subcategory,
      severity: problem.severity,
      ...(schedule.kind === 'periodic' ? { periodHours: schedule.periodHours } : {}),
      meanIntervalHours: schedule.kind === 'periodic' ? schedule.periodHours : schedule.meanGapHours,
      incidentExternalIds: [] as string[],
    };
  });
  for (const [h, events] of plan.occurrencesByHour) {
    const times = backgroundTimes(plan, h);
    events.forEach((event, k) => {
      const before = countAtMost(times, event.at);
      recurring[event.problem]?.incidentExternalIds.push(
        `SYN-${(plan.offsets[h] as number) + before + k + 1}`,
      );
    });
  }
  for (const r of recurring) r.incidentExternalIds.sort((x, y) => Number(x.slice(4)) - Number(y.slice(4)));
  const anomalies = plan.anomalies.map((a) => anomalyTruth(plan, a));
  return {
    seed: plan.seed,
    start: new Date(plan.startMs),
    end: new Date(plan.endMs),
    count: plan.count,
    anomalies,
    recurring: recurring.filter((r) => r.incidentExternalIds.length > 0),
  };
}

function anomalyTruth(plan: SynthPlan, a: AnomalyPlan): PlantedAnomaly {
  const ids: string[] = [];
  const serviceName = services[a.service]?.name ?? null;
  for (let h = a.startHour; h < a.endHour; h++) {
    for (const { incident } of generateHour(plan, h)) {
      const involved = a.kind === 'mtta_shift' ? incident.team === a.team : incident.service === serviceName;
      if (involved) ids.push(incident.external_id);
    }
  }
  const start = new Date(plan.startMs + a.startHour * hourMs);
  const end = new Date(plan.startMs + a.endHour * hourMs);
  const span = `${start.toISOString()} to ${end.toISOString()}`;
  let expectedCount: PlantedAnomaly['expectedCount'];
  if (a.kind === 'count_spike' || a.kind === 'level_shift') {
    let baseline = 0;
    let withAnomaly = 0;
    for (let h = a.startHour; h < a.endHour; h++) {
      baseline += serviceRate(plan, h, a.service, false);
      withAnomaly += serviceRate(plan, h, a.service);
    }
    expectedCount = { baseline: round(baseline), withAnomaly: round(withAnomaly) };
  }
  const description = {
    count_spike: `Incident storm on ${serviceName}: ${a.addPerHour} extra incidents an hour from ${span}.`,
    mtta_shift: `Team ${a.team} takes ${a.factor}x longer to acknowledge incidents from ${span}.`,
    severity_mix: `Incidents of ${serviceName} skew to HIGH/CRITICAL from ${span}.`,
    level_shift: `Incident rate of ${serviceName} is ${a.factor}x its usual level from ${span}.`,
  }[a.kind];
  return {
    kind: a.kind,
    service: a.kind === 'mtta_shift' ? null : serviceName,
    team: a.team,
    start,
    end,
    factor: a.factor,
    ...(a.severityWeights ? { severityWeights: a.severityWeights } : {}),
    ...(expectedCount ? { expectedCount } : {}),
    description,
    incidentExternalIds: ids,
  };
}

function countAtMost(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
