/**
 * The one parser of instants both shells read, in query parameters, bodies and options alike (the
 * HTTP server's filters and bodies, the messages of the incident schema, the CLI's `--end` through
 * `instantOption`): an ISO 8601 date (`2026-02-28`, midnight UTC) or date-time (`2026-02-28T10:30`,
 * `...:15.250Z`, `...+02:00`). A date-time without a zone is UTC, never the machine's local time,
 * so the same text names the same instant under any `TZ`. Each part is checked against the
 * calendar and the clock, so that `2026-02-30` or `10:61` is refused rather than rolled over into
 * the next month or hour.
 */

const pattern =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-](\d{2}):?(\d{2}))?)?$/i;

/** The instant a text names, or what is wrong with it (a phrase to follow the parameter's name). */
export type ParsedInstant =
  | { readonly ok: true; readonly date: Date }
  | { readonly ok: false; readonly message: string };

const shape = 'must be an ISO 8601 date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM])';

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Parses `text` as described above. Surrounding spaces are ignored. */
export function parseInstant(text: string): ParsedInstant {
  const match = pattern.exec(text.trim());
  if (!match) return { ok: false, message: shape };
  const [, y, mo, d, h, mi, s, fraction, zone, zoneHours, zoneMinutes] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12) return { ok: false, message: `has month ${mo}, which is not 01 to 12` };
  const lastDay = daysInMonth(year, month);
  if (day < 1 || day > lastDay) {
    return { ok: false, message: `has day ${d}, but ${y}-${mo} has days 01 to ${lastDay}` };
  }
  const hour = Number(h ?? 0);
  const minute = Number(mi ?? 0);
  const second = Number(s ?? 0);
  if (hour > 23) return { ok: false, message: `has hour ${h}, which is not 00 to 23` };
  if (minute > 59) return { ok: false, message: `has minute ${mi}, which is not 00 to 59` };
  if (second > 59) return { ok: false, message: `has second ${s}, which is not 00 to 59` };
  let offsetMinutes = 0;
  if (zone && zone.toUpperCase() !== 'Z') {
    const zh = Number(zoneHours);
    const zm = Number(zoneMinutes);
    if (zh > 23 || zm > 59) return { ok: false, message: `has offset ${zone}, which is not a UTC offset` };
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (zh * 60 + zm);
  }
  const millis = fraction ? Number(fraction.slice(0, 3).padEnd(3, '0')) : 0;
  // setUTCFullYear, unlike Date.UTC, keeps years 0..99 as written.
  const wall = new Date(0);
  wall.setUTCFullYear(year, month - 1, day);
  wall.setUTCHours(hour, minute, second, millis);
  const date = new Date(wall.getTime() - offsetMinutes * 60_000);
  return { ok: true, date };
}

/** Whether `text` is a date alone (`YYYY-MM-DD`), which some filters read as the whole day. */
export function isDateOnly(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text.trim());
}
