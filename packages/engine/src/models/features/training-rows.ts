import { EngineError } from '../../errors.ts';
import type { ModelType } from '../../schema/enums.ts';
import { queryArrow } from '../../store/arrow-bridge.ts';
import type { Database } from '../../store/database.ts';
import type { TabularRow } from '../learn/types.ts';
import { arrowNumbers, arrowStrings, arrowToRows } from './arrow-rows.ts';
import { type CatalogueFeature, predictsAtCreation } from './catalogue.ts';
import {
  expandFeatures,
  featureSelects,
  incidentFeaturesNamed,
  targetSqlOf,
} from './incident-feature-sql.ts';

/** What {@link readTrainingRows} reads. */
interface TrainingRowsRequest {
  readonly modelType: ModelType;
  /** Catalogue names (`title_hash` expands to its bucket columns). */
  readonly features: readonly string[];
  /** A per-incident target of the model type (see `modelTargets`); null reads features only. */
  readonly target: string | null;
  /** Incidents created at or after `start` … */
  readonly start: Date;
  /** … and strictly before `end`. */
  readonly end: Date;
}

/** Training rows and, row by row, when each incident was created. */
interface TrainingRows {
  /** Feature values as the model sees them, and the target under its own name. */
  rows: TabularRow[];
  /** created_at of each row, in epoch milliseconds (ascending). */
  createdAt: Float64Array;
  /** The feature columns of the rows, after expanding hashed text (`title_hash_0` …). */
  featureNames: string[];
}

/**
 * Training rows: the incidents created in [start, end) whose target is known (resolved ones for
 * resolution_hours, those with a cost analysis for cost_amount), ordered by created_at (then id),
 * with the feature values as the model sees them: categories as text, counts and lengths as
 * numbers, hashed text as bucket counts. One set-wise query, read through the Arrow bridge.
 *
 * @throws EngineError VALIDATION_ERROR for an unknown feature, a target the type does not have, a
 *   feature known only after creation for a type that predicts at creation, the target among the
 *   features, or a window whose end is not after its start.
 */
export async function readTrainingRows(db: Database, request: TrainingRowsRequest): Promise<TrainingRows> {
  checkWindow(request.start, request.end);
  const features = incidentFeaturesNamed(request.features);
  refuseLateFeatures(request.modelType, features);
  const columns = expandFeatures(features);
  const target = request.target === null ? null : targetSqlOf(request.modelType, request.target);
  if (target && columns.some((column) => column.name === target.name)) {
    throw new EngineError('VALIDATION_ERROR', `${target.name} is the target and cannot also be a feature`, {
      errors: [{ field: 'features', message: `${target.name} is the target` }],
    });
  }
  const { inner, outer } = featureSelects(features);
  const table = await queryArrow(
    db,
    `SELECT epoch_ms(created_at)::DOUBLE AS __created_ms${outer.map((sql) => `, ${sql}`).join('')}
       ${target ? `, __target AS ${target.name}` : ''}
     FROM (
       SELECT i.id, i.created_at${inner.map((sql) => `, ${sql}`).join('')}
         ${target ? `, ${target.value} AS __target` : ''}
       FROM incidents i ${target?.join ?? ''}
       WHERE i.created_at >= $start AND i.created_at < $end ${target ? `AND ${target.known}` : ''}
     ) f
     ORDER BY created_at, id`,
    { start: request.start, end: request.end },
  );
  const names = columns.map((column) => column.name);
  return {
    rows: arrowToRows(table, target ? [...names, target.name] : names),
    createdAt: arrowNumbers(table, '__created_ms'),
    featureNames: names,
  };
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The feature values of stored incidents, computed as {@link readTrainingRows} computes them (no
 * target). Rows come in the order of `ids` (each once); ids of no stored incident are left out, so
 * a caller compares the returned `ids` with its own.
 *
 * @throws EngineError VALIDATION_ERROR for an id that is not a UUID or an unknown feature.
 */
export async function readIncidentFeatures(
  db: Database,
  ids: readonly string[],
  features: readonly string[],
): Promise<{ ids: string[]; rows: TabularRow[] }> {
  const catalogued = incidentFeaturesNamed(features);
  const bad = ids.filter((id) => typeof id !== 'string' || !uuidPattern.test(id));
  if (bad.length > 0) {
    throw new EngineError('VALIDATION_ERROR', `incident ids must be UUIDs: ${bad.map(String).join(', ')}`, {
      errors: bad.map((id) => ({ field: 'incident_ids', message: `${String(id)} is not a UUID` })),
    });
  }
  const wanted = [...new Set(ids.map((id) => id.toLowerCase()))];
  if (wanted.length === 0) return { ids: [], rows: [] };
  const names = expandFeatures(catalogued).map((column) => column.name);
  const { inner, outer } = featureSelects(catalogued);
  const table = await queryArrow(
    db,
    `SELECT id::VARCHAR AS __id${outer.map((sql) => `, ${sql}`).join('')}
     FROM (
       SELECT i.id${inner.map((sql) => `, ${sql}`).join('')}
       FROM incidents i
       WHERE i.id IN (SELECT unnest($ids::VARCHAR[])::UUID)
     ) f`,
    { ids: wanted },
  );
  const found = arrowStrings(table, '__id');
  const rowsById = new Map<string, TabularRow>();
  arrowToRows(table, names).forEach((row, i) => {
    rowsById.set(String(found[i]), row);
  });
  const outIds = wanted.filter((id) => rowsById.has(id));
  return { ids: outIds, rows: outIds.map((id) => rowsById.get(id) as TabularRow) };
}

/**
 * Refuses features known only after the incident is opened for a type that predicts at creation:
 * the guard against leakage at the point where rows are read.
 *
 * @throws EngineError VALIDATION_ERROR naming the features.
 */
function refuseLateFeatures(modelType: ModelType, features: readonly CatalogueFeature[]): void {
  if (!predictsAtCreation.includes(modelType)) return;
  const late = features.filter((feature) => feature.knownAt === 'later').map((feature) => feature.name);
  if (late.length === 0) return;
  throw new EngineError(
    'VALIDATION_ERROR',
    `${late.join(', ')} ${late.length === 1 ? 'is' : 'are'} known only after the incident is opened, so ${modelType} cannot use ${late.length === 1 ? 'it' : 'them'}`,
    {
      errors: late.map((name) => ({
        field: 'features',
        message: `${name} is known only after the incident is opened`,
      })),
    },
  );
}

/** @throws EngineError VALIDATION_ERROR unless both are valid dates and `end` is after `start`. */
export function checkWindow(start: Date, end: Date): void {
  const valid = (date: Date) => date instanceof Date && Number.isFinite(date.getTime());
  if (!valid(start) || !valid(end) || end.getTime() <= start.getTime()) {
    throw new EngineError(
      'VALIDATION_ERROR',
      'the window needs valid start and end dates with end after start',
      {
        errors: [{ field: 'end', message: 'must be a valid date after start' }],
      },
    );
  }
}
