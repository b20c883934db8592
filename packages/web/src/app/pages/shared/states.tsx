import type { ComponentChildren } from 'preact';
import './pages.css';
import type { Loaded } from './load.ts';

/**
 * What a page shows instead of its data while loading, when there is nothing, or when loading
 * failed (a 403 says the user may not see it; other errors offer Retry). Renders `children` once
 * the data is there.
 */
export function LoadStates<T>(props: {
  loaded: Loaded<T>;
  empty: string;
  children: (data: T) => ComponentChildren;
}) {
  const { loaded } = props;
  if (loaded.state === 'loading' && loaded.data === undefined) {
    return (
      <p class="state" role="status" aria-live="polite">
        Loading…
      </p>
    );
  }
  if (loaded.state === 'error') {
    if (loaded.forbidden) {
      return (
        <p class="state state-forbidden" role="alert" data-testid="forbidden">
          You do not have permission to see this. {loaded.error}
        </p>
      );
    }
    return (
      <div class="state state-error" role="alert">
        <p>Could not load: {loaded.error}</p>
        <button type="button" class="button small" onClick={loaded.reload}>
          Retry
        </button>
      </div>
    );
  }
  if (loaded.state === 'empty') {
    return (
      <p class="state" role="status">
        {props.empty}
      </p>
    );
  }
  return loaded.data === undefined ? null : props.children(loaded.data);
}

/** A short-lived outcome of an action (success or failure), announced to screen readers. */
export function Notice(props: { notice: { kind: 'ok' | 'error'; text: string } | null }) {
  if (!props.notice) return null;
  return (
    <p role={props.notice.kind === 'error' ? 'alert' : 'status'} class={`notice notice-${props.notice.kind}`}>
      {props.notice.text}
    </p>
  );
}
