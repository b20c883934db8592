import type { Engine } from '../../src/index.ts';
import type { InsightModelSource } from '../../src/insights/insight-generation.ts';
import { InsightService } from '../../src/insights/insight-service.ts';
import { internalContext } from '../../src/internal.ts';

/** An incident row for the fixtures; unset fields take quiet defaults (resolved 2 h after creation). */
export interface FixtureIncident {
  readonly external_id: string;
  readonly created_at: string;
  readonly service?: string | null;
  readonly team?: string | null;
  readonly severity?: string;
  readonly status?: string;
  readonly resolved_at?: string | null;
  readonly escalation_level?: number;
}

/** Inserts incidents in one statement; returns their ids by external id. */
export async function insertIncidents(
  engine: Engine,
  incidents: readonly FixtureIncident[],
): Promise<Map<string, string>> {
  const db = internalContext(engine).db;
  await db.run(
    `INSERT INTO incidents BY NAME
     SELECT uuid() AS id, ext AS external_id, 'Incident ' || ext AS title, nullif(service, '') AS service,
       nullif(team, '') AS team, severity, status, created::TIMESTAMP AS created_at,
       nullif(resolved, '')::TIMESTAMP AS resolved_at, escalation AS escalation_level, 0 AS reopen_count,
       0 AS reassignment_count, created::TIMESTAMP AS ingested_at, created::TIMESTAMP AS updated_at
     FROM (SELECT unnest($ext) AS ext, unnest($service) AS service, unnest($team) AS team,
       unnest($severity) AS severity, unnest($status) AS status, unnest($created) AS created,
       unnest($resolved) AS resolved, unnest($escalation) AS escalation)`,
    {
      ext: incidents.map((i) => i.external_id),
      service: incidents.map((i) => i.service ?? ''),
      team: incidents.map((i) => i.team ?? ''),
      severity: incidents.map((i) => i.severity ?? 'MEDIUM'),
      status: incidents.map((i) => i.status ?? 'RESOLVED'),
      created: incidents.map((i) => i.created_at),
      resolved: incidents.map((i) =>
        i.resolved_at === undefined
          ? new Date(Date.parse(`${i.created_at}Z`) + 2 * 3_600_000).toISOString().slice(0, 19)
          : (i.resolved_at ?? ''),
      ),
      escalation: incidents.map((i) => i.escalation_level ?? 0),
    },
  );
  const rows = await db.all('SELECT id::VARCHAR AS id, external_id FROM incidents');
  return new Map(rows.map((r) => [String(r['external_id']), String(r['id'])]));
}

/** Inserts a predictive model row as training would leave it; returns its id. */
export async function insertModel(
  engine: Engine,
  model: { name: string; type: string; status?: string; version?: string; config?: Record<string, unknown> },
): Promise<string> {
  const id = crypto.randomUUID();
  await internalContext(engine).db.run(
    `INSERT INTO predictive_models (id, name, model_type, algorithm_type, model_config, status, version, created_at, updated_at)
     VALUES ($id::UUID, $name, $type, 'RANDOM_FOREST', $config::JSON, $status, $version, $now, $now)`,
    {
      id,
      name: model.name,
      type: model.type,
      config: JSON.stringify(model.config ?? {}),
      status: model.status ?? 'ACTIVE',
      version: model.version ?? '1',
      now: engine.now(),
    },
  );
  return id;
}

/** Inserts one anomaly of `modelId` that happened at `at` on `service`. */
export async function insertAnomaly(
  engine: Engine,
  modelId: string,
  at: string,
  service: string,
): Promise<void> {
  await internalContext(engine).db.run(
    `INSERT INTO anomaly_detections (id, model_id, anomaly_type, severity, status, confidence_score, anomaly_score,
       detected_at, time_window_start, time_window_end, affected_services)
     VALUES (uuid(), $model::UUID, 'VOLUME_SPIKE', 'HIGH', 'DETECTED', 0.9, 4, $at::TIMESTAMP, $at::TIMESTAMP,
       $at::TIMESTAMP + INTERVAL 1 HOUR, [$service])`,
    { model: modelId, at, service },
  );
}

/**
 * An insight service over the engine's store and clock whose models capability is `source` (a
 * stand-in answering with fixed predictions, so that the numbers can be worked by hand).
 */
export function insightServiceWith(
  engine: Engine,
  source: InsightModelSource,
  options: { resolutionSlaHours?: number } = {},
): InsightService {
  const context = internalContext(engine);
  return new InsightService({ ...context, services: { ...context.services, models: source } }, options);
}
