import { formatNumber } from '../../charts/index.ts';
import { WidgetFrame, type WidgetProps, widgetState } from './frame.tsx';
import { decimal } from './kpi-tile.tsx';
import { StatList } from './stat-list.tsx';

/** `insight_summary`: insights by confidence, acknowledged, validated, accuracy, active models. */
export function InsightSummaryWidget(props: WidgetProps) {
  const summary = props.data?.insight_summary;
  const accuracy = decimal(summary?.average_accuracy);
  return (
    <WidgetFrame
      widget={props.widget}
      headingId={props.headingId}
      title="Predictive insights"
      state={widgetState(props.dataState, !summary || summary.total_insights === 0)}
      error={props.dataError}
      onRetry={props.onChanged}
      emptyText="No insights yet: they are produced every hour once models are trained."
    >
      {summary ? (
        <StatList
          stats={[
            { label: 'Insights', value: String(summary.total_insights) },
            { label: 'High confidence', value: String(summary.high_confidence_insights) },
            { label: 'Medium confidence', value: String(summary.medium_confidence_insights) },
            { label: 'Low confidence', value: String(summary.low_confidence_insights) },
            { label: 'Acknowledged', value: String(summary.acknowledged_insights) },
            { label: 'Validated', value: String(summary.validated_insights) },
            {
              label: 'Average accuracy',
              value: accuracy === null ? '–' : `${formatNumber(accuracy * 100, 1)}%`,
            },
            { label: 'Active models', value: String(summary.active_models) },
          ]}
        />
      ) : null}
    </WidgetFrame>
  );
}
