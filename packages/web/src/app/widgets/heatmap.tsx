import { useMemo } from 'preact/hooks';
import { type HeatmapDataJson, heatmapOption, humanize } from '../../charts/index.ts';
import type { WidgetConfig } from '../dashboards/types.ts';
import { Chart } from './chart.tsx';
import { WidgetFrame, type WidgetProps, widgetState } from './frame.tsx';

/** The stored heatmap a widget shows: of its type and granularity (defaults as the engine's). Pure. */
export function widgetHeatmap(
  widget: WidgetConfig,
  heatmaps: readonly HeatmapDataJson[] | undefined,
): HeatmapDataJson | undefined {
  const type = widget.options?.heatmap_type ?? 'INCIDENT_FREQUENCY';
  const granularity = widget.options?.time_granularity ?? 'HOURLY';
  return heatmaps?.find((h) => h.heatmap_type === type && h.time_granularity === granularity);
}

/** `heatmap`: the latest stored heatmap of the widget's type and granularity. */
export function HeatmapWidget(props: WidgetProps) {
  const heatmap = widgetHeatmap(props.widget, props.data?.heatmap_data);
  const option = useMemo(() => heatmapOption(heatmap), [heatmap]);
  const type = humanize(props.widget.options?.heatmap_type ?? 'INCIDENT_FREQUENCY');
  return (
    <WidgetFrame
      widget={props.widget}
      headingId={props.headingId}
      title={heatmap?.name ?? `Heatmap: ${type}`}
      state={widgetState(props.dataState, !heatmap || heatmap.rows.length === 0)}
      error={props.dataError}
      onRetry={props.onChanged}
      emptyText="No heatmap of this type yet: heatmaps are refreshed every hour."
    >
      <Chart option={option} label={`${type} heatmap`} />
    </WidgetFrame>
  );
}
