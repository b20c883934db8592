import { useMemo, useState } from 'preact/hooks';
import { formatInstant, humanize, type PredictiveInsightJson } from '../../charts/index.ts';
import { errorMessage } from '../states.tsx';
import { WidgetFrame, type WidgetProps, widgetState } from './frame.tsx';

/** The insights a widget lists: of its `insight_type` when it names one, at most `limit`. Pure. */
export function widgetInsights(
  insights: readonly PredictiveInsightJson[] | undefined,
  options: { insight_type?: string; limit?: number } | undefined,
): PredictiveInsightJson[] {
  const type = options?.insight_type;
  return (insights ?? []).filter((i) => !type || i.insight_type === type).slice(0, options?.limit ?? 10);
}

/** `recent_insights`: the latest insights, each with an Acknowledge button until acknowledged. */
export function RecentInsightsWidget(props: WidgetProps) {
  const [acknowledged, setAcknowledged] = useState<ReadonlySet<string>>(new Set());
  const [errors, setErrors] = useState<ReadonlyMap<string, string>>(new Map());
  const source = props.data?.recent_insights;
  const insights = useMemo(
    () => widgetInsights(source, props.widget.options),
    [source, props.widget.options],
  );

  const acknowledge = async (id: string) => {
    try {
      await props.api.post(`/api/analytics/predictive-insights/${encodeURIComponent(id)}/acknowledge/`);
      setAcknowledged((previous) => new Set(previous).add(id));
      props.onChanged();
    } catch (caught) {
      setErrors((previous) => new Map(previous).set(id, errorMessage(caught)));
    }
  };

  return (
    <WidgetFrame
      widget={props.widget}
      headingId={props.headingId}
      title="Recent insights"
      state={widgetState(props.dataState, insights.length === 0)}
      error={props.dataError}
      onRetry={props.onChanged}
      emptyText="No insights yet: they are produced every hour once models are trained."
    >
      <ul class="insight-list">
        {insights.map((insight) => {
          const done = insight.is_acknowledged === true || acknowledged.has(insight.id);
          const titleId = `insight-${insight.id}`;
          return (
            <li key={insight.id} class="insight" data-insight-id={insight.id}>
              <div class="insight-head">
                <span id={titleId} class="insight-title">
                  {insight.title}
                </span>
                {insight.confidence_level ? (
                  <span class="badge">{humanize(insight.confidence_level)} confidence</span>
                ) : null}
              </div>
              <p class="muted">
                {humanize(insight.insight_type)} ·{' '}
                <time dateTime={insight.predicted_at}>{formatInstant(insight.predicted_at)}</time>
              </p>
              {insight.description ? <p>{insight.description}</p> : null}
              {done ? (
                <p class="acknowledged">✓ Acknowledged</p>
              ) : props.canWrite ? (
                <button
                  type="button"
                  class="button small"
                  aria-describedby={titleId}
                  onClick={() => void acknowledge(insight.id)}
                >
                  Acknowledge
                </button>
              ) : null}
              {errors.get(insight.id) ? (
                <p class="field-error" role="alert">
                  {errors.get(insight.id)}
                </p>
              ) : null}
            </li>
          );
        })}
      </ul>
    </WidgetFrame>
  );
}
