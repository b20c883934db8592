import type { ComponentChildren } from 'preact';
import type { Api } from '../api.ts';
import { widgetPlacement } from '../dashboards/grid.ts';
import type { DashboardData, WidgetConfig } from '../dashboards/types.ts';
import { Empty, ErrorState, Loading } from '../states.tsx';
import type { LoadState } from '../use-load.ts';

/** What every widget receives from the dashboard view. */
export interface WidgetProps {
  widget: WidgetConfig;
  /** The dashboard's data; `undefined` until it first arrives. */
  data: DashboardData | undefined;
  /** The state of the dashboard's data load. */
  dataState: LoadState;
  dataError: unknown;
  api: Api;
  /** Whether the user may act (acknowledge, resolve): analysts and admins. */
  canWrite: boolean;
  /** Reloads the dashboard's data (after an action). */
  onChanged: () => void;
  /** The id of the widget's heading, for `aria-labelledby`. */
  headingId: string;
}

/** A widget's state from the data's state and whether the widget's own part is empty. Pure. */
export function widgetState(dataState: LoadState, empty: boolean): LoadState {
  if (dataState === 'ready' || dataState === 'empty') return empty ? 'empty' : 'ready';
  return dataState;
}

/**
 * A widget's box on the dashboard grid, with the contract's test hooks (`data-testid="widget"`,
 * `data-widget-type`, `data-state`), its heading, and the loading, empty and error states in place
 * of its content.
 */
export function WidgetFrame(props: {
  widget: WidgetConfig;
  headingId: string;
  title: string;
  state: LoadState;
  error?: unknown;
  onRetry?: () => void;
  emptyText: string;
  tools?: ComponentChildren;
  children?: ComponentChildren;
}) {
  return (
    <section
      class={`widget widget-${props.widget.type}`}
      data-testid="widget"
      data-widget-type={props.widget.type}
      data-state={props.state}
      aria-labelledby={props.headingId}
      aria-busy={props.state === 'loading'}
      style={widgetPlacement(props.widget)}
    >
      <header class="widget-header">
        <h2 id={props.headingId}>{props.widget.title ?? props.title}</h2>
        {props.tools}
      </header>
      <div class="widget-body">
        {props.state === 'loading' ? <Loading /> : null}
        {props.state === 'error' ? (
          <ErrorState error={props.error} {...(props.onRetry ? { onRetry: props.onRetry } : {})} />
        ) : null}
        {props.state === 'empty' ? <Empty>{props.emptyText}</Empty> : null}
        {props.state === 'ready' ? props.children : null}
      </div>
    </section>
  );
}
