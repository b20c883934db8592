import { useMemo, useState } from 'preact/hooks';
import { type AnomalyJson, anomalyTimelineOption } from '../../charts/index.ts';
import { type ChangedAnomaly, changeTime, withChanges } from './anomaly-actions.ts';
import { AnomalyRow } from './anomaly-row.tsx';
import { Chart } from './chart.tsx';
import { WidgetFrame, type WidgetProps, widgetState } from './frame.tsx';

/**
 * `recent_anomalies`: the latest anomalies on a timeline and as a list with their lifecycle
 * actions. An action shows its result at once and reloads the dashboard's data; a click on a point
 * of the timeline highlights its anomaly in the list.
 */
export function RecentAnomaliesWidget(props: WidgetProps) {
  const [changes, setChanges] = useState<ReadonlyMap<string, ChangedAnomaly>>(new Map());
  const [highlighted, setHighlighted] = useState<string | null>(null);
  const limit = props.widget.options?.limit ?? 10;
  const source = props.data?.recent_anomalies;
  const lastUpdated = props.data?.last_updated;
  const anomalies = useMemo(
    () => withChanges((source ?? []).slice(0, limit), changes, lastUpdated),
    [source, changes, lastUpdated, limit],
  );
  const option = useMemo(() => anomalyTimelineOption(anomalies), [anomalies]);

  const changed = (anomaly: AnomalyJson) => {
    setChanges((previous) =>
      new Map(previous).set(anomaly.id, {
        anomaly,
        changedAt: changeTime(anomaly as AnomalyJson & Record<string, unknown>),
      }),
    );
    props.onChanged();
  };
  const pick = (id: string) => {
    setHighlighted(id);
    document
      .querySelector<HTMLElement>(
        `[data-anomaly-id="${CSS.escape(id)}"] button, [data-anomaly-id="${CSS.escape(id)}"]`,
      )
      ?.focus();
  };

  return (
    <WidgetFrame
      widget={props.widget}
      headingId={props.headingId}
      title="Recent anomalies"
      state={widgetState(props.dataState, anomalies.length === 0)}
      error={props.dataError}
      onRetry={props.onChanged}
      emptyText="No anomalies detected yet."
    >
      <Chart option={option} label="Recent anomalies on a timeline by severity" onItemClick={pick} />
      <ul class="anomaly-list">
        {anomalies.map((anomaly) => (
          <AnomalyRow
            key={anomaly.id}
            anomaly={anomaly}
            api={props.api}
            canWrite={props.canWrite}
            highlighted={highlighted === anomaly.id}
            onChanged={changed}
          />
        ))}
      </ul>
    </WidgetFrame>
  );
}
