import { ApiError } from '../api.ts';
import type { DashboardConfig, WidgetConfig, WidgetType } from './types.ts';

/** What the editor sends: a configuration without its server-made fields. */
export type DashboardInput = Omit<DashboardConfig, 'id' | 'created_by' | 'created_at' | 'updated_at'>;

/** A new dashboard's starting point: a 2 × 3 grid with KPI tiles, private, refreshed every 5 minutes. */
export function newDashboard(): DashboardInput {
  return {
    name: '',
    description: '',
    dashboard_type: 'CUSTOM',
    layout_config: { rows: 2, columns: 3 },
    widget_configs: [{ type: 'kpi_summary', position: { row: 0, column: 0 }, size: { width: 2, height: 1 } }],
    is_public: false,
    allowed_roles: [],
    auto_refresh_enabled: true,
    refresh_interval_seconds: 300,
    is_active: true,
  };
}

/** The editable fields of a stored configuration. Pure. */
export function inputOf(config: DashboardConfig): DashboardInput {
  const { id: _id, created_by: _by, created_at: _at, updated_at: _up, ...input } = config;
  return structuredClone(input);
}

/** The first grid cell no widget covers (reading order), or the top-left cell when all are taken. Pure. */
export function freeCell(
  layout: DashboardInput['layout_config'],
  widgets: readonly WidgetConfig[],
): { row: number; column: number } {
  const taken = (row: number, column: number) =>
    widgets.some(
      (w) =>
        row >= w.position.row &&
        row < w.position.row + w.size.height &&
        column >= w.position.column &&
        column < w.position.column + w.size.width,
    );
  for (let row = 0; row < layout.rows; row++) {
    for (let column = 0; column < layout.columns; column++) if (!taken(row, column)) return { row, column };
  }
  return { row: 0, column: 0 };
}

/** A widget of `type` in the first free cell, one cell large. Pure. */
export function newWidget(
  type: WidgetType,
  layout: DashboardInput['layout_config'],
  widgets: readonly WidgetConfig[],
): WidgetConfig {
  return { type, position: freeCell(layout, widgets), size: { width: 1, height: 1 } };
}

/** Names separated by commas as a list, blanks dropped: `"executive, manager"`. Pure. */
export function splitNames(text: string): string[] {
  return text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

/**
 * The API's validation errors by field path (`name`, `layout_config.rows`,
 * `widget_configs[1].position.column`): the engine's `details.field` with its message, or the
 * request check's `details.errors` list. Other errors give an empty map. Pure.
 */
export function fieldErrors(error: unknown): Map<string, string> {
  const errors = new Map<string, string>();
  if (!(error instanceof ApiError) || error.status !== 400) return errors;
  const details = (error.details ?? {}) as { field?: unknown; errors?: unknown };
  if (Array.isArray(details.errors)) {
    for (const item of details.errors as { field?: unknown; message?: unknown }[]) {
      if (typeof item.field === 'string' && !errors.has(item.field)) {
        errors.set(item.field, typeof item.message === 'string' ? item.message : error.message);
      }
    }
  }
  if (typeof details.field === 'string' && !errors.has(details.field)) {
    const prefix = `${details.field}: `;
    errors.set(
      details.field,
      error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message,
    );
  }
  return errors;
}

/** The id of a field's input in the editor, from its API path (`widget_configs[1].size.width`). Pure. */
export function fieldId(path: string): string {
  return `field-${path.replace(/[[\].]+/g, '-').replace(/-$/, '')}`;
}

/**
 * The message to show at `path`: its own error, or one naming a part of it that has no input of
 * its own (`widget_configs[2].position` shown at that widget's row input). Pure.
 */
export function errorAt(
  errors: ReadonlyMap<string, string>,
  path: string,
  alsoFor: readonly string[] = [],
): string | undefined {
  return errors.get(path) ?? alsoFor.map((p) => errors.get(p)).find((m) => m !== undefined);
}
