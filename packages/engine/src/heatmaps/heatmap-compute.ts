import type { Database, Row } from '../store/database.ts';
import { type HeatmapFilters, type HeatmapType, heatmapAxes, type TimeGranularity } from './heatmap-kinds.ts';
import { columnEntry, rowEntry } from './heatmap-labels.ts';
import type { HeatmapPeriod } from './heatmap-period.ts';
import type { HeatmapGrid } from './heatmap-record.ts';
import { heatmapQuery } from './heatmap-sql.ts';

const fixedUnits: Readonly<Record<Exclude<HeatmapType, 'COST_IMPACT'>, string>> = {
  INCIDENT_FREQUENCY: 'incidents',
  RESOLUTION_TIME: 'hours',
  ANOMALY_DENSITY: 'anomalies',
};

/**
 * Shapes the cells of {@link heatmapQuery} (one row per cell, ordered by row then column) into a
 * grid with keys and labels. Pure.
 */
function gridOf(
  granularity: TimeGranularity,
  cells: readonly Row[],
  unit: string,
  notes: string[],
): HeatmapGrid {
  const axes = heatmapAxes[granularity];
  const rows: string[] = [];
  const rowLabels: string[] = [];
  const columns: string[] = [];
  const columnLabels: string[] = [];
  const values: (number | null)[][] = [];
  const samples: number[][] = [];
  let lastRow: unknown = Symbol('none');
  for (const cell of cells) {
    if (!cell['present']) {
      const entry = columnEntry(axes.columns, cell['c']);
      columns.push(entry.key);
      columnLabels.push(entry.label);
      continue;
    }
    const r = cell['r'];
    if (values.length === 0 || !sameKey(r, lastRow)) {
      const entry = rowEntry(axes.rows, r);
      rows.push(entry.key);
      rowLabels.push(entry.label);
      values.push([]);
      samples.push([]);
      lastRow = r;
    }
    if (rows.length === 1) {
      const entry = columnEntry(axes.columns, cell['c']);
      columns.push(entry.key);
      columnLabels.push(entry.label);
    }
    const v = cell['v'];
    values.at(-1)?.push(v === null || v === undefined ? null : Number(v));
    samples.at(-1)?.push(Number(cell['n']));
  }
  return {
    row_axis: axes.rows,
    column_axis: axes.columns,
    rows,
    columns,
    labels: { rows: rowLabels, columns: columnLabels },
    values,
    sample_counts: samples,
    unit,
    notes,
  };
}

function sameKey(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b;
}

/** The cost heatmap's unit and notes: the analyses' currency, and a note when there are none (yet). */
async function costContext(db: Database): Promise<{ unit: string; notes: string[] }> {
  const row = await db.one(
    `SELECT count(*)::INTEGER AS n, list(DISTINCT currency ORDER BY currency) AS currencies FROM cost_analyses`,
  );
  const currencies = ((row?.['currencies'] as string[] | null) ?? []).filter(Boolean);
  if (Number(row?.['n'] ?? 0) === 0) {
    return {
      unit: 'USD',
      notes: ['no cost analyses yet: every cell is 0 until costs are calculated (insights calculate-costs)'],
    };
  }
  if (currencies.length > 1) {
    return {
      unit: currencies.join('+'),
      notes: [
        `cost analyses are in several currencies (${currencies.join(', ')}); cells add their amounts as stored`,
      ],
    };
  }
  return { unit: currencies[0] ?? 'USD', notes: [] };
}

/**
 * Computes one heatmap in DuckDB, in one set-wise query (see {@link heatmapQuery}), and shapes
 * it into a zero-filled, labelled grid. `filters` must be canonical (`canonicalFilters`).
 */
export async function computeHeatmap(
  db: Database,
  type: HeatmapType,
  granularity: TimeGranularity,
  period: HeatmapPeriod,
  filters: HeatmapFilters,
): Promise<HeatmapGrid> {
  const query = heatmapQuery(type, granularity, period, filters);
  const cells = await db.all(query.sql, query.params);
  const context =
    type === 'COST_IMPACT' ? await costContext(db) : { unit: fixedUnits[type], notes: [] as string[] };
  const grid = gridOf(granularity, cells, context.unit, context.notes);
  const total = grid.sample_counts.reduce((sum, row) => sum + row.reduce((a, b) => a + b, 0), 0);
  if (type === 'ANOMALY_DENSITY' && total === 0) {
    grid.notes.push('no anomaly detections in the period');
  } else if (type !== 'ANOMALY_DENSITY' && type !== 'COST_IMPACT' && total === 0) {
    grid.notes.push(
      type === 'RESOLUTION_TIME' ? 'no incident of the period is resolved' : 'no incidents in the period',
    );
  }
  return grid;
}
