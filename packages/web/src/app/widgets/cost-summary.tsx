import { type CostSummaryJson, formatNumber } from '../../charts/index.ts';
import { WidgetFrame, type WidgetProps, widgetState } from './frame.tsx';
import { decimal } from './kpi-tile.tsx';
import { StatList } from './stat-list.tsx';

/** An amount with its currency: `12,345.00 USD`. Pure. */
function money(amount: string, currency: string): string {
  const value = decimal(amount);
  return value === null ? '–' : `${formatNumber(value, 2)} ${currency}`;
}

/** Whether a cost summary has nothing to show (no cost model, or nothing costed yet). Pure. */
export function costsEmpty(summary: CostSummaryJson | null | undefined): boolean {
  return !summary || (decimal(summary.total_cost) ?? 0) === 0;
}

/** `cost_summary`: total cost, downtime, affected users, cost per hour and per user. */
export function CostSummaryWidget(props: WidgetProps) {
  const summary = props.data?.cost_summary;
  return (
    <WidgetFrame
      widget={props.widget}
      headingId={props.headingId}
      title="Incident costs"
      state={widgetState(props.dataState, costsEmpty(summary))}
      error={props.dataError}
      onRetry={props.onChanged}
      emptyText="No costs yet: they need a cost model and are calculated every hour."
    >
      {summary ? (
        <StatList
          stats={[
            { label: 'Total cost', value: money(summary.total_cost, summary.currency) },
            { label: 'Downtime', value: `${formatNumber(decimal(summary.total_downtime_hours) ?? 0, 1)} h` },
            { label: 'Affected users', value: formatNumber(summary.total_affected_users, 0) },
            { label: 'Cost per hour', value: money(summary.cost_per_hour, summary.currency) },
            { label: 'Cost per user', value: money(summary.cost_per_user, summary.currency) },
          ]}
        />
      ) : null}
    </WidgetFrame>
  );
}
