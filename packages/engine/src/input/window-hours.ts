import { EngineError } from '../errors.ts';

/** Longest window any command or route takes: 10 years of hours. Services may take less. */
export const maxWindowHours = 87_600;

/** The length of a window in hours a text names, or what is wrong with it (a phrase to follow the name). */
export type ParsedWindowHours =
  | { readonly ok: true; readonly hours: number }
  | { readonly ok: false; readonly message: string };

/** How {@link parseWindowHours} reads a window. */
export interface WindowHoursRule {
  /**
   * Whether a fraction of an hour is refused (default true). KPI periods and anomaly series are
   * whole hours; a recurrence window, which only bounds creation times, may be any positive number
   * of hours.
   */
  readonly whole?: boolean;
}

const wholeHours = /^\d+$/;
const decimalHours = /^\d+(\.\d+)?$/;

/**
 * The one rule for a window length given as text (CLI `--time-window`, `serve --anomaly-window`):
 * digits only (no sign, exponent or unit), at least 1 hour (above 0 when fractions are allowed) and
 * at most {@link maxWindowHours}. Surrounding spaces are ignored.
 */
export function parseWindowHours(text: string, rule: WindowHoursRule = {}): ParsedWindowHours {
  const whole = rule.whole ?? true;
  const trimmed = text.trim();
  const hours = Number(trimmed);
  const shapeOk = (whole ? wholeHours : decimalHours).test(trimmed);
  if (!shapeOk || !(whole ? hours >= 1 : hours > 0)) {
    return {
      ok: false,
      message: whole ? 'must be a whole number of hours from 1' : 'must be a positive number of hours',
    };
  }
  if (hours > maxWindowHours) {
    return { ok: false, message: `must be at most ${maxWindowHours} hours (10 years)` };
  }
  return { ok: true, hours };
}

/**
 * {@link parseWindowHours} for an option or parameter named `name`.
 *
 * @throws EngineError VALIDATION_ERROR `<name> must be a whole number of hours from 1, not <text>`.
 */
export function windowHoursOption(name: string, text: string, rule: WindowHoursRule = {}): number {
  const parsed = parseWindowHours(text, rule);
  if (parsed.ok) return parsed.hours;
  throw new EngineError('VALIDATION_ERROR', `${name} ${parsed.message}, not ${text}`, {
    field: name,
    value: text,
  });
}
