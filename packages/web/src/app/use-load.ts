import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

/** What a load is at: the contract's `data-state` values. */
export type LoadState = 'loading' | 'ready' | 'empty' | 'error';

/** A load's result: its state, data (kept while a reload runs), error and a reload function. */
export interface Loaded<T> {
  state: LoadState;
  data: T | undefined;
  error: unknown;
  /** Loads again; the data shown stays until the new data arrives. */
  reload: () => Promise<void>;
}

/**
 * Runs `load` when `key` changes and on `reload()`. `isEmpty` decides the `empty` state. A load
 * that ends after a newer one started is dropped.
 */
export function useLoad<T>(
  load: () => Promise<T>,
  key: string,
  isEmpty: (data: T) => boolean = () => false,
): Loaded<T> {
  const [result, setResult] = useState<{ state: LoadState; data: T | undefined; error: unknown }>({
    state: 'loading',
    data: undefined,
    error: null,
  });
  const generation = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const emptyRef = useRef(isEmpty);
  emptyRef.current = isEmpty;

  const run = useCallback(async () => {
    const mine = ++generation.current;
    try {
      const data = await loadRef.current();
      if (mine === generation.current) {
        setResult({ state: emptyRef.current(data) ? 'empty' : 'ready', data, error: null });
      }
    } catch (error) {
      if (mine === generation.current) setResult((previous) => ({ ...previous, state: 'error', error }));
    }
  }, []);

  useEffect(() => {
    setResult({ state: 'loading', data: undefined, error: null });
    void run();
  }, [key, run]);

  return { ...result, reload: run };
}
