import type { DashboardConfig, WidgetConfig } from './types.ts';

/** CSS custom properties placing a widget on the dashboard's grid (1-based lines, spans). Pure. */
export function widgetPlacement(widget: WidgetConfig): Record<string, string> {
  return {
    '--grid-row': String(widget.position.row + 1),
    '--grid-column': String(widget.position.column + 1),
    '--grid-width': String(Math.max(1, widget.size.width)),
    '--grid-height': String(Math.max(1, widget.size.height)),
  };
}

/** CSS custom properties of the grid itself: its number of columns and rows. Pure. */
export function gridTemplate(layout: DashboardConfig['layout_config']): Record<string, string> {
  return { '--grid-columns': String(layout.columns), '--grid-rows': String(layout.rows) };
}

/**
 * The widgets in reading order (row, then column): the order they are in the page, so that the
 * keyboard's focus order follows the grid and the one-column phone layout reads top to bottom. Pure.
 */
export function readingOrder(widgets: readonly WidgetConfig[]): WidgetConfig[] {
  return [...widgets].sort(
    (a, b) => a.position.row - b.position.row || a.position.column - b.position.column,
  );
}

/**
 * How often the view reloads the data, in milliseconds, or `null` for never (auto refresh off).
 * At least every 10 s whatever the configuration says (the API's lower bound). Pure.
 */
export function refreshPeriodMs(
  config: Pick<DashboardConfig, 'auto_refresh_enabled' | 'refresh_interval_seconds'>,
): number | null {
  if (!config.auto_refresh_enabled) return null;
  const seconds = Number.isFinite(config.refresh_interval_seconds) ? config.refresh_interval_seconds : 300;
  return Math.max(10, seconds) * 1000;
}
