import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../api.ts';

/** The `data-state` of a page or section: the contract's test hook. */
type LoadState = 'loading' | 'ready' | 'empty' | 'error';

/** What {@link useLoad} gives: the state, the data once loaded, and why it failed. */
export interface Loaded<T> {
  readonly state: LoadState;
  readonly data: T | undefined;
  /** The failure in words; null unless `state` is `error`. */
  readonly error: string | null;
  /** Whether the failure is a 403: the user may not see this. */
  readonly forbidden: boolean;
  /** Loads again (after an action, or from the Retry button). */
  readonly reload: () => void;
}

/** The message of any failure, the API's own when it gave one. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError)
    return error.status === 0 ? 'The server could not be reached.' : error.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Loads data for a page: `load` runs again whenever one of `keys` changes, and an answer that
 * arrives after a newer request started is dropped. `isEmpty` decides the `empty` state.
 */
export function useLoad<T>(
  load: () => Promise<T>,
  isEmpty: (data: T) => boolean,
  keys: unknown[],
): Loaded<T> {
  const [result, setResult] = useState<Omit<Loaded<T>, 'reload'>>({
    state: 'loading',
    data: undefined,
    error: null,
    forbidden: false,
  });
  const [round, setRound] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    const request = ++latest.current;
    setResult((previous) => ({ ...previous, state: 'loading', error: null, forbidden: false }));
    load().then(
      (data) => {
        if (request !== latest.current) return;
        setResult({ state: isEmpty(data) ? 'empty' : 'ready', data, error: null, forbidden: false });
      },
      (error: unknown) => {
        if (request !== latest.current) return;
        const forbidden = error instanceof ApiError && error.status === 403;
        setResult({ state: 'error', data: undefined, error: messageOf(error), forbidden });
      },
    );
  }, [...keys, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { ...result, reload };
}
