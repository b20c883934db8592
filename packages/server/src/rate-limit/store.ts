/** The state of one key's window after a hit. */
export interface WindowState {
  /** Hits in the current window, this one included. */
  readonly count: number;
  /** When the window ends (ms since the epoch). */
  readonly resetAt: number;
}

/**
 * Where rate-limit counters live. The in-memory store serves one process; a shared store (Redis,
 * a database) implements the same method to limit across several.
 */
export interface RateLimitStore {
  /**
   * Counts one hit of `key` in a fixed window of `windowMs` that starts at the key's first hit
   * (and restarts at the first hit after it ends).
   */
  hit(key: string, windowMs: number, now: number): WindowState | Promise<WindowState>;
}

/** Fixed windows in a Map; expired windows are swept at most once a window length. */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  private nextSweep = 0;

  hit(key: string, windowMs: number, now: number): WindowState {
    if (now >= this.nextSweep) this.sweep(now, windowMs);
    const id = `${windowMs}:${key}`;
    let window = this.windows.get(id);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + windowMs };
      this.windows.set(id, window);
    }
    window.count += 1;
    return { count: window.count, resetAt: window.resetAt };
  }

  private sweep(now: number, windowMs: number): void {
    for (const [id, window] of this.windows) if (window.resetAt <= now) this.windows.delete(id);
    this.nextSweep = now + windowMs;
  }
}
