import type { Page } from '@incident-insights/engine';
import type { Context, TypedResponse } from 'hono';
import type { JSONParsed } from 'hono/utils/types';
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
  return toJson({ ...links(c, page), results: page.results.map(serialize) });
}

/** The count and the `next`/`previous` links of a {@link PaginatedBody}. */
function links(c: Context, page: Page<unknown>): Omit<PaginatedBody<never>, 'results'> {
  const link = (target: number): string => {
    const url = new URL(c.req.url);
    if (target <= 1) url.searchParams.delete('page');
    else url.searchParams.set('page', String(target));
    return url.toString();
  };
  const hasNext = page.page * page.pageSize < page.count;
  return {
    count: page.count,
    next: hasNext ? link(page.page + 1) : null,
    previous: page.page > 1 ? link(page.page - 1) : null,
  };
}

/** The JSON text of frozen results, by results array and serializer: each written once. */
const resultsJson = new WeakMap<readonly unknown[], Map<(item: never) => unknown, string>>();

/**
 * The same body as `c.json(paginated(c, page, serialize))`, for a `serialize` whose output depends
 * on nothing but its item (`toJson`, say). When the page's `results` are frozen (an engine page
 * shared until the next write, see the engine's `listPage`), their JSON text is written once per
 * results array and serializer, and each later request only writes the count and the links.
 */
export function paginatedJson<T, U = T>(
  c: Context,
  page: Page<T>,
  serialize: (item: T) => U,
): Response & TypedResponse<JSONParsed<PaginatedBody<U>>, 200, 'json'> {
  const head = JSON.stringify(links(c, page));
  const results = page.results;
  let text = Object.isFrozen(results) ? resultsJson.get(results)?.get(serialize) : undefined;
  if (text === undefined) {
    text = JSON.stringify(toJson(results.map(serialize)));
    if (Object.isFrozen(results)) {
      const bySerializer = resultsJson.get(results) ?? new Map();
      bySerializer.set(serialize, text);
      resultsJson.set(results, bySerializer);
    }
  }
  const body = `${head.slice(0, -1)},"results":${text}}`;
  // Typed as `c.json` types it: the text is that object's JSON.
  return c.body(body, 200, { 'Content-Type': 'application/json' }) as unknown as Response &
    TypedResponse<JSONParsed<PaginatedBody<U>>, 200, 'json'>;
}
