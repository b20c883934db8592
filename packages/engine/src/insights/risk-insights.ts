import type { IncidentPrediction, OpenIncident } from './incident-predictions.ts';
import {
  hourMs,
  type InsightDraft,
  percent,
  plural,
  roundForPeople,
  type ServingModel,
} from './insight-draft.ts';
import { intervalConfidence, mean } from './insight-math.ts';
import type { InsightType } from './insight-record.ts';

/** An open incident at risk, with the probability that the risk comes true. */
export interface AtRisk {
  readonly incident: OpenIncident;
  readonly probability: number;
  readonly prediction: IncidentPrediction;
}

/** Settings of risk insights. */
export interface RiskSettings {
  /** Incidents named in one insight (`related_incidents`), most at risk first. */
  readonly topIncidents: number;
  /** Resolution hours above which an incident is late; unset: its team's median (else everyone's). */
  readonly resolutionSlaHours: number | null;
}

/** Hours a risk insight lives: its window and its expiry. */
const riskHours = 24;

/**
 * SEVERITY_RISK drafts: the open incidents the model classifies HIGH or CRITICAL, one insight per
 * service; the probability is P(HIGH) + P(CRITICAL).
 */
export function severityDrafts(
  model: ServingModel,
  incidents: readonly OpenIncident[],
  predictions: ReadonlyMap<string, IncidentPrediction>,
  now: Date,
  settings: RiskSettings,
): InsightDraft[] {
  const atRisk = collect(incidents, predictions, (p) =>
    p.label === 'HIGH' || p.label === 'CRITICAL'
      ? (p.probabilities['HIGH'] ?? 0) + (p.probabilities['CRITICAL'] ?? 0) || 1
      : null,
  );
  return bySubject(atRisk, (i) => i.service).map(([service, group]) => {
    const where = service === null ? 'without a service' : `on ${service}`;
    const lower = group.filter(
      (r) => r.incident.severity === 'LOW' || r.incident.severity === 'MEDIUM',
    ).length;
    return riskDraft('SEVERITY_RISK', `service=${service ?? ''}`, group, now, settings, {
      title: `${plural(group.length, 'open incident')} ${where} likely HIGH or CRITICAL`,
      description:
        `The model "${model.name}" rates ${plural(group.length, 'open incident')} ${where} as likely HIGH or CRITICAL ` +
        `(average probability ${percent(meanProbability(group))})` +
        (lower > 0
          ? `; ${lower} of them ${lower === 1 ? 'is' : 'are'} recorded as LOW or MEDIUM today.`
          : '.'),
      recommendations: [
        `Review the severity of ${names(group, 3)} and bring in the ${service ?? 'service'} owners early.`,
        ...(lower > 0
          ? ['Raise the severity of the ones confirmed serious so that they get the right response.']
          : []),
      ],
      unit: 'incidents',
      extra: { risk: 'severity HIGH or CRITICAL' },
    });
  });
}

/**
 * ESCALATION_RISK drafts: the open, not yet escalated incidents whose escalation probability
 * (P('true')) is above 0.5, one insight per service.
 */
export function escalationDrafts(
  model: ServingModel,
  incidents: readonly OpenIncident[],
  predictions: ReadonlyMap<string, IncidentPrediction>,
  now: Date,
  settings: RiskSettings,
): InsightDraft[] {
  const notEscalated = incidents.filter((i) => i.escalationLevel === 0);
  const atRisk = collect(notEscalated, predictions, (p) => {
    const probability = p.probabilities['true'] ?? (p.label === 'true' ? 1 : 0);
    return probability > 0.5 ? probability : null;
  });
  return bySubject(atRisk, (i) => i.service).map(([service, group]) => {
    const where = service === null ? 'without a service' : `on ${service}`;
    return riskDraft('ESCALATION_RISK', `service=${service ?? ''}`, group, now, settings, {
      title: `${plural(group.length, 'open incident')} ${where} likely to escalate`,
      description:
        `The model "${model.name}" expects ${plural(group.length, 'open incident')} ${where} to be escalated ` +
        `in the next ${riskHours} hours (average probability ${percent(meanProbability(group))}).`,
      recommendations: [
        `Check progress on ${names(group, 3)} now and give ${group.length === 1 ? 'it' : 'them'} an owner with time to act.`,
        'Warn the escalation contacts so that an escalation, if it comes, finds them ready.',
      ],
      unit: 'incidents',
      extra: { risk: 'escalation' },
    });
  });
}

/** COST_FORECAST drafts: the predicted cost of the open incidents, summed per service. */
export function costDrafts(
  model: ServingModel,
  incidents: readonly OpenIncident[],
  predictions: ReadonlyMap<string, IncidentPrediction>,
  now: Date,
  settings: RiskSettings,
): InsightDraft[] {
  const priced = collect(incidents, predictions, (p) => (p.value !== null && p.value > 0 ? 1 : null));
  return bySubject(priced, (i) => i.service).map(([service, byId]) => {
    // Costliest first: the incidents named and the order the recommendation gives.
    const group = [...byId].sort(
      (a, b) =>
        (b.prediction.value ?? 0) - (a.prediction.value ?? 0) || a.incident.id.localeCompare(b.incident.id),
    );
    const sum = (pick: (p: IncidentPrediction) => number | null) =>
      group.reduce((s, r) => s + (pick(r.prediction) ?? 0), 0);
    const value = sum((p) => p.value);
    const lower = Math.min(
      value,
      sum((p) => p.lower),
    );
    const upper = Math.max(
      value,
      sum((p) => p.upper),
    );
    const where = service === null ? 'without a service' : `on ${service}`;
    const draft = riskDraft('COST_FORECAST', `service=${service ?? ''}`, group, now, settings, {
      title: `Open incidents ${where} expected to cost ${roundForPeople(value)} USD`,
      description:
        `The model "${model.name}" expects the ${plural(group.length, 'open incident')} ${where} to cost ${roundForPeople(value)} USD ` +
        `(between ${roundForPeople(lower)} and ${roundForPeople(upper)}).`,
      recommendations: [`Resolve the costliest first: ${names(group, 3)}.`],
      unit: 'USD',
      extra: { value, lower, upper, probability: undefined }, // a cost has no probability: left out
    });
    return { ...draft, confidenceScore: intervalConfidence(value, lower, upper) };
  });
}

/**
 * The incidents that have a prediction and a risk (`probabilityOf` gives its probability, `null`
 * for none), the probability clamped to [0, 1].
 */
export function collect(
  incidents: readonly OpenIncident[],
  predictions: ReadonlyMap<string, IncidentPrediction>,
  probabilityOf: (p: IncidentPrediction, incident: OpenIncident) => number | null,
): AtRisk[] {
  const out: AtRisk[] = [];
  for (const incident of incidents) {
    const prediction = predictions.get(incident.id);
    if (!prediction) continue;
    const probability = probabilityOf(prediction, incident);
    if (probability !== null)
      out.push({ incident, probability: Math.min(1, Math.max(0, probability)), prediction });
  }
  return out;
}

/** Groups at-risk incidents by a subject (service or team): most likely first, subjects by name. */
export function bySubject(
  atRisk: readonly AtRisk[],
  subject: (i: OpenIncident) => string | null,
): [string | null, AtRisk[]][] {
  const groups = new Map<string | null, AtRisk[]>();
  for (const r of atRisk) {
    const key = subject(r.incident);
    const group = groups.get(key) ?? [];
    group.push(r);
    groups.set(key, group);
  }
  return [...groups.entries()]
    .map(
      ([key, group]) =>
        [
          key,
          [...group].sort(
            (a, b) => b.probability - a.probability || a.incident.id.localeCompare(b.incident.id),
          ),
        ] as [string | null, AtRisk[]],
    )
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
}

/**
 * The draft of one risk insight over `group`: a 24-hour window from `now` (also its expiry), the
 * `topIncidents` most likely incidents named, confidence = the group's mean probability.
 */
export function riskDraft(
  type: InsightType,
  subject: string,
  group: readonly AtRisk[],
  now: Date,
  settings: RiskSettings,
  text: {
    title: string;
    description: string;
    recommendations: string[];
    unit: string;
    extra: Record<string, unknown>;
  },
): InsightDraft {
  const named = group.slice(0, settings.topIncidents);
  const end = new Date(now.getTime() + riskHours * hourMs);
  return {
    key: `${type}|${subject}`,
    reuse: 'while-live',
    type,
    title: text.title,
    description: text.description,
    predictionValue: {
      value: group.length,
      lower: group.length,
      upper: group.length,
      unit: text.unit,
      horizon: `${riskHours}h`,
      probability: meanProbability(group),
      ...text.extra,
      incidents: named.map((r) => ({
        id: r.incident.id,
        external_id: r.incident.externalId,
        probability: r.probability,
        label: r.prediction.label,
        value: r.prediction.value,
        lower: r.prediction.lower,
        upper: r.prediction.upper,
      })),
    },
    confidenceScore: meanProbability(group),
    windowStart: now,
    windowEnd: end,
    expiresAt: end,
    relatedIncidents: named.map((r) => r.incident.id),
    affectedServices: [
      ...new Set(group.flatMap((r) => (r.incident.service ? [r.incident.service] : []))),
    ].sort(),
    recommendations: text.recommendations,
  };
}

function meanProbability(group: readonly AtRisk[]): number {
  return mean(group.map((r) => r.probability)) ?? 0;
}

/** The external ids of the first `count` incidents of a group, then "and N more". */
export function names(group: readonly AtRisk[], count: number): string {
  const shown = group.slice(0, count).map((r) => r.incident.externalId);
  const more = group.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}
