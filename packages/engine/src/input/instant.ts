import { EngineError } from '../errors.ts';
import { parseInstant } from '../schema/dates.ts';

/**
 * The instant an option or parameter named `name` gives, read by {@link parseInstant}: ISO 8601,
 * and a date-time without a zone (`2024-01-01T02:00`) is UTC, whatever the machine's time zone.
 * The CLI's `--end` and the API's dates read the same text as the same instant.
 *
 * @throws EngineError VALIDATION_ERROR naming `name` and the text, e.g. `--end must be an ISO 8601
 *   date (YYYY-MM-DD) or date-time (...), not soon` or `--end 2024-02-30 has day 30, but 2024-02
 *   has days 01 to 29`.
 */
export function instantOption(name: string, text: string): Date {
  const parsed = parseInstant(text);
  if (parsed.ok) return parsed.date;
  const message = parsed.message.startsWith('must ')
    ? `${name} ${parsed.message}, not ${text}`
    : `${name} ${text} ${parsed.message}`;
  throw new EngineError('VALIDATION_ERROR', message, { field: name, value: text });
}
