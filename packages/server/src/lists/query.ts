import { z } from '@hono/zod-openapi';
import { defaultPageSize, type ListRequest, maxPageSize } from '@incident-insights/engine';

const trueWords = new Set(['true', 'True', '1', 'yes']);
const falseWords = new Set(['false', 'False', '0', 'no']);

/**
 * Query-parameter schemas for list filters. Each parses the text of one parameter and fails with
 * a message that the router turns into a 400 naming the parameter. All are optional.
 */
export const q = {
  /** Free text (trimmed; empty means absent). */
  text: () =>
    z
      .string()
      .trim()
      .max(500)
      .optional()
      .transform((v) => (v ? v : undefined)),

  /** One value of a fixed set, e.g. `severity=HIGH`. */
  oneOf: <const T extends readonly [string, ...string[]]>(values: T) =>
    z.enum(values, { error: `must be one of ${values.join(', ')}` }).optional(),

  /** One or more values of a fixed set, comma-separated: `severity=HIGH,CRITICAL` → `['HIGH','CRITICAL']`. */
  anyOf: <const T extends readonly [string, ...string[]]>(values: T) =>
    z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined || v === '') return undefined;
        const list = v.split(',').map((s) => s.trim());
        const bad = list.find((s) => !values.includes(s));
        if (bad !== undefined) {
          ctx.addIssue({ code: 'custom', message: `${bad} is not one of ${values.join(', ')}` });
          return z.NEVER;
        }
        return list as T[number][];
      })
      .openapi({ type: 'string', description: `Comma-separated; each one of ${values.join(', ')}` }),

  /** `true`/`false` (also `1`/`0`, `yes`/`no`, `True`/`False`). */
  boolean: () =>
    z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined || v === '') return undefined;
        if (trueWords.has(v)) return true;
        if (falseWords.has(v)) return false;
        ctx.addIssue({ code: 'custom', message: 'must be true or false' });
        return z.NEVER;
      })
      .openapi({ type: 'boolean' }),

  /** An ISO 8601 date-time (with `Z` or an offset; none means UTC) or a date (midnight UTC). */
  date: () =>
    z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined || v === '') return undefined;
        const iso = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;
        const date = iso.test(v)
          ? new Date(v.length === 10 || /(Z|[+-]\d{2}:?\d{2})$/i.test(v) ? v : `${v}Z`)
          : new Date(Number.NaN);
        if (Number.isNaN(date.getTime())) {
          ctx.addIssue({ code: 'custom', message: 'must be an ISO 8601 date or date-time' });
          return z.NEVER;
        }
        return date;
      })
      .openapi({ type: 'string', format: 'date-time' }),

  /** A number (e.g. `min_confidence=0.8`), optionally bounded. */
  number: (min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY) =>
    z.coerce.number({ error: 'must be a number' }).min(min).max(max).optional(),

  /** A UUID (e.g. `metric_id`). */
  uuid: () => z.uuid({ error: 'must be a UUID' }).optional(),
};

/**
 * The parameters every list accepts. `page_size` above 100 is clamped to 100 (not refused), as
 * Django REST Framework's `max_page_size` does.
 */
export const listParams = {
  page: z.coerce
    .number({ error: 'must be a whole number' })
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be 1 or more' })
    .optional()
    .openapi({ description: 'Page number, from 1 (default 1)', type: 'integer' }),
  page_size: z.coerce
    .number({ error: 'must be a whole number' })
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be 1 or more' })
    .optional()
    .transform((v) => (v === undefined ? undefined : Math.min(v, maxPageSize)))
    .openapi({
      description: `Items a page (default ${defaultPageSize}, at most ${maxPageSize}; larger values are clamped)`,
      type: 'integer',
    }),
  ordering: z
    .string()
    .max(200)
    .optional()
    .openapi({ description: 'Comma-separated fields, `-` for descending, e.g. `-created_at`' }),
  search: z.string().max(500).optional().openapi({ description: 'Text to look for in the text fields' }),
};

/** The query schema of a list route: {@link listParams} plus the resource's filters. */
export function listQuery<T extends Record<string, z.ZodType>>(filters: T) {
  return z.object({ ...listParams, ...filters });
}

/**
 * Splits a validated list query into the engine's {@link ListRequest}: paging, ordering and search,
 * and every other (defined) parameter as a filter of the same name.
 */
export function toListRequest(
  query: {
    page?: number | undefined;
    page_size?: number | undefined;
    ordering?: string | undefined;
    search?: string | undefined;
  } & Record<string, unknown>,
): ListRequest {
  const filters: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    if (key in listParams || value === undefined) continue;
    filters[key] = value;
  }
  return {
    page: query.page ?? 1,
    pageSize: query.page_size ?? defaultPageSize,
    ordering: query.ordering,
    search: query.search,
    filters,
  };
}
