import { z } from 'zod';
import { EngineError, notFound } from '../../errors.ts';
import { zodIssuesToFieldErrors } from '../../input/field-errors.ts';
import type { Database } from '../../store/database.ts';

/**
 * Detector settings an ANOMALY_DETECTION predictive model holds in `model_config`. Every field has
 * a default, so `{}` is a valid configuration; unknown keys are ignored. The spec's isolation-forest
 * names `n_estimators`, `max_samples` and `contamination` are read as aliases of the `isolationForest`
 * settings.
 */
export const anomalyModelConfigSchema = z
  .object({
    /** Scales every detector's threshold. */
    sensitivity: z.enum(['low', 'medium', 'high']).default('medium'),
    /** Hours analysed when a run names none (the window anomalies are reported in). */
    window_hours: z
      .number()
      .int()
      .min(1)
      .max(24 * 366)
      .default(24),
    /** Days of history before the window that detectors learn "normal" from. */
    history_days: z.number().int().min(7).max(366).default(28),
    /**
     * Whole days in a row without any incident that break the data: history starts at the first
     * incident after the last such gap, so isolated old incidents do not stretch the series.
     */
    max_quiet_days: z.number().int().min(1).max(366).default(7),
    /** Detector families to run. */
    families: z
      .array(z.enum(['STATISTICAL', 'TEMPORAL', 'PATTERN', 'THRESHOLD', 'BEHAVIORAL']))
      .default(['STATISTICAL', 'TEMPORAL', 'PATTERN', 'THRESHOLD', 'BEHAVIORAL']),
    /**
     * Family-wise significance level per series: a count, delay or rate detection is kept when the
     * p-value of its calibration test (Poisson, Kolmogorov–Smirnov, binomial) is below this divided
     * by the series' number of points (Bonferroni).
     */
    series_alpha: z.number().gt(0).lt(1).default(0.001),
    /** Slices (services, categories, ...) with fewer incidents in the history are not analysed alone. */
    min_slice_incidents: z.number().int().min(1).default(20),
    /** Minimum flagged points for an alarm; points after an alarm during which it is not repeated. */
    min_hits: z.number().int().min(1).default(1),
    suppression_points: z.number().int().min(0).default(0),
    isolation_forest: z
      .object({
        trees: z.number().int().min(10).max(1000).default(100),
        sample_size: z.number().int().min(16).max(4096).default(256),
        contamination: z.number().gt(0).lt(0.5).default(0.02),
        window_hours: z.number().int().min(1).max(24).default(6),
      })
      .default({ trees: 100, sample_size: 256, contamination: 0.02, window_hours: 6 }),
    behavioral: z
      .object({
        /** Recent days compared with the days of history before them. */
        recent_days: z.number().int().min(1).max(60).default(3),
        alpha: z.number().gt(0).lt(1).default(0.001),
        min_samples: z.number().int().min(5).default(15),
      })
      .default({ recent_days: 3, alpha: 0.001, min_samples: 15 }),
  })
  .passthrough();

/** Parsed detector settings; see {@link anomalyModelConfigSchema}. */
export type AnomalyModelConfig = z.output<typeof anomalyModelConfigSchema>;

/** Name of the system model created on first run. */
export const systemAnomalyModelName = 'Incident anomaly detector';

/** The model a run uses: its id and its parsed configuration. */
export interface ResolvedAnomalyModel {
  readonly id: string;
  readonly config: AnomalyModelConfig;
}

/**
 * Reads the configuration of ANOMALY_DETECTION model `modelId`, or of the system model (created
 * with default settings, algorithm ISOLATION_FOREST, status ACTIVE, when absent).
 *
 * @throws EngineError NOT_FOUND for an unknown model; VALIDATION_ERROR when it is not an
 *   ANOMALY_DETECTION model or its configuration is invalid.
 */
export async function resolveAnomalyModel(
  db: Database,
  now: Date,
  modelId?: string,
): Promise<ResolvedAnomalyModel> {
  if (modelId !== undefined) {
    if (!z.uuid().safeParse(modelId).success) {
      throw new EngineError('VALIDATION_ERROR', `model id ${modelId} is not a UUID`, { field: 'model_id' });
    }
    const row = await db.one(
      'SELECT id::VARCHAR AS id, model_type, model_config::VARCHAR AS config FROM predictive_models WHERE id = $id::UUID',
      { id: modelId },
    );
    if (!row) throw notFound('predictive model', modelId);
    if (row['model_type'] !== 'ANOMALY_DETECTION') {
      throw new EngineError(
        'VALIDATION_ERROR',
        `model ${modelId} is a ${String(row['model_type'])} model, not ANOMALY_DETECTION`,
        { field: 'model_id', model_type: row['model_type'] },
      );
    }
    return { id: modelId, config: parseConfig(modelId, String(row['config'] ?? '{}')) };
  }
  const existing = await db.one(
    `SELECT id::VARCHAR AS id, model_config::VARCHAR AS config FROM predictive_models
     WHERE is_system_model AND model_type = 'ANOMALY_DETECTION' AND name = $name ORDER BY created_at LIMIT 1`,
    { name: systemAnomalyModelName },
  );
  if (existing)
    return {
      id: String(existing['id']),
      config: parseConfig(String(existing['id']), String(existing['config'])),
    };
  const config = anomalyModelConfigSchema.parse({});
  const id = crypto.randomUUID();
  await db.run(
    `INSERT INTO predictive_models (id, name, description, model_type, algorithm_type, model_config,
       feature_columns, status, version, is_system_model, created_at, updated_at)
     VALUES ($id::UUID, $name, $description, 'ANOMALY_DETECTION', 'ISOLATION_FOREST', $config::JSON,
       $features, 'ACTIVE', '1', true, $now, $now)`,
    {
      id,
      name: systemAnomalyModelName,
      description:
        'Five detector families over incident series: robust z and GESD, seasonal hybrid ESD, isolation forest and CUSUM, user thresholds, KS and chi-square baselines',
      config: JSON.stringify(config),
      features: ['incident_count', 'severity_mix', 'category_counts', 'mtta_minutes'],
      now,
    },
  );
  return { id, config };
}

function parseConfig(id: string, text: string): AnomalyModelConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = {};
  }
  const input = (raw && typeof raw === 'object' ? { ...(raw as Record<string, unknown>) } : {}) as Record<
    string,
    unknown
  >;
  const forest = { ...((input['isolation_forest'] as Record<string, unknown> | undefined) ?? {}) };
  if (typeof input['n_estimators'] === 'number') forest['trees'] ??= input['n_estimators'];
  if (typeof input['max_samples'] === 'number') forest['sample_size'] ??= input['max_samples'];
  if (typeof input['contamination'] === 'number') forest['contamination'] ??= input['contamination'];
  input['isolation_forest'] = forest;
  const parsed = anomalyModelConfigSchema.safeParse(input);
  if (!parsed.success) {
    throw new EngineError('VALIDATION_ERROR', `model ${id} has an invalid anomaly detection configuration`, {
      errors: zodIssuesToFieldErrors(parsed.error.issues),
    });
  }
  return parsed.data;
}
