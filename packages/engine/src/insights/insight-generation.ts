import { EngineError, notFound } from '../errors.ts';
import type { Database, Transaction } from '../store/database.ts';
import { anomalyDraft } from './anomaly-insights.ts';
import { resolutionDrafts } from './delay-insights.ts';
import { type CountForecaster, forecastDrafts } from './forecast-insights.ts';
import { type IncidentPredictor, readOpenIncidents, readPredictions } from './incident-predictions.ts';
import type { InsightDraft, ServingModel } from './insight-draft.ts';
import { confidenceLevelOf } from './insight-math.ts';
import { costDrafts, escalationDrafts, type RiskSettings, severityDrafts } from './risk-insights.ts';

/**
 * What generation needs of the models capability (`engine.models`): count forecasts of incident
 * prediction models and per-incident predictions of the others.
 */
export interface InsightModelSource extends CountForecaster, IncidentPredictor {}

/** How insights are generated. */
export interface GenerationSettings extends RiskSettings {
  /** Open incidents created this many days before now are scored for risks. */
  readonly lookbackDays: number;
  /** At most this many open incidents (the newest) are scored per model. */
  readonly maxIncidents: number;
}

/** Statuses of a model that serves predictions: ACTIVE, and RETRAINING (its current version serves). */
const servingStatuses = ['ACTIVE', 'RETRAINING'] as const;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The serving models (all of them, or the one named), oldest first.
 *
 * @throws EngineError NOT_FOUND for an unknown `modelId`; CONFLICT when it does not serve.
 */
export async function servingModels(db: Database, modelId?: string): Promise<ServingModel[]> {
  if (modelId !== undefined && !uuidPattern.test(modelId)) throw notFound('predictive model', modelId);
  const rows = await db.all(
    `SELECT id::VARCHAR AS id, name, model_type, version, status, model_config::VARCHAR AS config
     FROM predictive_models WHERE ${modelId === undefined ? 'list_contains($statuses, status)' : 'id = $id::UUID'}
     ORDER BY created_at, id`,
    modelId === undefined ? { statuses: [...servingStatuses] } : { id: modelId },
  );
  if (modelId !== undefined) {
    const row = rows[0];
    if (!row) throw notFound('predictive model', modelId);
    if (!servingStatuses.includes(row['status'] as never)) {
      throw new EngineError(
        'CONFLICT',
        `model ${modelId} is ${String(row['status'])}: only a serving model (ACTIVE or RETRAINING) makes insights`,
        {
          id: modelId,
          status: row['status'],
        },
      );
    }
  }
  return rows.map((r) => ({
    id: String(r['id']),
    name: String(r['name']),
    model_type: String(r['model_type']),
    version: String(r['version']),
    config: parseConfig(r['config']),
  }));
}

/** The insight drafts of one serving model at `now`, with notes on what it could not say. */
export async function draftsOf(
  db: Database,
  source: InsightModelSource | undefined,
  model: ServingModel,
  now: Date,
  settings: GenerationSettings,
): Promise<{ drafts: InsightDraft[]; notes: string[] }> {
  if (model.model_type === 'ANOMALY_DETECTION') {
    const draft = await anomalyDraft(db, model, now);
    return { drafts: draft ? [draft] : [], notes: [] };
  }
  if (!source)
    return { drafts: [], notes: [`${model.name}: the engine has no models capability to predict with`] };
  if (model.model_type === 'INCIDENT_PREDICTION') return forecastDrafts(db, source, model, now);
  const incidents = await readOpenIncidents(db, now, {
    lookbackDays: settings.lookbackDays,
    limit: settings.maxIncidents,
  });
  if (incidents.length === 0) return { drafts: [], notes: [] };
  const ids = incidents.map((i) => i.id);
  const predictions = readPredictions(await source.predict(model.id, { incident_ids: ids }), ids);
  switch (model.model_type) {
    case 'SEVERITY_PREDICTION':
      return { drafts: severityDrafts(model, incidents, predictions, now, settings), notes: [] };
    case 'ESCALATION_PREDICTION':
      return { drafts: escalationDrafts(model, incidents, predictions, now, settings), notes: [] };
    case 'RESOLUTION_TIME_PREDICTION':
      return { drafts: await resolutionDrafts(db, model, incidents, predictions, now, settings), notes: [] };
    case 'COST_PREDICTION':
      return { drafts: costDrafts(model, incidents, predictions, now, settings), notes: [] };
    default:
      return { drafts: [], notes: [`${model.name}: no insight is made from a ${model.model_type} model`] };
  }
}

/**
 * Stores the drafts of one model in one transaction. A draft whose model, version and key are
 * already stored (for a `while-live` draft: in an insight that has not expired) creates nothing;
 * a live risk insight takes in the incidents that turned risky since (`updated`).
 */
export async function writeDrafts(
  db: Database,
  model: ServingModel,
  drafts: readonly InsightDraft[],
  now: Date,
): Promise<{ created: InsightDraft[]; updated: number }> {
  if (drafts.length === 0) return { created: [], updated: 0 };
  return db.transaction(async (tx) => {
    const created: InsightDraft[] = [];
    let updated = 0;
    for (const draft of drafts) {
      const existing = await tx.one(
        `SELECT id::VARCHAR AS id, related_incidents::VARCHAR[] AS related FROM predictive_insights
         WHERE model_id = $model::UUID AND model_version = $version AND insight_key = $key
           ${draft.reuse === 'while-live' ? 'AND expires_at > $now' : ''}
         ORDER BY created_at DESC LIMIT 1`,
        {
          model: model.id,
          version: model.version,
          key: draft.key,
          ...(draft.reuse === 'while-live' ? { now } : {}),
        },
      );
      if (!existing) {
        await insertDraft(tx, model, draft, now);
        created.push(draft);
        continue;
      }
      const known = new Set((existing['related'] as string[] | null) ?? []);
      if (draft.reuse === 'while-live' && draft.relatedIncidents.some((id) => !known.has(id))) {
        await mergeDraft(tx, String(existing['id']), draft, known);
        updated += 1;
      }
    }
    return { created, updated };
  });
}

async function insertDraft(
  tx: Transaction,
  model: ServingModel,
  draft: InsightDraft,
  now: Date,
): Promise<void> {
  await tx.run(
    `INSERT INTO predictive_insights (id, model_id, model_version, insight_key, insight_type, title, description,
       prediction_value, confidence_level, confidence_score, predicted_at, prediction_window_start,
       prediction_window_end, related_incidents, affected_services, recommendations, expires_at, created_at)
     VALUES (uuid(), $model::UUID, $version, $key, $type, $title, $description, $value::JSON, $level, $score,
       $now, $start, $end, $related::UUID[], $services, $recommendations, $expires, $now)`,
    {
      model: model.id,
      version: model.version,
      key: draft.key,
      type: draft.type,
      title: draft.title,
      description: draft.description,
      value: JSON.stringify(draft.predictionValue),
      level: confidenceLevelOf(draft.confidenceScore),
      score: draft.confidenceScore,
      now,
      start: draft.windowStart,
      end: draft.windowEnd,
      related: [...draft.relatedIncidents],
      services: [...draft.affectedServices],
      recommendations: [...draft.recommendations],
      expires: draft.expiresAt,
    },
  );
}

/**
 * A live risk insight takes the newer draft's words, numbers and confidence, and the union of the
 * incidents (the earlier ones first); its window and expiry stay, so it is validated as promised.
 */
async function mergeDraft(
  tx: Transaction,
  id: string,
  draft: InsightDraft,
  known: ReadonlySet<string>,
): Promise<void> {
  const related = [...known, ...draft.relatedIncidents.filter((r) => !known.has(r))];
  await tx.run(
    `UPDATE predictive_insights SET title = $title, description = $description, prediction_value = $value::JSON,
       confidence_level = $level, confidence_score = $score, related_incidents = $related::UUID[],
       affected_services = list_sort(list_distinct(list_concat(affected_services, $services))),
       recommendations = $recommendations
     WHERE id = $id::UUID`,
    {
      id,
      title: draft.title,
      description: draft.description,
      value: JSON.stringify(draft.predictionValue),
      level: confidenceLevelOf(draft.confidenceScore),
      score: draft.confidenceScore,
      related,
      services: [...draft.affectedServices],
      recommendations: [...draft.recommendations],
    },
  );
}

function parseConfig(value: unknown): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(String(value ?? '{}'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}
