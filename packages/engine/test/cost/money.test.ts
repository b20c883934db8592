import { describe, expect, it } from 'vitest';
import { divideHalfUp, formatCents, formatHours, perUnitCents, scaled } from '../../src/cost/money.ts';

describe('exact money in integer minor units', () => {
  it('rounds half-up, once', () => {
    expect(divideHalfUp(165n, 1000n)).toBe(0n); // 0.165 units of 1 → 0
    expect(divideHalfUp(165n, 10n)).toBe(17n); // 16.5 → 17 (half-even would give 16)
    expect(divideHalfUp(164n, 10n)).toBe(16n);
    expect(divideHalfUp(155n, 10n)).toBe(16n); // 15.5 → 16
  });

  it('reads decimals exactly and refuses what it would have to round', () => {
    expect(scaled('1250.5', 2, 'x')).toBe(125050n);
    expect(scaled('1.10', 6, 'x')).toBe(1100000n);
    expect(() => scaled('0.001', 2, 'corrected_amount')).toThrow(
      /corrected_amount has more than 2 decimal places/,
    );
    expect(() => scaled('-1', 2, 'corrected_amount')).toThrow(/non-negative decimal/);
    expect(() => scaled('1e3', 2, 'x')).toThrow();
  });

  it('formats amounts with two decimals and hours without trailing zeros', () => {
    expect(formatCents(12500000n)).toBe('125000.00');
    expect(formatCents(5n)).toBe('0.05');
    expect(formatHours(1505000n)).toBe('150.5');
    expect(formatHours(10000n)).toBe('1.0');
    expect(formatHours(18333n)).toBe('1.8333');
  });

  it("spreads a total per unit as the spec's summary does", () => {
    expect(perUnitCents(12500000n, 1505000n, 10000n)).toBe(83056n); // 125,000.00 / 150.5 = 830.5648
    expect(perUnitCents(12500000n, 5000n, 1n)).toBe(2500n);
    expect(perUnitCents(12500000n, 0n, 1n)).toBeNull();
  });
});
