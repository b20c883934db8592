/** Options of the engine's worker pool. */
export interface WorkerPoolOptions {
  /** Worker threads; defaults to the available cores. */
  readonly threads?: number;
  /** Milliseconds an idle worker lives. */
  readonly idleTimeoutMs?: number;
}

/** The engine's pool of worker threads (Piscina). */
export class WorkerPool {
  constructor(readonly options: WorkerPoolOptions = {}) {}

  /** Ends every worker. */
  async close(): Promise<void> {}
}
