import { generateHour } from './hour.ts';
import { makePlan } from './plan.ts';
import { computeTruth } from './truth.ts';
import type { SyntheticData, SyntheticIncident, SyntheticOptions, SyntheticTruth } from './types.ts';

/**
 * Generates realistic synthetic incidents, seeded and deterministic, with planted ground truth.
 *
 * Model (parameters in `catalog.ts`, `seasonality.ts`, `recurring.ts`):
 * - arrivals: a non-homogeneous Poisson process, drawn hour by hour. The hourly rate is
 *   scale × hour-of-day factor (nights 0.25, 09–17 UTC 1.0) × day-of-week factor (weekdays 1,
 *   Saturday 0.45, Sunday 0.4) × service share (12 services). With `count`, the hourly Poisson
 *   counts are moved to the exact total in proportion to the rates.
 * - each incident: team (85% the service's own), category/subcategory and title from the service's
 *   symptom templates with varying hosts and numbers, severity from the service's mix (mostly LOW
 *   and MEDIUM, HIGH 2–6%, CRITICAL — the service down — 0.15–0.6%), priority correlated with
 *   severity (CRITICAL: 70% P1, 25% P2).
 * - lifecycle: acknowledge time lognormal (median 3 min CRITICAL … 90 min LOW, σ 0.8), then working
 *   time lognormal (median 45 min CRITICAL, 4 h HIGH, 12 h MEDIUM, 36 h LOW, σ 1.0), both times a
 *   team speed factor (0.7–1.4); closure a lognormal 20 h later. 0.2% of those created in the last
 *   48 hours are never acknowledged nor resolved (older ones are all worked: open incidents are
 *   few and recent, as in a real queue), 1% of LOW/MEDIUM are resolved without acknowledgement;
 *   anything after `end` is cut, so the incidents still open are the ones whose resolution falls
 *   after it.
 * - escalation level 0–3 (more likely for severe and for long incidents), reassignments Poisson,
 *   reopens, affected users lognormal by severity, tags.
 *   The lifecycle draws from a generator of each incident's own, so the severities do not move
 *   anything else.
 * - storms: a planted count spike takes exactly its extra incidents an hour out of the hour's
 *   arrivals, severe ones (80% HIGH or CRITICAL) on one symptom.
 * - ground truth (`truth`): five recurring problems (periodic every 6 h, 24 h, 168 h with minutes of
 *   jitter, and two irregular) and planted anomalies (count spikes, an MTTA shift, a severity-mix
 *   change, a level shift) with their windows and incident ids; see {@link PlantedAnomaly}.
 *
 * Cost: O(hours) to plan, then O(1) per incident; memory O(hours + largest hour), independent of
 * the number of incidents. Ids `SYN-1…SYN-<count>` follow `created_at`.
 *
 * @example
 * const data = generateIncidents({ seed: 7, count: 50_000 });
 * for (const incident of data.incidents) { ... }
 * const spike = data.truth.anomalies.find((a) => a.kind === 'count_spike');
 *
 * @throws EngineError VALIDATION_ERROR for a bad seed, count, rate or window.
 */
export function generateIncidents(options: SyntheticOptions): SyntheticData {
  const plan = makePlan(options);
  let truth: SyntheticTruth | undefined;
  function* batches(maxSize = Number.POSITIVE_INFINITY): Generator<SyntheticIncident[]> {
    for (let h = 0; h < plan.hours; h++) {
      if ((plan.offsets[h + 1] as number) === (plan.offsets[h] as number)) continue;
      const incidents = generateHour(plan, h).map((x) => x.incident);
      if (incidents.length <= maxSize) yield incidents;
      else for (let i = 0; i < incidents.length; i += maxSize) yield incidents.slice(i, i + maxSize);
    }
  }
  return {
    count: plan.count,
    start: new Date(plan.startMs),
    end: new Date(plan.endMs),
    incidents: {
      *[Symbol.iterator]() {
        for (const batch of batches()) yield* batch;
      },
    },
    batches: (maxSize?: number) => ({ [Symbol.iterator]: () => batches(maxSize) }),
    get truth() {
      truth ??= computeTruth(plan);
      return truth;
    },
  };
}
