import type { ColumnAxis, RowAxis } from './heatmap-kinds.ts';

/** ISO weekdays 1..7. */
const weekdays = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const shortWeekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A row or column: its stable key and the label a reader sees. */
export interface AxisEntry {
  readonly key: string;
  readonly label: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The ISO 8601 week of a date, `2024-W09` (weeks start on Monday; week 1 holds the year's first
 * Thursday).
 */
export function isoWeekLabel(date: Date): string {
  const thursday = new Date(
    Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 3 - ((date.getUTCDay() + 6) % 7)),
  );
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000)) + 1;
  return `${year}-W${pad(week)}`;
}

/**
 * A row's key and label: a weekday (1..7) is keyed by its ISO number and labelled `Monday`; a
 * service or category is its own key and label, and none (NULL) is keyed `''` and labelled
 * `(no service)` / `(no category)`.
 */
export function rowEntry(axis: RowAxis, value: unknown): AxisEntry {
  if (axis === 'weekday') {
    const n = Number(value);
    return { key: String(n), label: weekdays[n - 1] ?? String(n) };
  }
  if (value === null || value === undefined) return { key: '', label: `(no ${axis})` };
  return { key: String(value), label: String(value) };
}

/**
 * A column's key and label: an hour `0`..`23` labelled `00:00`..`23:00`; a day `2024-03-01`
 * labelled `Fri 01 Mar 2024`; a week keyed by its Monday `2024-02-26` labelled `2024-W09`; a month
 * `2024-03` labelled `Mar 2024`. All UTC.
 */
export function columnEntry(axis: ColumnAxis, value: unknown): AxisEntry {
  if (axis === 'hour_of_day') {
    const hour = Number(value);
    return { key: String(hour), label: `${pad(hour)}:00` };
  }
  const date = value as Date;
  switch (axis) {
    case 'day':
      return {
        key: isoDay(date),
        label: `${shortWeekdays[date.getUTCDay()]} ${pad(date.getUTCDate())} ${months[date.getUTCMonth()]} ${date.getUTCFullYear()}`,
      };
    case 'week':
      return { key: isoDay(date), label: isoWeekLabel(date) };
    case 'month':
      return {
        key: isoDay(date).slice(0, 7),
        label: `${months[date.getUTCMonth()]} ${date.getUTCFullYear()}`,
      };
  }
}
