import { randomUUID } from 'node:crypto';
import { type Actor, canViewDashboard, permissionRole, systemActor } from '../auth/policy.ts';
import type { ActorAware } from '../auth/scoped-services.ts';
import type { EngineContext } from '../context.ts';
import { EngineError, notFound } from '../errors.ts';
import type { KpiMeasurement } from '../kpi/records.ts';
import { defaultPageSize, type ListRequest, maxPageSize, type Page } from '../store/list-query.ts';
import type { SqlValue } from '../store/sql-values.ts';
import { dashboardTypes } from './dashboard-config.ts';
import {
  type DashboardData,
  type DashboardSources,
  dashboardDataEtag,
  planDashboardData,
  readDashboardData,
  readTrendMeasurements,
} from './dashboard-data.ts';
import {
  checkDashboardInput,
  type DashboardConfiguration,
  type DashboardListFilters,
  dashboardSelect,
  orderClause,
  toDashboard,
} from './dashboard-record.ts';

/** A dashboard's data and its entity tag (see {@link dashboardDataEtag}). */
export interface DashboardDataResult {
  data: DashboardData;
  etag: string;
}

interface CachedData {
  /** The configuration the data was computed for (id and `updated_at`). */
  version: string;
  /** When it stops being served (engine clock, ms). */
  expiresAt: number;
  result: Promise<DashboardDataResult>;
}

/** What every actor's view of the service shares: the engine and the data cache. */
interface DashboardCore {
  context: EngineContext;
  cache: Map<string, CachedData>;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Dashboards (`engine.dashboards`): configurations of widgets on a grid (table
 * `dashboard_configurations`) and their data. A dashboard is visible to everyone when public,
 * else to its creator, admins and holders of one of its `allowed_roles`; to anyone else it does
 * not exist (NOT_FOUND, left out of lists). Only its creator and admins may change or delete it.
 * Served through `engine.as(actor)` it acts for that actor; the engine's own instance acts for the
 * system actor. Data is computed concurrently from the other services and cached for the
 * dashboard's `refresh_interval_seconds`; a change to the configuration drops its cache.
 */
export class DashboardService implements ActorAware<DashboardService> {
  readonly #core: DashboardCore;
  readonly #actor: Actor;

  constructor(context: EngineContext, actor: Actor = systemActor, core?: DashboardCore) {
    this.#core = core ?? { context, cache: new Map() };
    this.#actor = actor;
  }

  /** This service acting for `actor`: what it may see and change. */
  withActor(actor: Actor): DashboardService {
    return new DashboardService(this.#core.context, actor, this.#core);
  }

  /**
   * Creates a dashboard from the spec's request body, owned by the acting user.
   *
   * @throws EngineError VALIDATION_ERROR naming the field (`widget_configs[1].position.column`).
   */
  async create(input: unknown): Promise<DashboardConfiguration> {
    const checked = checkDashboardInput(input);
    const id = randomUUID();
    const now = this.#core.context.now();
    await this.#core.context.db.run(
      `INSERT INTO dashboard_configurations (id, name, description, dashboard_type, layout_config, widget_configs,
         is_public, allowed_roles, auto_refresh_enabled, refresh_interval_seconds, is_active, created_by,
         created_at, updated_at)
       VALUES ($id::UUID, $name, $description, $dashboard_type, $layout::JSON, $widgets::JSON, $is_public,
         $allowed_roles::VARCHAR[], $auto_refresh_enabled, $refresh_interval_seconds, $is_active,
         $created_by::UUID, $now, $now)`,
      { id, ...this.#columns(checked), created_by: this.#actor.userId, now },
    );
    return this.#read(id) as Promise<DashboardConfiguration>;
  }

  /**
   * One dashboard the actor may see.
   *
   * @throws EngineError NOT_FOUND when there is none, or the actor may not see it.
   */
  async get(id: string): Promise<DashboardConfiguration> {
    const dashboard = await this.#read(id);
    if (!dashboard || !canViewDashboard(this.#actor, dashboard)) throw notFound('dashboard', id);
    return dashboard;
  }

  /**
   * A page of the dashboards the actor may see. Filters `dashboard_type`, `is_active`; `search` in
   * the name and description; ordering by name, dashboard_type, created_at, updated_at (default name).
   *
   * @throws EngineError VALIDATION_ERROR for a bad filter, ordering or page size; NOT_FOUND past the end.
   */
  async list(request: ListRequest<DashboardListFilters> = {}): Promise<Page<DashboardConfiguration>> {
    const page = request.page ?? 1;
    const pageSize = request.pageSize ?? defaultPageSize;
    if (!Number.isInteger(page) || page < 1) {
      throw new EngineError('VALIDATION_ERROR', 'page must be a whole number from 1', { parameter: 'page' });
    }
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > maxPageSize) {
      throw new EngineError('VALIDATION_ERROR', `page_size must be a whole number from 1 to ${maxPageSize}`, {
        parameter: 'page_size',
      });
    }
    const { where, params } = this.#listWhere(request);
    const orderBy = orderClause(request.ordering);
    const db = this.#core.context.db;
    const countRow = await db.one(`SELECT count(*) AS n FROM dashboard_configurations ${where}`, params);
    const count = Number(countRow?.['n'] ?? 0);
    if (page > 1 && (page - 1) * pageSize >= count) {
      throw new EngineError('NOT_FOUND', 'Invalid page.', { page, count });
    }
    const rows = await db.all(
      `SELECT ${dashboardSelect} FROM dashboard_configurations ${where} ${orderBy}
       LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
      params,
    );
    return { count, page, pageSize, results: rows.map(toDashboard) };
  }

  /**
   * Changes a dashboard: `patch` is applied over the stored fields and the whole result checked
   * again (send every field to replace it). Drops its cached data.
   *
   * @throws EngineError NOT_FOUND (not there, or not visible); FORBIDDEN when the actor is neither
   *   its creator nor an admin; VALIDATION_ERROR naming the field (nothing is changed then).
   */
  async update(id: string, patch: unknown): Promise<DashboardConfiguration> {
    const current = await this.#changeable(id);
    if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
      throw new EngineError('VALIDATION_ERROR', 'body: must be an object', { field: 'body' });
    }
    const { id: _id, created_by: _by, created_at: _at, updated_at: _up, ...stored } = current;
    const checked = checkDashboardInput({ ...stored, ...patch });
    await this.#core.context.db.run(
      `UPDATE dashboard_configurations SET name = $name, description = $description,
         dashboard_type = $dashboard_type, layout_config = $layout::JSON, widget_configs = $widgets::JSON,
         is_public = $is_public, allowed_roles = $allowed_roles::VARCHAR[],
         auto_refresh_enabled = $auto_refresh_enabled, refresh_interval_seconds = $refresh_interval_seconds,
         is_active = $is_active, updated_at = $now
       WHERE id = $id::UUID`,
      { id, ...this.#columns(checked), now: this.#core.context.now() },
    );
    this.#core.cache.delete(id);
    return this.#read(id) as Promise<DashboardConfiguration>;
  }

  /**
   * Deletes a dashboard and its cached data.
   *
   * @throws EngineError NOT_FOUND (not there, or not visible); FORBIDDEN when the actor is neither
   *   its creator nor an admin.
   */
  async delete(id: string): Promise<void> {
    await this.#changeable(id);
    await this.#core.context.db.run('DELETE FROM dashboard_configurations WHERE id = $id::UUID', { id });
    this.#core.cache.delete(id);
  }

  /**
   * The data of a dashboard the actor may see (see {@link DashboardData}), served from the cache
   * while its refresh interval has not passed and its configuration is unchanged; callers asking
   * at once share one computation.
   *
   * @throws EngineError NOT_FOUND when there is none, or the actor may not see it.
   */
  async data(id: string): Promise<DashboardDataResult> {
    const dashboard = await this.get(id);
    const version = `${dashboard.id}@${dashboard.updated_at.getTime()}`;
    const now = this.#core.context.now();
    const cached = this.#core.cache.get(id);
    if (cached && cached.version === version && now.getTime() < cached.expiresAt) return cached.result;
    const result = readDashboardData(planDashboardData(dashboard.widget_configs), this.#sources(), now).then(
      (data) => ({ data, etag: dashboardDataEtag(data) }),
    );
    const entry: CachedData = {
      version,
      expiresAt: now.getTime() + dashboard.refresh_interval_seconds * 1000,
      result,
    };
    this.#core.cache.set(id, entry);
    result.catch(() => {
      if (this.#core.cache.get(id) === entry) this.#core.cache.delete(id);
    });
    return result;
  }

  /**
   * The KPI measurement history the `kpi_trend` widgets of a dashboard the actor may see draw (see
   * {@link readTrendMeasurements}): what the web page and the report plot beside its data.
   *
   * @throws EngineError NOT_FOUND when there is none, or the actor may not see it.
   */
  async trendMeasurements(id: string): Promise<KpiMeasurement[]> {
    const dashboard = await this.get(id);
    return readTrendMeasurements(dashboard.widget_configs, this.#sources().kpis);
  }

  #sources(): DashboardSources {
    const services = this.#core.context.services as Record<string, unknown>;
    const costs = services['costs'] as Partial<DashboardSources['costs']> | undefined;
    return {
      kpis: services['kpis'] as DashboardSources['kpis'],
      anomalies: services['anomalies'] as DashboardSources['anomalies'],
      insights: services['insights'] as DashboardSources['insights'],
      heatmaps: services['heatmaps'] as DashboardSources['heatmaps'],
      costs: typeof costs?.summary === 'function' ? (costs as DashboardSources['costs']) : undefined,
    };
  }

  async #read(id: string): Promise<DashboardConfiguration | undefined> {
    if (!uuidPattern.test(id)) return undefined;
    const row = await this.#core.context.db.one(
      `SELECT ${dashboardSelect} FROM dashboard_configurations WHERE id = $id::UUID`,
      { id },
    );
    return row ? toDashboard(row) : undefined;
  }

  async #changeable(id: string): Promise<DashboardConfiguration> {
    const dashboard = await this.get(id);
    const actor = this.#actor;
    const owner = actor.userId !== null && dashboard.created_by === actor.userId;
    if (!actor.system && !owner && permissionRole(actor) !== 'admin') {
      throw new EngineError('FORBIDDEN', 'Only the creator of a dashboard or an admin may change it.', {
        id,
      });
    }
    return dashboard;
  }

  #columns(checked: ReturnType<typeof checkDashboardInput>): Record<string, SqlValue> {
    return {
      name: checked.name,
      description: checked.description,
      dashboard_type: checked.dashboard_type,
      layout: JSON.stringify(checked.layout_config),
      widgets: JSON.stringify(checked.widget_configs),
      is_public: checked.is_public,
      allowed_roles: checked.allowed_roles,
      auto_refresh_enabled: checked.auto_refresh_enabled,
      refresh_interval_seconds: checked.refresh_interval_seconds,
      is_active: checked.is_active,
    };
  }

  /** The WHERE clause of a list: its filters, its search and what the actor may see. */
  #listWhere(request: ListRequest<DashboardListFilters>): {
    where: string;
    params: Record<string, SqlValue>;
  } {
    const clauses: string[] = [];
    const params: Record<string, SqlValue> = {};
    for (const [name, value] of Object.entries(request.filters ?? {})) {
      if (value === undefined || value === null || value === '') continue;
      if (name === 'dashboard_type') {
        if (!(dashboardTypes as readonly unknown[]).includes(value)) {
          throw new EngineError(
            'VALIDATION_ERROR',
            `dashboard_type must be one of ${dashboardTypes.join(', ')}`,
            {
              parameter: name,
              allowed: dashboardTypes,
            },
          );
        }
        clauses.push('dashboard_type = $dashboard_type');
        params['dashboard_type'] = value as string;
      } else if (name === 'is_active') {
        const flag =
          value === true || value === 'true' ? true : value === false || value === 'false' ? false : null;
        if (flag === null) {
          throw new EngineError('VALIDATION_ERROR', 'is_active must be true or false', { parameter: name });
        }
        clauses.push('is_active = $is_active');
        params['is_active'] = flag;
      } else {
        throw new EngineError('VALIDATION_ERROR', `unknown filter ${name}`, { parameter: name });
      }
    }
    const search = request.search?.trim();
    if (search) {
      params['search'] = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      clauses.push(`(name ILIKE $search ESCAPE '\\' OR description ILIKE $search ESCAPE '\\')`);
    }
    const actor = this.#actor;
    if (!actor.system && permissionRole(actor) !== 'admin') {
      clauses.push('(is_public OR created_by = $viewer::UUID OR list_has_any(allowed_roles, $viewer_roles))');
      params['viewer'] = actor.userId;
      params['viewer_roles'] = [...actor.roles];
    }
    return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
  }
}
