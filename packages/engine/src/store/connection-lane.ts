import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * A fixed set of connections lent one piece of work at a time, first come first served: a
 * borrower waits while all are lent.
 */
export class ConnectionLane {
  readonly #idle: DuckDBConnection[];
  readonly #size: number;
  readonly #waiting: ((conn: DuckDBConnection) => void)[] = [];

  constructor(connections: DuckDBConnection[]) {
    this.#idle = [...connections];
    this.#size = connections.length;
  }

  /** Lends a connection to `work` for its whole duration, waiting for one when all are lent. */
  async lend<T>(work: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    const conn =
      this.#idle.pop() ??
      (await new Promise<DuckDBConnection>((resolve) => {
        this.#waiting.push(resolve);
      }));
    try {
      return await work(conn);
    } finally {
      const next = this.#waiting.shift();
      if (next) next(conn);
      else this.#idle.push(conn);
    }
  }

  /** Waits until every connection is back, then closes them all. */
  async close(): Promise<void> {
    while (this.#idle.length < this.#size) {
      await new Promise<void>((resolve) => {
        this.#waiting.push((conn) => {
          this.#idle.push(conn);
          resolve();
        });
      });
    }
    for (const conn of this.#idle) conn.closeSync();
  }
}
