import { useMemo } from 'preact/hooks';
import { forecastOption, forecastPoints } from '../../charts/index.ts';
import { Chart } from './chart.tsx';
import { WidgetFrame, type WidgetProps, widgetState } from './frame.tsx';

/** `forecast`: the incident forecasts among the recent insights, with their prediction intervals. */
export function ForecastWidget(props: WidgetProps) {
  const insights = props.data?.recent_insights;
  const forecasts = useMemo(
    () => (insights ?? []).filter((i) => i.insight_type === 'INCIDENT_FORECAST'),
    [insights],
  );
  const empty = forecastPoints(forecasts).points.length === 0;
  const option = useMemo(() => forecastOption(forecasts), [forecasts]);
  return (
    <WidgetFrame
      widget={props.widget}
      headingId={props.headingId}
      title="Incident forecast"
      state={widgetState(props.dataState, empty)}
      error={props.dataError}
      onRetry={props.onChanged}
      emptyText="No forecast yet: it needs a trained forecasting model."
    >
      <Chart option={option} label="Forecast of incidents with its prediction interval" />
    </WidgetFrame>
  );
}
