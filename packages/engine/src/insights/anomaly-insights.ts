import type { Database } from '../store/database.ts';
import {
  dayInWords,
  dayMs,
  type InsightDraft,
  percent,
  roundForPeople,
  type ServingModel,
  startOfUtcDay,
} from './insight-draft.ts';

/** Days of anomaly history the rate is read from. */
const anomalyHistoryDays = 28;

/**
 * The smallest k with P(X ≤ k) ≥ p for X ~ Poisson(λ) (a quantile of the count of anomalies).
 * Summed term by term: λ here is a handful a day.
 */
export function poissonQuantile(lambda: number, p: number): number {
  if (!(lambda > 0)) return 0;
  let term = Math.exp(-lambda);
  let cumulative = term;
  let k = 0;
  while (cumulative < p && k < 10_000) {
    k += 1;
    term *= lambda / k;
    cumulative += term;
  }
  return k;
}

/**
 * The ANOMALY_RISK draft of an anomaly detection model at `now`: the anomalies it reported in the
 * last {@link anomalyHistoryDays} days (by when the anomaly happened, false positives left out)
 * give a daily rate λ; the expected count tomorrow (the next UTC day) is λ with the 5–95% Poisson
 * interval, and the probability of at least one anomaly is 1 − e^(−λ). An insight is made when that
 * probability is at least 0.5 (λ ≥ ln 2 ≈ 0.69 a day); its confidence is that probability.
 */
export async function anomalyDraft(
  db: Database,
  model: ServingModel,
  now: Date,
): Promise<InsightDraft | null> {
  const since = new Date(now.getTime() - anomalyHistoryDays * dayMs);
  const where = `model_id = $model::UUID AND status <> 'FALSE_POSITIVE' AND time_window_start >= $since
    AND time_window_start < $now`;
  const params = { model: model.id, since, now };
  const counted = await db.one<{ n: bigint }>(
    `SELECT count(*) AS n FROM anomaly_detections WHERE ${where}`,
    params,
  );
  const total = Number(counted?.n ?? 0);
  const lambda = total / anomalyHistoryDays;
  const probability = 1 - Math.exp(-lambda);
  if (probability < 0.5) return null;
  const services = (
    await db.all(
      `SELECT service, count(*) AS n FROM (SELECT unnest(affected_services) AS service FROM anomaly_detections
       WHERE ${where}) GROUP BY service ORDER BY n DESC, service LIMIT 10`,
      params,
    )
  ).map((r) => String(r['service']));
  const start = new Date(startOfUtcDay(now).getTime() + dayMs);
  const end = new Date(start.getTime() + dayMs);
  const lower = poissonQuantile(lambda, 0.05);
  const upper = poissonQuantile(lambda, 0.95);
  const top = services.slice(0, 3);
  return {
    key: `ANOMALY_RISK|day|all|${start.toISOString()}`,
    reuse: 'same-key',
    type: 'ANOMALY_RISK',
    title: `Anomalies likely tomorrow (${percent(probability)} chance)`,
    description:
      `The model "${model.name}" reported ${total} anomal${total === 1 ? 'y' : 'ies'} in the last ${anomalyHistoryDays} days, ` +
      `about ${lambda.toFixed(1)} a day: expect ${roundForPeople(lambda)} on ${dayInWords(start)} ` +
      `(between ${lower} and ${upper}), a ${percent(probability)} chance of at least one` +
      (top.length ? `, most likely on ${top.join(', ')}.` : '.'),
    predictionValue: {
      value: lambda,
      lower,
      upper,
      unit: 'anomalies',
      horizon: 'day',
      probability,
      basis: { days: anomalyHistoryDays, anomalies: total },
    },
    confidenceScore: probability,
    windowStart: start,
    windowEnd: end,
    expiresAt: end,
    relatedIncidents: [],
    affectedServices: services,
    recommendations: [
      top.length
        ? `Keep an eye on ${top.join(', ')}: they had most of the recent anomalies.`
        : 'Keep an eye on the anomaly list tomorrow.',
      'Review the recent anomalies for a common cause before they recur.',
    ],
  };
}
