import type { KpiSummaryItemJson } from '../../charts/index.ts';
import type { WidgetConfig } from '../dashboards/types.ts';
import { WidgetFrame, type WidgetProps, widgetState } from './frame.tsx';
import { KpiTile } from './kpi-tile.tsx';

/** The KPI lines a widget shows: those of its `metrics` option, else all. Pure. */
export function widgetKpis(
  widget: WidgetConfig,
  items: readonly KpiSummaryItemJson[] | undefined,
): KpiSummaryItemJson[] {
  const wanted = widget.options?.metrics;
  const all = items ?? [];
  return wanted && wanted.length > 0 ? all.filter((item) => wanted.includes(item.metric_type)) : [...all];
}

/** `kpi_summary`: one {@link KpiTile} per KPI. */
export function KpiSummaryWidget(props: WidgetProps) {
  const items = widgetKpis(props.widget, props.data?.kpi_summary);
  return (
    <WidgetFrame
      widget={props.widget}
      headingId={props.headingId}
      title="Key performance indicators"
      state={widgetState(props.dataState, items.length === 0)}
      error={props.dataError}
      onRetry={props.onChanged}
      emptyText="No KPIs measured yet: they are calculated every hour."
    >
      <div class="kpi-tiles">
        {items.map((item) => (
          <KpiTile key={item.metric_type + item.metric_name} item={item} />
        ))}
      </div>
    </WidgetFrame>
  );
}
