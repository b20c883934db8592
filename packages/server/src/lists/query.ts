import { z } from '@hono/zod-openapi';
import {
  defaultPageSize,
  isDateOnly,
  type ListRequest,
  maxPageSize,
  parseInstant,
} from '@incident-insights/engine';

/** The spellings a boolean parameter accepts, in any letter case; its error message lists them. */
const booleanSpellings = { true: ['true', '1', 'yes'], false: ['false', '0', 'no'] } as const;
const trueWords: ReadonlySet<string> = new Set(booleanSpellings.true);
const falseWords: ReadonlySet<string> = new Set(booleanSpellings.false);
const booleanMessage = 'must be true or false (also 1 or 0, yes or no; any letter case)';

/** A plain decimal number: `0.8`, `-3`, `1e-3`; not `0x10`, `Infinity` or spaces. */
const decimal = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** The allowed range as words: "between 0 and 1", "1 or more", "100 or less", or "" when unbounded. */
function rangePhrase(min: number, max: number): string {
  if (Number.isFinite(min) && Number.isFinite(max)) return `between ${min} and ${max}`;
  if (Number.isFinite(min)) return `${min} or more`;
  if (Number.isFinite(max)) return `${max} or less`;
  return '';
}

/** Parses a date text for a zod transform: the `Date`, or an issue saying what is wrong. */
function toInstant(text: string, ctx: { addIssue(issue: { code: 'custom'; message: string }): void }): Date {
  const parsed = parseInstant(text);
  if (parsed.ok) return parsed.date;
  ctx.addIssue({ code: 'custom', message: parsed.message });
  return z.NEVER;
}

/** A zod schema of a date text in a body, parsed by {@link parseInstant} as query dates are; gives a `Date`. */
export function instant() {
  return z
    .string()
    .transform((v, ctx) => toInstant(v, ctx))
    .openapi({ type: 'string', format: 'date-time' });
}

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

  /** `true`/`false`, also `1`/`0` and `yes`/`no`, in any letter case (Python's `True` works); nothing else. */
  boolean: () =>
    z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined || v === '') return undefined;
        const word = v.trim().toLowerCase();
        if (trueWords.has(word)) return true;
        if (falseWords.has(word)) return false;
        ctx.addIssue({ code: 'custom', message: booleanMessage });
        return z.NEVER;
      })
      .openapi({ type: 'boolean', description: 'true, 1 or yes; false, 0 or no (any letter case)' }),

  /**
   * An ISO 8601 date-time (with `Z` or an offset; none means UTC) or a date (midnight UTC); an
   * impossible one (`2026-02-30`, `T24:61`) is refused. See {@link parseInstant}.
   */
  date: () =>
    z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined || v === '') return undefined;
        return toInstant(v, ctx);
      })
      .openapi({ type: 'string', format: 'date-time' }),

  /**
   * A date or date-time checked like {@link q.date} but passed on as the text given, for filters
   * that read a date alone as the whole day.
   */
  dateText: (description: string) =>
    z
      .string()
      .max(40)
      .optional()
      .transform((v, ctx) => {
        if (v === undefined || v.trim() === '') return undefined;
        const date = toInstant(v, ctx);
        if (!(date instanceof Date)) return z.NEVER;
        return isDateOnly(v) ? v.trim() : date.toISOString();
      })
      .openapi({ type: 'string', description }),

  /**
   * A number (e.g. `min_confidence=0.8`), optionally bounded; out of bounds says so
   * ("must be between 0 and 1"). Empty means absent.
   */
  number: (min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY) =>
    z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined || v.trim() === '') return undefined;
        const text = v.trim();
        const value = Number(text);
        if (!decimal.test(text) || !Number.isFinite(value)) {
          const range = rangePhrase(min, max);
          ctx.addIssue({ code: 'custom', message: `must be a number${range ? `, ${range}` : ''}` });
          return z.NEVER;
        }
        if (value < min || value > max) {
          ctx.addIssue({ code: 'custom', message: `must be ${rangePhrase(min, max)}` });
          return z.NEVER;
        }
        return value;
      })
      .openapi({
        type: 'number',
        ...(Number.isFinite(min) ? { minimum: min } : {}),
        ...(Number.isFinite(max) ? { maximum: max } : {}),
      }),

  /** A UUID (e.g. `metric_id`). */
  uuid: () => z.uuid({ error: 'must be a UUID' }).optional(),
};

/**
 * The parameters every list accepts. `page_size` above 100 is clamped to 100 (not refused), as
 * Django REST Framework's `max_page_size` does.
 */
const listParams = {
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

/**
 * The query schema of a list route: {@link listParams} plus the resource's filters. It is strict:
 * an unknown parameter (a typo such as `severty=HIGH`) is a 400 naming it, not a filter ignored.
 */
export function listQuery<T extends Record<string, z.ZodType>>(filters: T) {
  return z.strictObject({ ...listParams, ...filters });
}

/**
 * Splits a validated list query into the engine's {@link ListRequest}: paging, ordering and search,
 * and every other (defined) parameter as a filter of the same name.
 */
export function toListRequest<Filters extends object = Record<string, unknown>>(
  query: {
    page?: number | undefined;
    page_size?: number | undefined;
    ordering?: string | undefined;
    search?: string | undefined;
  } & Record<string, unknown>,
): ListRequest<Filters> {
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
    // The route's query schema has parsed each filter, so they are what the engine's list takes.
    filters: filters as Filters,
  };
}
