import type { AnomalySeverity } from '../../schema/enums.ts';
import { type Granularity, type IncidentSeries, metricUnits, type SliceKind } from './incident-series.ts';

/** What {@link severityOf} weighs: the detector's verdict and the incidents behind it. */
export interface SeverityInput {
  /** anomaly_score / threshold_used: 1 at the threshold. */
  readonly scoreRatio: number;
  /** confidence_score in [0, 1]. */
  readonly confidence: number;
  readonly relatedCount: number;
  readonly criticalCount: number;
  readonly highCount: number;
  readonly affectedUsers: number;
}

const levels: readonly AnomalySeverity[] = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

/**
 * Severity of an anomaly from its score and its impact:
 * 1. by score ratio r = anomaly_score / threshold_used: r < 1.5 LOW, < 2.5 MEDIUM, < 4 HIGH, else CRITICAL;
 * 2. one level up for impact: a CRITICAL incident among the related ones, or at least 3 related
 *    incidents of which half or more are HIGH or CRITICAL, or 1,000 or more affected users;
 * 3. at most MEDIUM when confidence_score is below 0.9 (an uncertain anomaly never pages).
 *
 * The stored severity is then raised to the impact assessment's floor ({@link atLeast}): an SLA
 * contract period the anomaly pushes below its target makes it at least HIGH; one it pushes near
 * the target (80% or more of the period's downtime budget spent), 1,000 or more affected users, or
 * a cost at or above the cost settings' `incident_cost_threshold` at least MEDIUM
 * (`explain/impact-wording.ts`). The floor applies after step 3: a breached SLA is never LOW.
 */
export function severityOf(input: SeverityInput): AnomalySeverity {
  const r = Number.isFinite(input.scoreRatio) ? input.scoreRatio : 4;
  let level = r < 1.5 ? 0 : r < 2.5 ? 1 : r < 4 ? 2 : 3;
  const severe = input.criticalCount + input.highCount;
  if (
    input.criticalCount > 0 ||
    (input.relatedCount >= 3 && severe * 2 >= input.relatedCount) ||
    input.affectedUsers >= 1000
  ) {
    level += 1;
  }
  if (input.confidence < 0.9) level = Math.min(level, 1);
  return levels[Math.min(level, 3)] ?? 'LOW';
}

/** The higher of a severity and a floor (`null`: no floor). */
export function atLeast(severity: AnomalySeverity, floor: AnomalySeverity | null): AnomalySeverity {
  if (floor === null) return severity;
  return levels.indexOf(floor) > levels.indexOf(severity) ? floor : severity;
}

/** A number as people read it: whole numbers plain, others with one decimal. */
export function formatAmount(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const rounded = Math.round(value * 10) / 10;
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1);
}

function sliceWords(slice: SliceKind, value: string | null): string {
  switch (slice) {
    case 'service':
      return `for ${value}`;
    case 'team':
      return `for team ${value}`;
    case 'category':
      return `in category ${value}`;
    case 'severity':
      return `of severity ${value}`;
    case 'all':
      return 'in total';
  }
}

function windowWords(start: number, end: number, granularity: Granularity): string {
  const iso = (ms: number) => new Date(ms).toISOString();
  const day = (ms: number) => iso(ms).slice(0, 10);
  const hm = (ms: number) => iso(ms).slice(11, 16);
  if (granularity === 'day') {
    const last = end - 86_400_000;
    return last <= start ? `on ${day(start)}` : `from ${day(start)} to ${day(last)}`;
  }
  return day(start) === day(end - 1)
    ? `on ${day(start)} between ${hm(start)} and ${hm(end)} UTC`
    : `between ${day(start)} ${hm(start)} and ${day(end)} ${hm(end)} UTC`;
}

/**
 * A one-line description with the observed value and the expected range, e.g.
 * "47 incidents for checkout on 2026-03-02 between 10:00 and 11:00 UTC; expected 8 to 15".
 * `start`/`end` are the window's bounds in epoch ms (end exclusive).
 */
export function describeDetection(
  series: Pick<IncidentSeries, 'metric' | 'granularity' | 'slice' | 'sliceValue'>,
  observed: number,
  lower: number,
  upper: number,
  start: number,
  end: number,
): string {
  const unit = metricUnits[series.metric];
  const low = formatAmount(Math.max(0, lower));
  const high = formatAmount(upper);
  const expected = `expected ${low} to ${high}${unit === 'incidents' ? '' : ` ${unit}`}`;
  const where = sliceWords(series.slice, series.sliceValue);
  const when = windowWords(start, end, series.granularity);
  const peak = formatAmount(observed);
  switch (series.metric) {
    case 'incident_count':
      return `${peak} incidents ${where} ${when}; ${expected}`;
    case 'mtta_minutes':
      return `Mean time to acknowledge of ${peak} min ${where} ${when}; ${expected}`;
    case 'mttr_hours':
      return `Mean time to resolve of ${peak} h ${where} ${when}; ${expected}`;
    case 'escalation_rate':
      return `Escalation rate of ${peak}% ${where} ${when}; ${expected}`;
    case 'cost':
      return `Incident cost of ${peak} USD ${where} ${when}; ${expected}`;
  }
}
