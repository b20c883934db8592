import { formatNumber, type KpiSummaryItemJson, withUnit } from '../../charts/index.ts';

const arrows = { up: '▲', down: '▼', stable: '▶' } as const;

/** A decimal string as a number; `null` for none or not a number. Pure. */
export function decimal(text: string | null | undefined): number | null {
  if (text === null || text === undefined || text === '') return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

/** The trend in words and as an arrow: "up 12.5%", "▲". Pure. */
export function trendText(
  item: Pick<KpiSummaryItemJson, 'trend' | 'trend_percentage'>,
): { arrow: string; words: string } | null {
  if (!item.trend) return null;
  const percentage = decimal(item.trend_percentage);
  const amount = percentage === null ? '' : ` ${formatNumber(Math.abs(percentage), 1)}%`;
  return {
    arrow: arrows[item.trend],
    words: item.trend === 'stable' ? `stable${amount}` : `${item.trend}${amount}`,
  };
}

/**
 * One KPI as a tile (`data-testid="kpi-tile"`): its name, current value with unit, the trend arrow
 * and percentage against the previous period, and whether its target is met (in words, not only
 * in colour).
 */
export function KpiTile(props: { item: KpiSummaryItemJson }) {
  const { item } = props;
  const value = decimal(item.current_value);
  const trend = trendText(item);
  const target = decimal(item.target_value);
  return (
    <div class="kpi-tile" data-testid="kpi-tile" data-metric-type={item.metric_type}>
      <div class="kpi-name">{item.metric_name}</div>
      <div class="kpi-value">{value === null ? 'No value' : withUnit(value, item.unit)}</div>
      {trend ? (
        <div class={`kpi-trend trend-${item.trend}`}>
          <span aria-hidden="true">{trend.arrow}</span> {trend.words}
        </div>
      ) : (
        <div class="kpi-trend muted">No trend yet</div>
      )}
      {item.target_met === null || target === null ? null : (
        <div class={item.target_met ? 'kpi-target met' : 'kpi-target missed'}>
          {item.target_met ? '✓ Target met' : '✗ Target missed'} ({withUnit(target, item.unit)})
        </div>
      )}
    </div>
  );
}
