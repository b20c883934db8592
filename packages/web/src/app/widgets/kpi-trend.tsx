import { useMemo, useState } from 'preact/hooks';
import { type KpiMeasurementJson, kpiTrendOption } from '../../charts/index.ts';
import type { DrfPage } from '../api.ts';
import { useLoad } from '../use-load.ts';
import { Chart } from './chart.tsx';
import { WidgetFrame, type WidgetProps, widgetState } from './frame.tsx';
import { widgetKpis } from './kpi-summary.tsx';

interface KpiMetricJson {
  id: string;
  name: string;
  metric_type: string;
}

/**
 * `kpi_trend`: the measurement history (`/api/analytics/kpi-measurements/`, the latest 100
 * periods) of one of the widget's KPIs, chosen in a list (at first the first one with a value),
 * with its target as a dashed line.
 * Reloaded when the dashboard's data changes.
 */
export function KpiTrendWidget(props: WidgetProps) {
  const items = widgetKpis(props.widget, props.data?.kpi_summary);
  const [chosen, setChosen] = useState<string | null>(null);
  // Until one is chosen, the first KPI that has a value: a KPI with none yet (MTBF before two
  // outages) would open the widget on an empty chart.
  const item =
    items.find((i) => i.metric_name === chosen) ?? items.find((i) => i.current_value !== null) ?? items[0];
  const selectId = `${props.headingId}-metric`;

  const history = useLoad(
    async () => {
      if (!item) return [];
      const metrics = await props.api.get<DrfPage<KpiMetricJson>>('/api/analytics/kpi-metrics/', {
        page_size: 100,
      });
      const metric = metrics.results.find((m) => m.name === item.metric_name);
      if (!metric) return [];
      const page = await props.api.get<DrfPage<KpiMeasurementJson>>('/api/analytics/kpi-measurements/', {
        metric_id: metric.id,
        page_size: 100,
      });
      return page.results;
    },
    `${item?.metric_name ?? ''}|${props.data?.last_updated ?? ''}`,
    (measurements) => measurements.every((m) => m.value === null),
  );

  const option = useMemo(
    () => kpiTrendOption(history.data ?? [], { target: item?.target_value ?? null }),
    [history.data, item?.target_value],
  );
  const summaryState = widgetState(props.dataState, items.length === 0);
  const state = summaryState === 'ready' ? history.state : summaryState;

  return (
    <WidgetFrame
      widget={props.widget}
      headingId={props.headingId}
      title="KPI trend"
      state={state}
      error={summaryState === 'error' ? props.dataError : history.error}
      onRetry={summaryState === 'error' ? props.onChanged : history.reload}
      emptyText="No measurements yet: KPIs are calculated every hour."
      tools={
        items.length > 1 ? (
          <span class="widget-tool">
            <label for={selectId}>Metric</label>
            <select
              id={selectId}
              value={item?.metric_name}
              onChange={(e) => setChosen(e.currentTarget.value)}
            >
              {items.map((i) => (
                <option key={i.metric_name} value={i.metric_name}>
                  {i.metric_name}
                </option>
              ))}
            </select>
          </span>
        ) : null
      }
    >
      <Chart option={option} label={`History of ${item?.metric_name ?? 'the KPI'}`} />
    </WidgetFrame>
  );
}
