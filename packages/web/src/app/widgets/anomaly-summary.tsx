import { formatNumber } from '../../charts/index.ts';
import type { AnomalySummaryJson } from '../dashboards/types.ts';
import { WidgetFrame, type WidgetProps, widgetState } from './frame.tsx';
import { decimal } from './kpi-tile.tsx';
import { StatList } from './stat-list.tsx';

/** The figures of an anomaly summary, labelled. Pure. */
export function anomalyStats(summary: AnomalySummaryJson): { label: string; value: string }[] {
  const rate = decimal(summary.false_positive_rate);
  return [
    { label: 'Anomalies', value: String(summary.total_anomalies) },
    { label: 'Unresolved', value: String(summary.unresolved_anomalies) },
    { label: 'Critical', value: String(summary.critical_anomalies) },
    { label: 'High', value: String(summary.high_anomalies) },
    { label: 'Medium', value: String(summary.medium_anomalies) },
    { label: 'Low', value: String(summary.low_anomalies) },
    { label: 'False positives', value: rate === null ? '–' : `${formatNumber(rate, 1)}%` },
    { label: 'Average resolution time', value: summary.average_resolution_time ?? '–' },
  ];
}

/** `anomaly_summary`: counts by severity, unresolved, false-positive rate, time to resolve. */
export function AnomalySummaryWidget(props: WidgetProps) {
  const summary = props.data?.anomaly_summary;
  return (
    <WidgetFrame
      widget={props.widget}
      headingId={props.headingId}
      title="Anomalies"
      state={widgetState(props.dataState, !summary || summary.total_anomalies === 0)}
      error={props.dataError}
      onRetry={props.onChanged}
      emptyText="No anomalies detected yet."
    >
      {summary ? <StatList stats={anomalyStats(summary)} /> : null}
    </WidgetFrame>
  );
}
