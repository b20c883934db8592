import { gunzipSync, gzipSync, strFromU8, strToU8 } from 'fflate';
import { EngineError } from '../errors.ts';
import type { Database, Transaction } from '../store/database.ts';
import type { ModelArtifact } from './model-artifact.ts';
import type { ModelPerformanceReport } from './model-performance.ts';

/** Artefacts above this many bytes of JSON are stored gzip-compressed. */
const gzipAboveBytes = 64 * 1024;

/** The artefact as stored: JSON text, gzip-compressed when large. */
function encodeArtifact(artifact: ModelArtifact): {
  bytes: Uint8Array;
  encoding: 'json' | 'json+gzip';
} {
  const bytes = strToU8(JSON.stringify(artifact));
  return bytes.length > gzipAboveBytes
    ? { bytes: gzipSync(bytes, { level: 6 }), encoding: 'json+gzip' }
    : { bytes, encoding: 'json' };
}

/** Reads an artefact written by {@link encodeArtifact}. */
function decodeArtifact(bytes: Uint8Array, encoding: string): ModelArtifact {
  const text = encoding === 'json+gzip' ? strFromU8(gunzipSync(bytes)) : strFromU8(bytes);
  return JSON.parse(text) as ModelArtifact;
}

/** One trained version as stored (without its artefact). */
export interface StoredVersion {
  readonly model_id: string;
  readonly version: number;
  readonly performance: ModelPerformanceReport;
  readonly trained_at: Date;
  readonly training_rows: number;
  readonly duration_seconds: number;
  readonly job_id: string | null;
}

/**
 * Inserts a version in the caller's transaction. The artefact's bytes travel as base64 text and
 * DuckDB decodes them into the BLOB (`from_base64`): the store binds no BLOB values.
 */
export async function insertVersion(
  tx: Transaction,
  version: StoredVersion,
  artifact: ModelArtifact,
): Promise<void> {
  const { bytes, encoding } = encodeArtifact(artifact);
  await tx.run(
    `INSERT INTO predictive_model_versions (model_id, version, artifact, artifact_encoding, metrics, trained_at,
       training_rows, duration_seconds, job_id)
     VALUES ($model::UUID, $version, from_base64($artifact), $encoding, $metrics::JSON, $at, $rows, $duration, $job::VARCHAR)`,
    {
      model: version.model_id,
      version: version.version,
      artifact: Buffer.from(bytes).toString('base64'),
      encoding,
      metrics: JSON.stringify(version.performance),
      at: version.trained_at,
      rows: version.training_rows,
      duration: version.duration_seconds,
      job: version.job_id ?? undefined,
    },
  );
}

/** The newest stored version number of a model (0 when none). */
export async function latestVersion(tx: Transaction, modelId: string): Promise<number> {
  const row = await tx.one(
    'SELECT max(version) AS v FROM predictive_model_versions WHERE model_id = $id::UUID',
    {
      id: modelId,
    },
  );
  return row?.['v'] === null || row?.['v'] === undefined ? 0 : Number(row['v']);
}

/**
 * The performance report stored with a version.
 *
 * @throws EngineError NOT_FOUND when the version is not stored.
 */
export async function readPerformance(
  db: Database,
  modelId: string,
  version: number,
): Promise<ModelPerformanceReport> {
  const row = await db.one(
    'SELECT metrics::VARCHAR AS metrics FROM predictive_model_versions WHERE model_id = $id::UUID AND version = $v',
    { id: modelId, v: version },
  );
  if (!row)
    throw new EngineError('NOT_FOUND', `model ${modelId} has no trained version ${version}`, { id: modelId });
  return JSON.parse(String(row['metrics'])) as ModelPerformanceReport;
}

/** Loaded artefacts per open database, by `model id/version`: a stored version never changes. */
const artifactCaches = new WeakMap<Database, Map<string, ModelArtifact>>();
const cacheLimit = 32;

/**
 * The artefact of a stored version (kept in memory for this open database: a stored version
 * never changes; a reopened database reads it from the file again).
 *
 * @throws EngineError NOT_FOUND when the version is not stored.
 */
export async function readArtifact(db: Database, modelId: string, version: number): Promise<ModelArtifact> {
  const key = `${modelId}/${version}`;
  let cache = artifactCaches.get(db);
  if (!cache) {
    cache = new Map();
    artifactCaches.set(db, cache);
  }
  const cached = cache.get(key);
  if (cached) return cached;
  const row = await db.one(
    `SELECT to_base64(artifact) AS artifact, artifact_encoding FROM predictive_model_versions WHERE model_id = $id::UUID AND version = $v`,
    { id: modelId, v: version },
  );
  if (!row)
    throw new EngineError('NOT_FOUND', `model ${modelId} has no trained version ${version}`, { id: modelId });
  const artifact = decodeArtifact(
    Buffer.from(String(row['artifact']), 'base64'),
    String(row['artifact_encoding']),
  );
  if (cache.size >= cacheLimit) cache.delete(cache.keys().next().value as string);
  cache.set(key, artifact);
  return artifact;
}
