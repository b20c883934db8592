/**
 * Cooperative time slicing for long main-thread work in a process that also answers requests:
 * `await slice.pause()` inside a loop gives the event loop a turn once the current stretch has run
 * for `budgetMs`, and costs one clock read otherwise. A server sharing the process then waits at
 * most about one budget for its turn, however long the loop runs.
 */
export class TimeSlice {
  #since = performance.now();

  /** @param budgetMs Longest stretch of work between two turns of the event loop (default 8 ms). */
  constructor(private readonly budgetMs = 8) {}

  /** Yields to the event loop when the current stretch has used its budget. */
  async pause(): Promise<void> {
    if (performance.now() - this.#since < this.budgetMs) return;
    await yieldToEventLoop();
    this.#since = performance.now();
  }
}

/** Resolves after the event loop has had a turn (I/O callbacks, timers, other promises). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * The values of a column, decoded (Arrow `Vector.get`) in stretches of at most one slice each: a
 * string column of 10⁵ values decodes in tens of milliseconds, too long for one turn.
 */
export async function slicedValues<T>(
  column: { readonly length: number; get(index: number): T | null } | null | undefined,
  slice: TimeSlice,
): Promise<T[]> {
  const values: T[] = [];
  if (!column) return values;
  for (let i = 0; i < column.length; i++) {
    const value = column.get(i);
    if (value !== null) values.push(value);
    if ((i & 1023) === 1023) await slice.pause();
  }
  return values;
}
