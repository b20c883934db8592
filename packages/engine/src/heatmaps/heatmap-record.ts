import { EngineError } from '../errors.ts';
import type { Row } from '../store/database.ts';
import type { ListSpec } from '../store/list-query.ts';
import {
  type ColumnAxis,
  type HeatmapFilters,
  type HeatmapType,
  heatmapFilterNames,
  heatmapTypes,
  type RowAxis,
  type TimeGranularity,
  timeGranularities,
} from './heatmap-kinds.ts';

/**
 * A computed heatmap's cells: `values[i][j]` is the cell of row `rows[i]` and column `columns[j]`
 * (keys), shown as `labels.rows[i]` and `labels.columns[j]`; `sample_counts[i][j]` is how many
 * incidents stand behind it (resolved incidents for a resolution time, cost analyses for a cost,
 * anomalies for a density).
 */
export interface HeatmapGrid {
  row_axis: RowAxis;
  column_axis: ColumnAxis;
  rows: string[];
  columns: string[];
  labels: { rows: string[]; columns: string[] };
  /** Zero where nothing happened; `null` only for a resolution time without a resolved incident. */
  values: (number | null)[][];
  sample_counts: number[][];
  /** `incidents`, `hours`, `anomalies` or the cost analyses' currency (`USD`). */
  unit: string;
  /** What a reader should know about the data behind it (no cost analyses yet, ...). */
  notes: string[];
}

/** One stored heatmap (table `heatmap_data`): its grid, the period and filters used, when computed. */
export interface HeatmapRecord extends HeatmapGrid {
  id: string;
  name: string;
  heatmap_type: HeatmapType;
  time_granularity: TimeGranularity;
  /** Start of the period (inclusive, UTC). */
  period_start: Date;
  /** End of the period (exclusive, UTC). */
  period_end: Date;
  /** The filters the cells were computed with (`{}` for none). */
  filters: HeatmapFilters;
  color_scheme: string;
  /** When the cells were last computed (the row's `updated_at`: only a refresh writes it). */
  computed_at: Date;
  created_at: Date;
  updated_at: Date;
}

/** The filters of `engine.heatmaps.list`. */
export type HeatmapListFilters = {
  /** One of {@link heatmapTypes}. */
  readonly heatmap_type?: string | undefined;
  /** One of {@link timeGranularities}. */
  readonly time_granularity?: string | undefined;
};

/**
 * What `heatmap_data.data_points` holds: the grid, the filters used and their canonical text
 * (`filter_key`, what a refresh finds the heatmap to replace by).
 */
export interface StoredHeatmapData extends HeatmapGrid {
  filters: HeatmapFilters;
  filter_key: string;
}

/** The select list that reads a {@link HeatmapRecord} row. */
export const heatmapSelect = `id::VARCHAR AS id, name, heatmap_type, time_granularity, period_start, period_end,
  data_points::VARCHAR AS data_points, color_scheme, created_at, updated_at`;

/** The stored filter key of a row, for lookups (the text written by {@link filterKey}). */
export const storedFilterKey = "json_extract_string(data_points, '$.filter_key')";

/** Maps a row read with {@link heatmapSelect}. */
export function toHeatmapRecord(row: Row): HeatmapRecord {
  const grid = JSON.parse(String(row['data_points'])) as StoredHeatmapData;
  return {
    id: String(row['id']),
    name: String(row['name']),
    heatmap_type: row['heatmap_type'] as HeatmapType,
    time_granularity: row['time_granularity'] as TimeGranularity,
    period_start: row['period_start'] as Date,
    period_end: row['period_end'] as Date,
    filters: grid.filters ?? {},
    row_axis: grid.row_axis,
    column_axis: grid.column_axis,
    rows: grid.rows,
    columns: grid.columns,
    labels: grid.labels,
    values: grid.values,
    sample_counts: grid.sample_counts,
    unit: grid.unit,
    notes: grid.notes,
    color_scheme: String(row['color_scheme']),
    computed_at: row['updated_at'] as Date,
    created_at: row['created_at'] as Date,
    updated_at: row['updated_at'] as Date,
  };
}

/** How heatmaps are listed: by type and granularity, the latest computed first. */
export const heatmapListSpec: ListSpec = {
  from: 'heatmap_data',
  select: heatmapSelect,
  filters: {
    heatmap_type: { column: 'heatmap_type', op: 'eq' },
    time_granularity: { column: 'time_granularity', op: 'eq' },
  },
  orderable: {
    computed_at: 'updated_at',
    period_start: 'period_start',
    period_end: 'period_end',
    heatmap_type: 'heatmap_type',
    time_granularity: 'time_granularity',
    name: 'name',
    created_at: 'created_at',
  },
  searchable: ['name'],
  defaultOrdering: '-computed_at',
};

/**
 * Checks list filters: `heatmap_type` and `time_granularity` must be known values. Unknown filters
 * go on to the list, which refuses them by name.
 *
 * @throws EngineError VALIDATION_ERROR naming the filter.
 */
export function checkHeatmapListFilters(filters: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(filters)) {
    if (value === undefined || value === null || value === '') continue;
    if (name === 'heatmap_type') out[name] = oneOf(name, value, heatmapTypes);
    else if (name === 'time_granularity') out[name] = oneOf(name, value, timeGranularities);
    else out[name] = value;
  }
  return out;
}

/** Incident severities a `severity` filter may name. */
const severities = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;

/**
 * Checks the filters a heatmap is computed with and returns them in canonical form (known names
 * only, in a fixed order, non-empty text; severity one of LOW, MEDIUM, HIGH, CRITICAL), so that
 * equal filters are stored, and found again, as equal text.
 *
 * @throws EngineError VALIDATION_ERROR naming the filter.
 */
export function canonicalFilters(filters: Readonly<Record<string, unknown>> | undefined): HeatmapFilters {
  const out: Record<string, string> = {};
  for (const name of Object.keys(filters ?? {})) {
    if (!(heatmapFilterNames as readonly string[]).includes(name)) {
      throw new EngineError('VALIDATION_ERROR', `unknown heatmap filter ${name}`, {
        parameter: `filters.${name}`,
        allowed: heatmapFilterNames,
      });
    }
  }
  for (const name of heatmapFilterNames) {
    const value = filters?.[name];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string' || value.trim() === '') {
      throw new EngineError('VALIDATION_ERROR', `filters.${name} must be non-empty text`, {
        parameter: `filters.${name}`,
      });
    }
    out[name] = name === 'severity' ? oneOf(`filters.${name}`, value, severities) : value;
  }
  return out;
}

/** The filters as the text stored and compared: keys in the fixed order of {@link heatmapFilterNames}. */
export function filterKey(filters: HeatmapFilters): string {
  return JSON.stringify(filters);
}

/**
 * `value` if it is one of `allowed`.
 *
 * @throws EngineError VALIDATION_ERROR naming the parameter and the allowed values.
 */
export function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw new EngineError('VALIDATION_ERROR', `${name} must be one of ${allowed.join(', ')}`, {
      parameter: name,
      allowed,
    });
  }
  return value as T;
}
