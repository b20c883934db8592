import { EngineError } from '../errors.ts';
import type { Row } from '../store/database.ts';
import {
  checkLayout,
  checkWidgets,
  type DashboardType,
  dashboardTypes,
  invalid,
  type LayoutConfig,
  refreshIntervalBounds,
  type WidgetConfig,
} from './dashboard-config.ts';

/** A stored dashboard configuration (table `dashboard_configurations`), as the spec shows it. */
export interface DashboardConfiguration {
  id: string;
  name: string;
  description: string;
  dashboard_type: DashboardType;
  layout_config: LayoutConfig;
  widget_configs: WidgetConfig[];
  /** Visible to every user when true; else to its creator, admins and the holders of `allowed_roles`. */
  is_public: boolean;
  /** Role names (`executive`, `manager`, `analyst`, ...) that may see a non-public dashboard. */
  allowed_roles: string[];
  auto_refresh_enabled: boolean;
  /** How long its data is cached and how often a client should refresh it. */
  refresh_interval_seconds: number;
  is_active: boolean;
  /** The creator's user id; `null` when created by the system (CLI, library). */
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

/** The fields a client sets: the spec's request body. */
export interface DashboardInput {
  name: string;
  description?: string;
  dashboard_type: DashboardType;
  layout_config: LayoutConfig;
  widget_configs: WidgetConfig[];
  is_public?: boolean;
  allowed_roles?: string[];
  auto_refresh_enabled?: boolean;
  refresh_interval_seconds?: number;
  is_active?: boolean;
}

/** The filters of `engine.dashboards.list`. */
export type DashboardListFilters = {
  readonly dashboard_type?: string | undefined;
  readonly is_active?: boolean | string | undefined;
};

const inputFields = [
  'name',
  'description',
  'dashboard_type',
  'layout_config',
  'widget_configs',
  'is_public',
  'allowed_roles',
  'auto_refresh_enabled',
  'refresh_interval_seconds',
  'is_active',
] as const;

const roleNamePattern = /^[A-Za-z][\w.-]{0,63}$/;

function flag(value: unknown, field: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw invalid(field, 'must be true or false');
  return value;
}

/**
 * Checks a whole configuration (a create, or a stored one with a change applied) and returns it
 * with defaults filled in: description '', is_public false, allowed_roles [], auto refresh on,
 * 300 s, active.
 *
 * @throws EngineError VALIDATION_ERROR naming the field.
 */
export function checkDashboardInput(value: unknown): Required<DashboardInput> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalid('body', 'must be an object');
  }
  const input = value as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!(inputFields as readonly string[]).includes(key)) {
      throw invalid(key, `unknown field (accepted: ${inputFields.join(', ')})`);
    }
  }
  const name = input['name'];
  if (typeof name !== 'string' || name.trim() === '' || name.length > 200) {
    throw invalid('name', 'must be non-empty text of at most 200 characters');
  }
  const description = input['description'] ?? '';
  if (typeof description !== 'string' || description.length > 2000) {
    throw invalid('description', 'must be text of at most 2000 characters');
  }
  if (!dashboardTypes.includes(input['dashboard_type'] as DashboardType)) {
    throw invalid('dashboard_type', `must be one of ${dashboardTypes.join(', ')}`, {
      allowed: dashboardTypes,
    });
  }
  const layout = checkLayout(input['layout_config']);
  const widgets = checkWidgets(input['widget_configs'] ?? [], layout);
  const roles = input['allowed_roles'] ?? [];
  if (!Array.isArray(roles) || roles.length > 32) {
    throw invalid('allowed_roles', 'must be a list of at most 32 role names');
  }
  roles.forEach((role, i) => {
    if (typeof role !== 'string' || !roleNamePattern.test(role)) {
      throw invalid(`allowed_roles[${i}]`, 'must be a role name (a letter, then letters, digits, _ . -)');
    }
  });
  const interval = input['refresh_interval_seconds'] ?? 300;
  const { min, max } = refreshIntervalBounds;
  if (typeof interval !== 'number' || !Number.isInteger(interval) || interval < min || interval > max) {
    throw invalid('refresh_interval_seconds', `must be a whole number of seconds from ${min} to ${max}`);
  }
  return {
    name: name.trim(),
    description,
    dashboard_type: input['dashboard_type'] as DashboardType,
    layout_config: layout,
    widget_configs: widgets,
    is_public: flag(input['is_public'], 'is_public', false),
    allowed_roles: [...new Set(roles as string[])],
    auto_refresh_enabled: flag(input['auto_refresh_enabled'], 'auto_refresh_enabled', true),
    refresh_interval_seconds: interval,
    is_active: flag(input['is_active'], 'is_active', true),
  };
}

/** The select list that reads a {@link DashboardConfiguration} row. */
export const dashboardSelect = `id::VARCHAR AS id, name, description, dashboard_type,
  layout_config::VARCHAR AS layout_config, widget_configs::VARCHAR AS widget_configs, is_public,
  allowed_roles, auto_refresh_enabled, refresh_interval_seconds, is_active,
  created_by::VARCHAR AS created_by, created_at, updated_at`;

/** Columns a list may be ordered by. */
const dashboardOrderable: Readonly<Record<string, string>> = {
  name: 'name',
  dashboard_type: 'dashboard_type',
  created_at: 'created_at',
  updated_at: 'updated_at',
};

/** Maps a row read with {@link dashboardSelect}. */
export function toDashboard(row: Row): DashboardConfiguration {
  return {
    id: String(row['id']),
    name: String(row['name']),
    description: String(row['description']),
    dashboard_type: row['dashboard_type'] as DashboardType,
    layout_config: JSON.parse(String(row['layout_config'])) as LayoutConfig,
    widget_configs: JSON.parse(String(row['widget_configs'])) as WidgetConfig[],
    is_public: Boolean(row['is_public']),
    allowed_roles: [...((row['allowed_roles'] as string[] | null) ?? [])],
    auto_refresh_enabled: Boolean(row['auto_refresh_enabled']),
    refresh_interval_seconds: Number(row['refresh_interval_seconds']),
    is_active: Boolean(row['is_active']),
    created_by: row['created_by'] === null ? null : String(row['created_by']),
    created_at: row['created_at'] as Date,
    updated_at: row['updated_at'] as Date,
  };
}

/**
 * The ORDER BY of a list: `ordering` (comma-separated, `-` for descending; default `name`), then id.
 *
 * @throws EngineError VALIDATION_ERROR naming an unknown field.
 */
export function orderClause(ordering: string | undefined): string {
  const fields = (ordering?.trim() ? ordering : 'name')
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  const parts = fields.map((field) => {
    const descending = field.startsWith('-');
    const name = descending ? field.slice(1) : field;
    const column = dashboardOrderable[name];
    if (!column) {
      throw new EngineError('VALIDATION_ERROR', `cannot order by ${name}`, {
        parameter: 'ordering',
        allowed: Object.keys(dashboardOrderable),
      });
    }
    return `${column} ${descending ? 'DESC' : 'ASC'}`;
  });
  return `ORDER BY ${[...parts, 'id ASC'].join(', ')}`;
}
