import { EngineError } from '../errors.ts';

/**
 * Exact money arithmetic in integer minor units (cents) held as `bigint`: no binary floats ever
 * touch an amount. Rounding is half-up (half away from zero; every amount here is non-negative),
 * applied once per computed figure, at the end of its formula.
 */

const decimalPattern = /^\d{1,16}(\.\d{1,6})?$/;

/**
 * A non-negative decimal given as text (`"1250.5"`) or a safe number, scaled to an integer with
 * `decimals` places (`scaled("12.345", 6)` = 12345000n). More places than `decimals` are refused,
 * never rounded silently.
 *
 * @throws EngineError VALIDATION_ERROR naming `field` when the value is not such a decimal.
 */
export function scaled(value: unknown, decimals: number, field: string): bigint {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== 'string' || !decimalPattern.test(text.trim())) {
    throw new EngineError('VALIDATION_ERROR', `${field} must be a non-negative decimal such as "1250.00"`, {
      field,
      value: value as never,
    });
  }
  const [whole = '0', fraction = ''] = text.trim().split('.');
  if (fraction.length > decimals) {
    throw new EngineError('VALIDATION_ERROR', `${field} has more than ${decimals} decimal places`, {
      field,
      value: text,
    });
  }
  return BigInt(whole) * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, '0') || '0');
}

/** `numerator / denominator` rounded half-up; both non-negative, denominator positive. */
export function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('denominator must be positive');
  return (2n * numerator + denominator) / (2n * denominator);
}

/** An integer scaled by `10^decimals` as fixed-point text: `formatScaled(83056n, 2)` = `"830.56"`. */
function formatScaled(value: bigint, decimals: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(decimals + 1, '0');
  const text = decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  return negative ? `-${text}` : text;
}

/** Cents as the spec's amount text, two decimals: `12500000n` → `"125000.00"`. */
export function formatCents(cents: bigint): string {
  return formatScaled(cents, 2);
}

/**
 * Hours given in ten-thousandths, as text without trailing zeros but with at least one decimal:
 * `1505000n` → `"150.5"` (the spec's `total_downtime_hours`).
 */
export function formatHours(tenThousandths: bigint): string {
  const text = formatScaled(tenThousandths, 4).replace(/0+$/, '');
  return text.endsWith('.') ? `${text}0` : text;
}

/**
 * A total spread over a quantity, in cents, half-up: `perUnitCents(12500000n, 1505000n, 10000n)`
 * is 125,000.00 over 150.5 hours = 830.56 (83056n). `scale` is the quantity's own scale (10,000
 * for hours in ten-thousandths, 1 for users). `null` when the quantity is zero.
 */
export function perUnitCents(totalCents: bigint, quantity: bigint, scale: bigint): bigint | null {
  if (quantity <= 0n) return null;
  return divideHalfUp(totalCents * scale, quantity);
}
