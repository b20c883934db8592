/**
 * The SQL of each incident feature and target. Every expression is our own text, chosen by a
 * catalogue name looked up here; nothing a caller sends is pasted into it (names not in the
 * catalogue are refused before any SQL is built, values are bound as parameters).
 */

import { EngineError } from '../../errors.ts';
import type { ModelType } from '../../schema/enums.ts';
import { type CatalogueFeature, incidentFeatureCatalogue, modelTargets } from './catalogue.ts';
import { textHashBucketCount, textHashBucketsSql } from './text-hash.ts';

/** Per-incident SQL of the scalar features, over the incidents table aliased `i`. */
const scalarSql: Readonly<Record<string, string>> = {
  title_length: 'length(i.title)::DOUBLE',
  description_length: "length(coalesce(i.description, ''))::DOUBLE",
  category: "nullif(i.category, '')",
  subcategory: "nullif(i.subcategory, '')",
  service: "nullif(i.service, '')",
  team: "nullif(i.team, '')",
  priority: 'i.priority',
  severity: 'i.severity',
  hour_of_day: 'hour(i.created_at)::DOUBLE',
  day_of_week: '(isodow(i.created_at) - 1)::DOUBLE',
  reassignment_count: 'i.reassignment_count::DOUBLE',
  reopen_count: 'i.reopen_count::DOUBLE',
  affected_users: 'i.affected_users::DOUBLE',
};

/** The text column each hashed feature reads. */
const hashedText: Readonly<Record<string, string>> = {
  title_hash: 'i.title',
  description_hash: 'i.description',
};

/** A column of the rows a model reads: its name (hashed text expanded) and its kind. */
export interface FeatureColumn {
  readonly name: string;
  readonly kind: 'numeric' | 'categorical';
}

/**
 * The catalogue entries of `features`, in order.
 *
 * @throws EngineError VALIDATION_ERROR naming every name not in the incident catalogue.
 */
export function incidentFeaturesNamed(features: readonly string[]): CatalogueFeature[] {
  const found: CatalogueFeature[] = [];
  const unknown: string[] = [];
  for (const name of features) {
    const entry = incidentFeatureCatalogue.find((feature) => feature.name === name);
    if (entry) found.push(entry);
    else unknown.push(name);
  }
  if (unknown.length > 0) {
    throw new EngineError('VALIDATION_ERROR', `unknown incident features: ${unknown.join(', ')}`, {
      errors: unknown.map((name) => ({
        field: 'features',
        message: `unknown feature ${JSON.stringify(name)}`,
      })),
      known_features: incidentFeatureCatalogue.map((feature) => feature.name),
    });
  }
  return found;
}

/** The columns `features` expand to: a hashed text feature gives one numeric column per bucket. */
export function expandFeatures(features: readonly CatalogueFeature[]): FeatureColumn[] {
  const columns: FeatureColumn[] = [];
  for (const feature of features) {
    if (feature.kind === 'text_hash') {
      const prefix = feature.name.replace(/_hash$/, '');
      for (let k = 0; k < textHashBucketCount; k++)
        columns.push({ name: `${prefix}_hash_${k}`, kind: 'numeric' });
    } else columns.push({ name: feature.name, kind: feature.kind });
  }
  return columns;
}

/**
 * The SELECT lists of a two-level query over `incidents i`: `inner` computes the scalar features
 * and each hashed text's bucket list once per incident, `outer` reads the scalars and counts each
 * bucket. Column names are the expanded feature names.
 */
export function featureSelects(features: readonly CatalogueFeature[]): { inner: string[]; outer: string[] } {
  const inner: string[] = [];
  const outer: string[] = [];
  for (const feature of features) {
    const text = hashedText[feature.name];
    if (text !== undefined) {
      const buckets = `${feature.name}_buckets`;
      inner.push(`${textHashBucketsSql(text)} AS ${buckets}`);
      const prefix = feature.name.replace(/_hash$/, '');
      for (let k = 0; k < textHashBucketCount; k++) {
        outer.push(`len(list_filter(${buckets}, lambda b: b = ${k}))::DOUBLE AS ${prefix}_hash_${k}`);
      }
    } else {
      const sql = scalarSql[feature.name];
      if (sql === undefined) throw new EngineError('INTERNAL', `no SQL for feature ${feature.name}`);
      inner.push(`${sql} AS ${feature.name}`);
      outer.push(feature.name);
    }
  }
  return { inner, outer };
}

/** How a target is read: its SQL, the condition under which it is known, and a join it needs. */
export interface TargetSql {
  readonly name: string;
  readonly task: 'classification' | 'regression';
  readonly value: string;
  readonly known: string;
  readonly join: string;
}

const targetSql: Readonly<Record<string, Omit<TargetSql, 'name' | 'task'>>> = {
  severity: { value: 'i.severity', known: 'true', join: '' },
  escalated: {
    value: "CASE WHEN i.escalation_level > 0 THEN 'true' ELSE 'false' END",
    known: 'true',
    join: '',
  },
  resolution_hours: {
    value: "date_diff('microsecond', i.created_at, i.resolved_at) / 3600000000.0",
    known: 'i.resolved_at IS NOT NULL AND i.resolved_at >= i.created_at',
    join: '',
  },
  cost_amount: {
    value: 'cost.cost_amount',
    known: 'cost.cost_amount IS NOT NULL',
    join: `LEFT JOIN (SELECT incident_id, sum(cost_amount)::DOUBLE AS cost_amount FROM cost_analyses GROUP BY incident_id) cost
      ON cost.incident_id = i.id`,
  },
};

/**
 * The SQL of target `target` of `modelType`.
 *
 * @throws EngineError VALIDATION_ERROR when the type has no such target, or when the target is a
 *   series (incident_count: read with `readCountSeries`).
 */
export function targetSqlOf(modelType: ModelType, target: string): TargetSql {
  const definition = modelTargets[modelType]?.find((entry) => entry.name === target);
  const sql = targetSql[target];
  if (!definition || definition.task === 'forecast' || !sql) {
    const valid = (modelTargets[modelType] ?? []).filter((entry) => entry.task !== 'forecast');
    throw new EngineError(
      'VALIDATION_ERROR',
      `${JSON.stringify(target)} is not a per-incident target of ${String(modelType)}${valid.length > 0 ? `; valid: ${valid.map((entry) => entry.name).join(', ')}` : ''}`,
      { errors: [{ field: 'target', message: `not a per-incident target of ${String(modelType)}` }] },
    );
  }
  return { name: target, task: definition.task, ...sql };
}
