import { describe, expect, it } from 'vitest';
import { forecast, guardedFit } from '../../src/forecast/forecast.ts';
import { checkForecast } from '../../src/forecast/guard.ts';
import type { FitInput } from '../../src/forecast/models.ts';

const history = [10, 12, 8, 11, 9, 14, 10, 12, 8, 11, 9, 14, 10, 13];
const input: FitInput = {
  values: history,
  start: 0,
  stepMs: 86_400_000,
  periods: [7],
  horizon: 3,
  level: 0.95,
};

describe('the check every fit passes before it is trusted', () => {
  it('accepts a forecast within the history range widened by its width', () => {
    // range [8, 14], width 6: anything in [2, 20] passes
    expect(
      checkForecast(history, { point: [2, 20, 11], lower: [0, 0, 0], upper: [30, 30, 30] }, 3),
    ).toBeNull();
  });

  it('refuses a divergent fit, a non-finite one and a short one, with the reason', () => {
    expect(checkForecast(history, { point: [11, 1e28, 11], lower: [0, 0, 0], upper: [1, 1, 1] }, 3)).toBe(
      "step 2 forecasts 1.000e+28, outside the history's range [8, 14] widened by 1x its width",
    );
    expect(
      checkForecast(history, { point: [11, 11, 11], lower: [0, Number.NaN, 0], upper: [1, 1, 1] }, 3),
    ).toBe('step 2 of the forecast is not finite');
    expect(checkForecast(history, { point: [11], lower: [0], upper: [1] }, 3)).toBe(
      'the fit returned 1 points for a horizon of 3',
    );
  });

  it('replaces a divergent fit by seasonal naive and records why', () => {
    const diverged = { point: [11, 1e28, -1e28], lower: [0, 0, 0], upper: [1, 1, 1] };
    const r = guardedFit('ARIMA', input, () => diverged);
    expect(r.fallback).toEqual({
      from: 'ARIMA',
      to: 'SEASONAL_NAIVE',
      reason: "step 2 forecasts 1.000e+28, outside the history's range [8, 14] widened by 1x its width",
    });
    expect(r.forecast.point).toEqual([12, 8, 11]); // the last week's first three days, by hand
  });

  it('falls back with the library error when the ARIMA fit itself fails', async () => {
    // arima refuses fewer than 20 values for AutoARIMA; the forecast still answers, with the reason.
    const timestamps = history.map((_, i) => Date.UTC(2026, 0, 5) + i * 86_400_000);
    const r = await forecast({ timestamps, values: history }, { horizon: 3, algorithm: 'ARIMA' });
    expect(r.algorithm).toBe('ARIMA');
    expect(r.fallback?.to).toBe('SEASONAL_NAIVE');
    expect(r.fallback?.reason).toBe(
      'the fit failed: Series too short (14 values). Minimum length for these parameters is 20',
    );
    expect(r.points.map((p) => p.value)).toEqual([12, 8, 11]);
  });

  it('answers a series of zeros, on which the Prophet optimiser fails, with zeros and a one-line reason', async () => {
    const timestamps = Array.from({ length: 28 }, (_, i) => Date.UTC(2026, 0, 5) + i * 86_400_000);
    const r = await forecast(
      { timestamps, values: timestamps.map(() => 0) },
      { horizon: 3, algorithm: 'PROPHET' },
    );
    expect(r.fallback?.from).toBe('PROPHET');
    expect(r.fallback?.reason).toMatch(/^the fit failed: Optimization failed/);
    expect(r.fallback?.reason).not.toContain('\n');
    expect(r.points.map((p) => [p.value, p.lower, p.upper])).toEqual([
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ]);
  });
});
