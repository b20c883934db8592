import type { ComponentChildren } from 'preact';
import { ApiError } from './api.ts';

/** "Loading ..." for a part of the page that waits for the API. */
export function Loading(props: { what?: string }) {
  return (
    <p class="state state-loading" role="status" aria-live="polite">
      Loading{props.what ? ` ${props.what}` : ''}…
    </p>
  );
}

/** A part of the page with nothing to show yet, and what would fill it. */
export function Empty(props: { children: ComponentChildren }) {
  return <p class="state state-empty">{props.children}</p>;
}

/** Whether an error is the API's 403. */
function isForbidden(error: unknown): boolean {
  return error instanceof ApiError && error.status === 403;
}

/** Whether an error is the API's 404. */
function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}

/** A sentence for an error: forbidden, not found, the server unreachable, or the API's message. */
export function errorMessage(error: unknown): string {
  if (isForbidden(error)) return 'You do not have permission to see or change this.';
  if (isNotFound(error)) return 'Not found, or not visible to you.';
  if (error instanceof ApiError && error.status === 0) return 'The server could not be reached. Try again.';
  if (error instanceof Error) return error.message;
  return String(error);
}

/** An error shown in place of what failed, with a retry button when given one. */
export function ErrorState(props: { error: unknown; onRetry?: () => void }) {
  const forbidden = isForbidden(props.error);
  return (
    <div
      class={forbidden ? 'state state-forbidden' : 'state state-error'}
      role="alert"
      data-error={forbidden ? 'forbidden' : 'error'}
    >
      <p>{errorMessage(props.error)}</p>
      {props.onRetry && !forbidden ? (
        <button type="button" class="button" onClick={props.onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
