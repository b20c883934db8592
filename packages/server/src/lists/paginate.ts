import type { Page } from '@incident-insights/engine';
import type { Context } from 'hono';
import { toJson } from '../json.ts';

/** The spec's (and Django REST Framework's) paginated list body. */
export interface PaginatedBody<T> {
  readonly count: number;
  /** Absolute URL of the next page, keeping the other query parameters; null on the last page. */
  readonly next: string | null;
  /** Absolute URL of the previous page; null on the first. As in DRF, page 1's link has no `page`. */
  readonly previous: string | null;
  readonly results: T[];
}

/**
 * Builds the paginated body of an engine {@link Page}, with absolute `next`/`previous` links
 * derived from this request's URL. `serialize` maps each result (default: as is); the body is made
 * JSON-safe (bigints become numbers).
 */
export function paginated<T, U = T>(
  c: Context,
  page: Page<T>,
  serialize: (item: T) => U = (item) => item as unknown as U,
): PaginatedBody<U> {
  const link = (target: number): string => {
    const url = new URL(c.req.url);
    if (target <= 1) url.searchParams.delete('page');
    else url.searchParams.set('page', String(target));
    return url.toString();
  };
  const hasNext = page.page * page.pageSize < page.count;
  return toJson({
    count: page.count,
    next: hasNext ? link(page.page + 1) : null,
    previous: page.page > 1 ? link(page.page - 1) : null,
    results: page.results.map(serialize),
  });
}
