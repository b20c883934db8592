import type { Database } from '../store/database.ts';
import { dayMs } from './insight-draft.ts';

/** What generation needs of the models capability for per-incident predictions. */
export interface IncidentPredictor {
  predict(id: string, input: { incident_ids: string[] }): Promise<unknown>;
}

/** One incident's prediction: a class with its probabilities, or a value with its interval. */
export interface IncidentPrediction {
  readonly label: string | null;
  readonly probabilities: Readonly<Record<string, number>>;
  readonly value: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
}

/** An open incident as risk insights read it. */
export interface OpenIncident {
  readonly id: string;
  readonly externalId: string;
  readonly title: string;
  readonly severity: string;
  readonly service: string | null;
  readonly team: string | null;
  readonly createdAt: Date;
  readonly escalationLevel: number;
}

/** Statuses of an incident that is not resolved or closed. */
const openStatuses = ['OPEN', 'ACKNOWLEDGED', 'IN_PROGRESS', 'ON_HOLD'] as const;

/**
 * The open incidents created in the `lookbackDays` before `now` (newest first, at most `limit`):
 * the ones a risk insight can still act on.
 */
export async function readOpenIncidents(
  db: Database,
  now: Date,
  options: { lookbackDays: number; limit: number },
): Promise<OpenIncident[]> {
  const rows = await db.all(
    `SELECT id::VARCHAR AS id, external_id, title, severity, service, team, created_at, escalation_level
     FROM incidents
     WHERE list_contains($statuses, status) AND created_at >= $since AND created_at <= $now
     ORDER BY created_at DESC, id LIMIT ${Math.trunc(options.limit)}`,
    { statuses: [...openStatuses], since: new Date(now.getTime() - options.lookbackDays * dayMs), now },
  );
  return rows.map((r) => ({
    id: String(r['id']),
    externalId: String(r['external_id']),
    title: String(r['title']),
    severity: String(r['severity']),
    service: (r['service'] as string | null) ?? null,
    team: (r['team'] as string | null) ?? null,
    createdAt: r['created_at'] as Date,
    escalationLevel: Number(r['escalation_level']),
  }));
}

/**
 * Reads a model's answer to `predict({ incident_ids })` as one prediction per incident id. The
 * answer holds a list (`predictions`, else `results`) of per-incident entries, each with the
 * incident's id (`incident_id` or `id`) or else in the order asked; an entry is a class
 * (`label`/`predicted_class` with `probabilities`, or a binary `probability` of 'true') or a value
 * (`value`/`prediction`, `lower`, `upper`).
 * Entries that are neither are left out.
 */
export function readPredictions(answer: unknown, ids: readonly string[]): Map<string, IncidentPrediction> {
  const out = new Map<string, IncidentPrediction>();
  const list = listOf(answer);
  list.forEach((entry, index) => {
    if (!entry || typeof entry !== 'object') return;
    const e = entry as Record<string, unknown>;
    const id =
      typeof e['incident_id'] === 'string'
        ? e['incident_id']
        : typeof e['id'] === 'string'
          ? e['id']
          : ids[index];
    if (id === undefined) return;
    const inner =
      e['prediction'] && typeof e['prediction'] === 'object'
        ? (e['prediction'] as Record<string, unknown>)
        : e;
    const labelRaw = inner['label'] ?? inner['predicted_class'];
    const probabilities = inner['probabilities'];
    const value = numberOf(
      inner['value'] ?? (typeof inner['prediction'] === 'number' ? inner['prediction'] : undefined),
    );
    // A binary model may answer with the positive class's `probability` alone.
    const positive = numberOf(inner['probability']);
    const prediction: IncidentPrediction = {
      label: labelRaw === undefined || labelRaw === null ? null : String(labelRaw),
      probabilities:
        probabilities && typeof probabilities === 'object'
          ? Object.fromEntries(
              Object.entries(probabilities as Record<string, unknown>)
                .map(([k, v]) => [k, Number(v)] as const)
                .filter(([, v]) => Number.isFinite(v)),
            )
          : positive !== null
            ? { true: positive, false: 1 - positive }
            : {},
      value,
      lower: numberOf(inner['lower']) ?? value,
      upper: numberOf(inner['upper']) ?? value,
    };
    if (prediction.label !== null || prediction.value !== null) out.set(id, prediction);
  });
  return out;
}

function listOf(answer: unknown): unknown[] {
  if (Array.isArray(answer)) return answer;
  if (answer && typeof answer === 'object') {
    const a = answer as Record<string, unknown>;
    for (const name of ['predictions', 'results']) if (Array.isArray(a[name])) return a[name] as unknown[];
  }
  return [];
}

function numberOf(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isFinite(n) ? n : null;
}
