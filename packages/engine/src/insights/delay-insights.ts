import type { Database } from '../store/database.ts';
import type { IncidentPrediction, OpenIncident } from './incident-predictions.ts';
import { hourMs, type InsightDraft, plural, roundForPeople, type ServingModel } from './insight-draft.ts';
import { mean, median, probabilityAbove } from './insight-math.ts';
import { bySubject, collect, names, type RiskSettings, riskDraft } from './risk-insights.ts';

/**
 * RESOLUTION_DELAY drafts: the open incidents whose expected resolution time exceeds the
 * threshold (the configured SLA hours, else the median resolution time of the incident's team over
 * the last 90 days, else of all incidents), one insight per team; the probability is that of
 * exceeding the threshold, reading the prediction's 5–95% interval as a normal distribution.
 */
export async function resolutionDrafts(
  db: Database,
  model: ServingModel,
  incidents: readonly OpenIncident[],
  predictions: ReadonlyMap<string, IncidentPrediction>,
  now: Date,
  settings: RiskSettings,
): Promise<InsightDraft[]> {
  const thresholds = await resolutionThresholds(db, now, settings.resolutionSlaHours);
  const thresholdOf = (i: OpenIncident) => thresholds.byTeam.get(i.team ?? '') ?? thresholds.overall;
  const atRisk = collect(incidents, predictions, (p, incident) => {
    const threshold = thresholdOf(incident);
    if (threshold === null || p.value === null || !(p.value > threshold)) return null;
    return probabilityAbove(
      { value: p.value, lower: p.lower ?? p.value, upper: p.upper ?? p.value },
      threshold,
    );
  });
  return bySubject(atRisk, (i) => i.team).map(([team, group]) => {
    const threshold = thresholdOf(group[0]!.incident) as number;
    const expected = mean(group.map((r) => r.prediction.value ?? 0)) ?? 0;
    const who = team === null ? 'without a team' : `of ${team}`;
    const basis: 'sla' | 'team_median' | 'overall_median' =
      settings.resolutionSlaHours !== null
        ? 'sla'
        : thresholds.byTeam.has(team ?? '')
          ? 'team_median'
          : 'overall_median';
    const basisInWords = {
      sla: 'the SLA',
      team_median: "the team's median",
      overall_median: 'the overall median',
    }[basis];
    return riskDraft('RESOLUTION_DELAY', `team=${team ?? ''}`, group, now, settings, {
      title: `${plural(group.length, 'open incident')} ${who} likely to take longer than ${roundForPeople(threshold)} h`,
      description:
        `The model "${model.name}" expects ${plural(group.length, 'open incident')} ${who} to take ` +
        `${roundForPeople(expected)} hours on average to resolve, longer than ${basisInWords} of ${roundForPeople(threshold)} hours.`,
      recommendations: [
        `Look at what blocks ${names(group, 3)}; add hands or escalate before the deadline passes.`,
        'Tell the affected users when to expect a fix.',
      ],
      unit: 'hours',
      extra: {
        value: expected,
        lower: mean(group.map((r) => r.prediction.lower ?? r.prediction.value ?? 0)) ?? expected,
        upper: mean(group.map((r) => r.prediction.upper ?? r.prediction.value ?? 0)) ?? expected,
        threshold_hours: threshold,
        threshold_basis: basis,
      },
    });
  });
}

/** Median resolution hours per team and overall, over incidents resolved in the 90 days before `now`. */
async function resolutionThresholds(
  db: Database,
  now: Date,
  slaHours: number | null,
): Promise<{ byTeam: Map<string, number>; overall: number | null }> {
  if (slaHours !== null) return { byTeam: new Map(), overall: slaHours };
  const rows = await db.all(
    `SELECT coalesce(team, '') AS team, epoch(resolved_at - created_at) / 3600 AS hours FROM incidents
     WHERE resolved_at IS NOT NULL AND resolved_at >= $since AND resolved_at <= $now AND resolved_at >= created_at`,
    { since: new Date(now.getTime() - 90 * 24 * hourMs), now },
  );
  const perTeam = new Map<string, number[]>();
  for (const r of rows) {
    const team = String(r['team']);
    const hours = perTeam.get(team) ?? [];
    hours.push(Number(r['hours']));
    perTeam.set(team, hours);
  }
  const byTeam = new Map<string, number>();
  // A team's median needs a few samples to mean anything.
  for (const [team, hours] of perTeam)
    if (team !== '' && hours.length >= 5) byTeam.set(team, median(hours) as number);
  return { byTeam, overall: median(rows.map((r) => Number(r['hours']))) };
}
