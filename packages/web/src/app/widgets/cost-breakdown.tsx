import { useMemo } from 'preact/hooks';
import { costBreakdownOption } from '../../charts/index.ts';
import { Chart } from './chart.tsx';
import { costsEmpty } from './cost-summary.tsx';
import { WidgetFrame, type WidgetProps, widgetState } from './frame.tsx';

/** `cost_breakdown`: the cost summary's parts (downtime, lost revenue, penalties, resources) as bars. */
export function CostBreakdownWidget(props: WidgetProps) {
  const summary = props.data?.cost_summary;
  const option = useMemo(() => costBreakdownOption(summary), [summary]);
  return (
    <WidgetFrame
      widget={props.widget}
      headingId={props.headingId}
      title="Cost breakdown"
      state={widgetState(props.dataState, costsEmpty(summary))}
      error={props.dataError}
      onRetry={props.onChanged}
      emptyText="No costs yet: they need a cost model and are calculated every hour."
    >
      <Chart option={option} label="Incident costs by part" />
    </WidgetFrame>
  );
}
