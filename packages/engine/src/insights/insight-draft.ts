import type { InsightType } from './insight-record.ts';

/** A serving model as generation reads it from `predictive_models`. */
export interface ServingModel {
  readonly id: string;
  readonly name: string;
  readonly model_type: string;
  readonly version: string;
  readonly config: Readonly<Record<string, unknown>>;
}

/**
 * An insight before it is stored. `key` says what it is about (type, subject, horizon, and for
 * windowed forecasts the window start); `reuse` says when an earlier insight with the same model,
 * version and key stands for it: `same-key` always (a forecast of a fixed window), `while-live`
 * while the earlier one has not expired (a 24-hour risk, which takes in the incidents that turned
 * risky since).
 */
export interface InsightDraft {
  readonly key: string;
  readonly reuse: 'same-key' | 'while-live';
  readonly type: InsightType;
  readonly title: string;
  readonly description: string;
  readonly predictionValue: Readonly<Record<string, unknown>>;
  readonly confidenceScore: number;
  readonly windowStart: Date;
  readonly windowEnd: Date;
  readonly expiresAt: Date;
  readonly relatedIncidents: readonly string[];
  readonly affectedServices: readonly string[];
  readonly recommendations: readonly string[];
}

/** One day in milliseconds. */
export const dayMs = 86_400_000;
/** One hour in milliseconds. */
export const hourMs = 3_600_000;

/** Midnight UTC of the day `at` falls in. */
export function startOfUtcDay(at: Date): Date {
  return new Date(Math.floor(at.getTime() / dayMs) * dayMs);
}

const weekdays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
const months = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/** The UTC weekday's name of an instant ("Monday"). */
export function weekdayOf(at: Date): string {
  return weekdays[at.getUTCDay()] as string;
}

/** A UTC day in words: "Monday 4 March 2024". */
export function dayInWords(at: Date): string {
  return `${weekdayOf(at)} ${at.getUTCDate()} ${months[at.getUTCMonth()]} ${at.getUTCFullYear()}`;
}

/** A count or amount rounded for people: whole below 1,000 with thousands separators above. */
export function roundForPeople(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** A share as a whole percentage: 0.783 → "78%". */
export function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** "1 incident", "3 incidents". */
export function plural(count: number, noun: string): string {
  return `${roundForPeople(count)} ${noun}${Math.round(count) === 1 ? '' : 's'}`;
}
