import { digestsEqual } from './secrets.ts';
import type { User } from './types.ts';

/** A token verified against the store: enough to accept it again without a query. */
export interface VerifiedToken {
  readonly tokenId: string;
  readonly digest: string;
  readonly user: User;
  readonly expiresAt: Date | null;
  lastUsedAt: Date | null;
  /** When it was read from the store (ms, engine clock). */
  readonly checkedAt: number;
}

/**
 * Recently verified API tokens, found by their clear prefix and matched by digest in constant time.
 * Entries live `ttlMs`; the service clears the cache whenever a token or user changes. Only this
 * process can write the database file (DuckDB holds a lock), so those clears see every change.
 */
export class TokenCache {
  private readonly byPrefix = new Map<string, VerifiedToken[]>();

  constructor(private readonly ttlMs = 10_000) {}

  /** The fresh entry for this prefix and digest, if any. */
  find(prefix: string, digest: string, now: number): VerifiedToken | undefined {
    const entries = this.byPrefix.get(prefix);
    if (!entries) return undefined;
    const fresh = entries.filter((e) => now - e.checkedAt < this.ttlMs);
    if (fresh.length === 0) this.byPrefix.delete(prefix);
    else if (fresh.length !== entries.length) this.byPrefix.set(prefix, fresh);
    return fresh.find((e) => digestsEqual(e.digest, digest));
  }

  /** Remembers a verified token. */
  put(prefix: string, entry: VerifiedToken): void {
    if (this.byPrefix.size > 10_000) this.byPrefix.clear();
    const others = (this.byPrefix.get(prefix) ?? []).filter((e) => e.tokenId !== entry.tokenId);
    this.byPrefix.set(prefix, [...others, entry]);
  }

  /** Forgets everything (after a revocation or a change to a user). */
  clear(): void {
    this.byPrefix.clear();
  }
}
