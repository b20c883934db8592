import { randomUUID } from 'node:crypto';
import type { EngineContext } from '../context.ts';
import { EngineError, notFound } from '../errors.ts';
import { type ListRequest, listPage, type Page } from '../store/list-query.ts';
import { computeHeatmap } from './heatmap-compute.ts';
import {
  type HeatmapFilters,
  type HeatmapType,
  heatmapName,
  heatmapTypes,
  type TimeGranularity,
  timeGranularities,
} from './heatmap-kinds.ts';
import { checkPeriod, defaultPeriod, type HeatmapPeriod } from './heatmap-period.ts';
import {
  canonicalFilters,
  checkHeatmapListFilters,
  filterKey,
  type HeatmapGrid,
  type HeatmapListFilters,
  type HeatmapRecord,
  heatmapListSpec,
  heatmapSelect,
  oneOf,
  type StoredHeatmapData,
  storedFilterKey,
  toHeatmapRecord,
} from './heatmap-record.ts';

/** What to refresh: every type and granularity unless narrowed; each one's default period unless given. */
export interface RefreshHeatmapsRequest {
  readonly heatmapType?: HeatmapType | undefined;
  readonly timeGranularity?: TimeGranularity | undefined;
  /** With `periodEnd`: the period of every heatmap refreshed (else each granularity's default). */
  readonly periodStart?: Date | undefined;
  readonly periodEnd?: Date | undefined;
  /** Incident filters (`service`, `category`, `severity`). */
  readonly filters?: Readonly<Record<string, unknown>> | undefined;
}

/** One heatmap a refresh wrote. */
export interface RefreshedHeatmap {
  id: string;
  heatmap_type: HeatmapType;
  time_granularity: TimeGranularity;
  period_start: Date;
  period_end: Date;
  /** True when it replaced a stored heatmap of the same type, granularity, period and filters. */
  replaced: boolean;
  rows: number;
  columns: number;
}

/** What a refresh did. */
export interface RefreshHeatmapsResult {
  heatmaps: RefreshedHeatmap[];
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Heatmaps (`engine.heatmaps`): incident frequency, resolution time, cost impact and anomaly
 * density on four grids (see `heatmapTypes`, `timeGranularities`), each computed in DuckDB in one
 * set-wise query and stored in `heatmap_data`; a refresh replaces the stored heatmap of the same
 * type, granularity, period and filters. See the heatmaps README.
 */
export class HeatmapService {
  constructor(private readonly context: EngineContext) {}

  /**
   * One page of stored heatmaps. Filters: `heatmap_type`, `time_granularity`; `search` in the name;
   * the latest computed first by default.
   *
   * @throws EngineError VALIDATION_ERROR for an unknown filter, value or ordering; NOT_FOUND for a
   *   page past the end.
   */
  async list(request: ListRequest<HeatmapListFilters> = {}): Promise<Page<HeatmapRecord>> {
    const filters = checkHeatmapListFilters(request.filters ?? {});
    return listPage(this.context.db, heatmapListSpec, { ...request, filters }, toHeatmapRecord);
  }

  /**
   * One stored heatmap by id.
   *
   * @throws EngineError NOT_FOUND when there is none (or the id is not a UUID).
   */
  async get(id: string): Promise<HeatmapRecord> {
    if (!uuidPattern.test(id)) throw notFound('heatmap', id);
    const row = await this.context.db.one(`SELECT ${heatmapSelect} FROM heatmap_data WHERE id = $id::UUID`, {
      id,
    });
    if (!row) throw notFound('heatmap', id);
    return toHeatmapRecord(row);
  }

  /**
   * Computes one heatmap without storing it: the default period of the granularity at the engine's
   * clock unless `period` is given.
   *
   * @throws EngineError VALIDATION_ERROR for an unknown type, granularity or filter, or a bad period.
   */
  async compute(
    heatmapType: HeatmapType,
    timeGranularity: TimeGranularity,
    options: { period?: HeatmapPeriod; filters?: Readonly<Record<string, unknown>> } = {},
  ): Promise<HeatmapGrid & { period_start: Date; period_end: Date; filters: HeatmapFilters }> {
    const type = oneOf('heatmap_type', heatmapType, heatmapTypes);
    const granularity = oneOf('time_granularity', timeGranularity, timeGranularities);
    const filters = canonicalFilters(options.filters);
    const period = options.period ?? defaultPeriod(granularity, this.context.now());
    checkPeriod(period, granularity);
    const grid = await computeHeatmap(this.context.db, type, granularity, period, filters);
    return { ...grid, period_start: period.start, period_end: period.end, filters };
  }

  /**
   * Computes and stores heatmaps: every type × granularity unless narrowed, each over its
   * granularity's default period (see `defaultPeriod`) unless a period is given. A heatmap of the
   * same type, granularity, period and filters already stored is replaced (same id, new cells and
   * `computed_at`), so a refresh repeated gives the same rows, not more.
   *
   * @throws EngineError VALIDATION_ERROR for an unknown type, granularity or filter, or a bad or
   *   half-given period; nothing is written then.
   */
  async refresh(request: RefreshHeatmapsRequest = {}): Promise<RefreshHeatmapsResult> {
    const types =
      request.heatmapType === undefined
        ? heatmapTypes
        : [oneOf('heatmap_type', request.heatmapType, heatmapTypes)];
    const granularities =
      request.timeGranularity === undefined
        ? timeGranularities
        : [oneOf('time_granularity', request.timeGranularity, timeGranularities)];
    if ((request.periodStart === undefined) !== (request.periodEnd === undefined)) {
      throw new EngineError('VALIDATION_ERROR', 'give both period_start and period_end, or neither', {
        parameter: request.periodStart === undefined ? 'period_start' : 'period_end',
      });
    }
    const filters = canonicalFilters(request.filters);
    const now = this.context.now();
    const periods = new Map<TimeGranularity, HeatmapPeriod>();
    for (const granularity of granularities) {
      const period =
        request.periodStart && request.periodEnd
          ? { start: request.periodStart, end: request.periodEnd }
          : defaultPeriod(granularity, now);
      checkPeriod(period, granularity);
      periods.set(granularity, period);
    }
    const heatmaps: RefreshedHeatmap[] = [];
    for (const granularity of granularities) {
      const period = periods.get(granularity) as HeatmapPeriod;
      for (const type of types) {
        const grid = await computeHeatmap(this.context.db, type, granularity, period, filters);
        const stored = await this.store(type, granularity, period, filters, grid);
        heatmaps.push({
          ...stored,
          heatmap_type: type,
          time_granularity: granularity,
          period_start: period.start,
          period_end: period.end,
          rows: grid.rows.length,
          columns: grid.columns.length,
        });
      }
    }
    return { heatmaps };
  }

  /** Writes one heatmap, replacing the stored one of the same type, granularity, period and filters. */
  private async store(
    type: HeatmapType,
    granularity: TimeGranularity,
    period: HeatmapPeriod,
    filters: HeatmapFilters,
    grid: HeatmapGrid,
  ): Promise<{ id: string; replaced: boolean }> {
    const now = this.context.now();
    const params = {
      type,
      granularity,
      start: period.start,
      end: period.end,
      filters: filterKey(filters),
      grid: JSON.stringify({ ...grid, filters, filter_key: filterKey(filters) } satisfies StoredHeatmapData),
      now,
    };
    return this.context.db.transaction(async (tx) => {
      const existing = await tx.one(
        `SELECT id::VARCHAR AS id FROM heatmap_data WHERE heatmap_type = $type AND time_granularity = $granularity
           AND period_start = $start AND period_end = $end AND ${storedFilterKey} = $filters`,
        { type, granularity, start: period.start, end: period.end, filters: params.filters },
      );
      if (existing) {
        const id = String(existing['id']);
        await tx.run(
          `UPDATE heatmap_data SET data_points = $grid::JSON, updated_at = $now WHERE id = $id::UUID`,
          { id, grid: params.grid, now },
        );
        return { id, replaced: true };
      }
      const id = randomUUID();
      await tx.run(
        `INSERT INTO heatmap_data (id, name, heatmap_type, time_granularity, period_start, period_end, data_points,
           created_at, updated_at)
         VALUES ($id::UUID, $name, $type, $granularity, $start, $end, $grid::JSON, $now, $now)`,
        {
          id,
          name: heatmapName(type, granularity),
          type,
          granularity,
          start: period.start,
          end: period.end,
          grid: params.grid,
          now,
        },
      );
      return { id, replaced: false };
    });
  }
}
