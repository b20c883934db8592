import type { IncidentPrediction } from '../models/model-scoring.ts';
import { type Severity, severities } from '../schema/enums.ts';
import { type Incident, incidentColumns } from '../schema/incident.ts';
import type { Row } from '../store/database.ts';
import type { ListSpec } from '../store/list-query.ts';

/** Columns read for an incident, in table order. */
export const incidentSelect = [...incidentColumns.map((c) => c.name), 'ingested_at', 'updated_at']
  .map((c) => (c === 'id' ? 'CAST(id AS VARCHAR) AS id' : c))
  .join(', ');

/**
 * Turns a stored row into an {@link Incident}: timestamps are `Date`s (UTC), counts numbers,
 * tags an array or null.
 */
export function toIncident(row: Row): Incident {
  const incident: Record<string, unknown> = {};
  for (const column of incidentColumns) {
    const value = row[column.name];
    incident[column.name] =
      value === undefined
        ? null
        : typeof value === 'bigint'
          ? Number(value)
          : column.kind === 'text[]' && value
            ? [...(value as string[])]
            : value;
  }
  incident['ingested_at'] = row['ingested_at'];
  incident['updated_at'] = row['updated_at'];
  return incident as unknown as Incident;
}

/** Who made a stored prediction, and when: the model's id, its version ("1", "2", ...), the time. */
export interface PredictionSource {
  readonly model: string;
  readonly version: string;
  readonly predicted_at: Date;
}

/**
 * The predictions the models capability stored on an incident (`score_incidents`), each key
 * present only when an ACTIVE model of its type has scored the incident. Each holds the value as
 * stored (`engine.models.predictionsFor`) and its {@link PredictionSource}.
 */
export interface IncidentPredictions {
  /** SEVERITY_PREDICTION: the most likely severity and the probability of each. */
  readonly severity?: PredictionSource & {
    readonly label: Severity;
    readonly probabilities: Readonly<Record<string, number>>;
  };
  /** ESCALATION_PREDICTION: the probability that the incident escalates, and the label ('true'/'false'). */
  readonly escalation?: PredictionSource & { readonly probability: number; readonly label: 'true' | 'false' };
  /** RESOLUTION_TIME_PREDICTION: the expected hours to resolution and its 90% interval. */
  readonly resolution_time?: PredictionSource & {
    readonly value: number;
    readonly lower: number;
    readonly upper: number;
    readonly unit: 'hours';
  };
}

/** An incident as `engine.incidents` returns it: the stored fields and the stored predictions. */
export interface IncidentRecord extends Incident {
  /** Null when no model has scored the incident. */
  predictions: IncidentPredictions | null;
}

/** The prediction kinds an incident record shows, in the order it shows them. */
const shownPredictions = ['severity', 'escalation', 'resolution_time'] as const;

/** What reads stored predictions: the models capability's `predictionsFor`. */
export interface PredictionReader {
  predictionsFor(ids: readonly string[]): Promise<Record<string, Record<string, IncidentPrediction>>>;
}

/**
 * Gives each incident its stored predictions, read for all of them in one query (`reader` is the
 * models capability; without it every incident shows `predictions: null`).
 */
export async function withPredictions(
  reader: PredictionReader | undefined,
  incidents: readonly Incident[],
): Promise<IncidentRecord[]> {
  const stored =
    reader && incidents.length > 0 ? await reader.predictionsFor(incidents.map((i) => i.id)) : {};
  return incidents.map((incident) => ({ ...incident, predictions: toPredictions(stored[incident.id]) }));
}

function toPredictions(stored: Record<string, IncidentPrediction> | undefined): IncidentPredictions | null {
  if (!stored) return null;
  const out: Record<string, unknown> = {};
  for (const kind of shownPredictions) {
    const p = stored[kind];
    if (p) {
      out[kind] = {
        ...p.value,
        model: p.model_id,
        version: p.version,
        predicted_at: new Date(p.predicted_at),
      };
    }
  }
  return Object.keys(out).length > 0 ? (out as IncidentPredictions) : null;
}

/**
 * What may be listed of incidents: filters by category, severity, priority, status, service and team
 * (one value or several), creation time window (`created_after` inclusive, `created_before`
 * exclusive), search in title and description, and the ordering whitelist.
 */
/** The filters of `engine.incidents.list` (see {@link incidentListSpec}). */
export type IncidentListFilters = {
  readonly category?: string | readonly string[] | undefined;
  readonly severity?: string | readonly string[] | undefined;
  readonly priority?: string | readonly string[] | undefined;
  readonly status?: string | readonly string[] | undefined;
  readonly service?: string | readonly string[] | undefined;
  readonly team?: string | readonly string[] | undefined;
  /** Created at or after (a `Date` or ISO 8601 text). */
  readonly created_after?: Date | string | undefined;
  /** Created before, exclusive (a `Date` or ISO 8601 text). */
  readonly created_before?: Date | string | undefined;
};

export const incidentListSpec: ListSpec = {
  from: 'incidents',
  singleTable: true,
  select: incidentSelect,
  filters: {
    category: { column: 'category', op: 'in' },
    severity: { column: 'severity', op: 'in' },
    priority: { column: 'priority', op: 'in' },
    status: { column: 'status', op: 'in' },
    service: { column: 'service', op: 'in' },
    team: { column: 'team', op: 'in' },
    created_after: { column: 'created_at', op: 'gte' },
    created_before: { column: 'created_at', op: 'lt' },
  },
  orderable: {
    created_at: 'created_at',
    resolved_at: 'resolved_at',
    // By rank (LOW first), not alphabetically.
    severity: `list_position([${severities.map((s) => `'${s}'`).join(', ')}], severity)`,
    priority: 'priority',
    status: 'status',
    service: 'service',
    team: 'team',
    title: 'title',
  },
  searchable: ['title', 'description'],
  defaultOrdering: '-created_at',
};
